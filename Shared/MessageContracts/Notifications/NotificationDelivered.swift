import Foundation

/// A notification was delivered: the SMTP server accepted the email, or the webhook answered 2xx. No personal data.
public struct NotificationDelivered: MessageContract {
    public var notificationID: UUID
    public var kind: NotificationKind
    public var channel: NotificationChannel
    public var recipient: NotificationRecipient
    public var schoolURN: String?
    public var applicationID: UUID?
    /// The message id of the event that caused it.
    public var causeID: String
    public var attempts: Int
    public var deliveredAt: Date

    public init(
        notificationID: UUID, kind: NotificationKind, channel: NotificationChannel, recipient: NotificationRecipient,
        schoolURN: String?, applicationID: UUID?, causeID: String, attempts: Int, deliveredAt: Date
    ) {
        self.notificationID = notificationID
        self.kind = kind
        self.channel = channel
        self.recipient = recipient
        self.schoolURN = schoolURN
        self.applicationID = applicationID
        self.causeID = causeID
        self.attempts = attempts
        self.deliveredAt = deliveredAt
    }

    public static let name = "notification.delivered"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A notification was delivered (the mail server accepted the email, or the school's webhook answered 2xx). No personal data."

    public static var schema: JSONSchema {
        NotificationSchemas.outcome(
            extra: ["deliveredAt": JSONSchema.dateTime.described("When it was delivered.")], required: ["deliveredAt"])
    }

    public static var example: NotificationDelivered {
        NotificationDelivered(
            notificationID: UUID(uuidString: "8a1d2c3b-4e5f-4a6b-9c7d-0e1f2a3b4c5d")!, kind: .applicationSubmitted,
            channel: .email, recipient: .applicant, schoolURN: "100103",
            applicationID: UUID(uuidString: "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80")!,
            causeID: "3c9a1f0e-2b7d-4e8a-9f61-0d5c2b7e4a13", attempts: 1,
            deliveredAt: RFC3339.parse("2026-07-01T10:00:03+01:00")!)
    }
}

/// A notification could not be delivered and will not be tried again: a permanent failure (550 mailbox unknown, a
/// webhook's 4xx other than 429) or too many transient ones. An operator alert.
public struct NotificationFailed: MessageContract {
    public var notificationID: UUID
    public var kind: NotificationKind
    public var channel: NotificationChannel
    public var recipient: NotificationRecipient
    public var schoolURN: String?
    public var applicationID: UUID?
    public var causeID: String
    public var attempts: Int
    /// Why, as the mail server or the webhook answered, or the connection failed.
    public var reason: String
    /// Whether the failure was permanent (not retried) rather than the attempts running out.
    public var permanent: Bool
    public var failedAt: Date

    public init(
        notificationID: UUID, kind: NotificationKind, channel: NotificationChannel, recipient: NotificationRecipient,
        schoolURN: String?, applicationID: UUID?, causeID: String, attempts: Int, reason: String, permanent: Bool,
        failedAt: Date
    ) {
        self.notificationID = notificationID
        self.kind = kind
        self.channel = channel
        self.recipient = recipient
        self.schoolURN = schoolURN
        self.applicationID = applicationID
        self.causeID = causeID
        self.attempts = attempts
        self.reason = reason
        self.permanent = permanent
        self.failedAt = failedAt
    }

    public static let name = "notification.failed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A notification could not be delivered and will not be retried (a permanent failure, or its attempts ran out): an operator alert, with the reason."

    public static var schema: JSONSchema {
        NotificationSchemas.outcome(
            extra: [
                "reason": .string(minLength: 1, maxLength: 1_000).described("Why it failed."),
                "permanent": JSONSchema.boolean.described("A permanent failure, rather than the attempts running out."),
                "failedAt": JSONSchema.dateTime.described("When it was given up."),
            ], required: ["reason", "permanent", "failedAt"])
    }

    public static var example: NotificationFailed {
        NotificationFailed(
            notificationID: UUID(uuidString: "8a1d2c3b-4e5f-4a6b-9c7d-0e1f2a3b4c5d")!, kind: .sencoBreach,
            channel: .email, recipient: .chair, schoolURN: "100103", applicationID: nil,
            causeID: "3c9a1f0e-2b7d-4e8a-9f61-0d5c2b7e4a13", attempts: 1,
            reason: "550 5.1.1 mailbox unavailable", permanent: true,
            failedAt: RFC3339.parse("2026-09-02T07:00:04+01:00")!)
    }
}

/// Schema parts the notification events share.
enum NotificationSchemas {
    static func outcome(extra: [String: JSONSchema], required: [String]) -> JSONSchema {
        var properties: [String: JSONSchema] = [
            "notificationID": JSONSchema.uuid.described("The notification (derived from cause, recipient and kind)."),
            "kind": .enumeration(of: NotificationKind.self).described("What it is about."),
            "channel": .enumeration(of: NotificationChannel.self).described("email or webhook."),
            "recipient": .enumeration(of: NotificationRecipient.self).described(
                "The applicant, a school contact's role, or the school's webhook."),
            "schoolURN": JSONSchema.urn.nullable().described("The school, for a school's notice."),
            "applicationID": JSONSchema.uuid.nullable().described("The application, when it is about one."),
            "causeID": .string(minLength: 1, maxLength: 255).described("The message id of the event that caused it."),
            "attempts": JSONSchema.integer(minimum: 0).described(
                "Delivery attempts made (0 for a notice that had nobody to go to)."),
        ]
        properties.merge(extra) { _, new in new }
        return .object(
            properties,
            required: ["notificationID", "kind", "channel", "recipient", "causeID", "attempts"] + required,
            additionalProperties: true)
    }
}
