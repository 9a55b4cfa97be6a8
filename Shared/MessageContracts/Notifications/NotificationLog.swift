import Foundation

/// Asks for the delivery log of one school or one application: every notification, with each attempt's outcome.
public struct NotificationLogGet: MessageContract {
    /// The school's notices (exactly one of `schoolURN` and `applicationID`).
    public var schoolURN: String?
    /// The notices about one application.
    public var applicationID: UUID?

    public init(schoolURN: String? = nil, applicationID: UUID? = nil) {
        self.schoolURN = schoolURN
        self.applicationID = applicationID
    }

    public static let name = "notification.log.get"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "The delivery log of one school (by URN) or one application: each notification, its channel, status, attempts and last error. Answered with notification.log.result."

    public static var schema: JSONSchema {
        .object(
            [
                "schoolURN": JSONSchema.urn.nullable().described("A school's notices."),
                "applicationID": JSONSchema.uuid.nullable().described("The notices about an application."),
            ],
            required: [])
    }

    public static var example: NotificationLogGet { NotificationLogGet(schoolURN: "100103") }
}

/// One notification in the delivery log.
public struct NotificationLogEntry: Codable, Sendable, Equatable {
    public var notificationID: UUID
    public var kind: NotificationKind
    public var channel: NotificationChannel
    public var recipient: NotificationRecipient
    /// The email address or the webhook URL. Personal data.
    public var address: String
    public var status: NotificationStatus
    public var attempts: Int
    public var lastError: String?
    public var schoolURN: String?
    public var applicationID: UUID?
    public var createdAt: Date
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?

    public init(
        notificationID: UUID, kind: NotificationKind, channel: NotificationChannel, recipient: NotificationRecipient,
        address: String, status: NotificationStatus, attempts: Int, lastError: String?, schoolURN: String?,
        applicationID: UUID?, createdAt: Date, nextAttemptAt: Date?, deliveredAt: Date?
    ) {
        self.notificationID = notificationID
        self.kind = kind
        self.channel = channel
        self.recipient = recipient
        self.address = address
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.schoolURN = schoolURN
        self.applicationID = applicationID
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
    }

    public static var schema: JSONSchema {
        .object(
            [
                "notificationID": JSONSchema.uuid.described("The notification."),
                "kind": .enumeration(of: NotificationKind.self).described("What it is about."),
                "channel": .enumeration(of: NotificationChannel.self).described("email or webhook."),
                "recipient": .enumeration(of: NotificationRecipient.self).described("Who it is for."),
                "address": .string(minLength: 1, maxLength: 2048).described("The email address or webhook URL."),
                "status": .enumeration(of: NotificationStatus.self).described("pending, delivered or failed."),
                "attempts": JSONSchema.integer(minimum: 0).described("Attempts made."),
                "lastError": JSONSchema.string(maxLength: 1_000).nullable().described("The last attempt's error."),
                "schoolURN": JSONSchema.urn.nullable().described("The school."),
                "applicationID": JSONSchema.uuid.nullable().described("The application."),
                "createdAt": JSONSchema.dateTime.described("When it was decided to send it."),
                "nextAttemptAt": JSONSchema.dateTime.nullable().described("When it is tried next, if pending."),
                "deliveredAt": JSONSchema.dateTime.nullable().described("When it was delivered."),
            ],
            required: ["notificationID", "kind", "channel", "recipient", "address", "status", "attempts", "createdAt"],
            additionalProperties: true)
    }
}

/// The delivery log asked for, newest first.
public struct NotificationLogResult: MessageContract {
    public var entries: [NotificationLogEntry]

    public init(entries: [NotificationLogEntry]) {
        self.entries = entries
    }

    public static let name = "notification.log.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary = "The delivery log of a school or an application, newest first (at most 500 entries)."

    public static var schema: JSONSchema {
        .object(
            ["entries": .array(of: NotificationLogEntry.schema, maxItems: 500).described("The notifications.")],
            required: ["entries"], additionalProperties: true)
    }

    public static var example: NotificationLogResult {
        NotificationLogResult(entries: [
            NotificationLogEntry(
                notificationID: UUID(uuidString: "8a1d2c3b-4e5f-4a6b-9c7d-0e1f2a3b4c5d")!,
                kind: .sencoDeadlineCountdown, channel: .email, recipient: .head,
                address: "head@brookhill.sch.example", status: .delivered, attempts: 2,
                lastError: "421 4.7.0 try again later", schoolURN: "100103", applicationID: nil,
                createdAt: RFC3339.parse("2026-09-01T07:00:00+01:00")!, nextAttemptAt: nil,
                deliveredAt: RFC3339.parse("2026-09-01T07:00:35+01:00")!)
        ])
    }
}
