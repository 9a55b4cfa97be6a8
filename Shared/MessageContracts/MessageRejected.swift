import Foundation

/// The event a service publishes when it refuses a message, so the publisher learns why.
///
/// The refused message itself goes to the service's parked queue with `x-npq-rejection` headers;
/// this event carries the same explanation to whoever listens on `npq.events`, keyed by the
/// original message and correlation ids.
public struct MessageRejected: MessageContract {
    /// The most field errors one event carries, so that a body with thousands of mistakes still
    /// produces an event of bounded size.
    public static let maxFieldErrors = 100

    /// The refused message's `message_id`, when it had one; it may not be a UUID if that was the problem.
    public var originalMessageID: String?

    /// The refused message's `type`, when it had one.
    public var originalType: String?

    /// The refused message's `correlation_id`, so the publisher can match this to its conversation.
    public var correlationID: String?

    /// The service that refused it, e.g. `"applications"`.
    public var service: String

    /// Why it was refused.
    public var reason: RejectionReason

    /// What is wrong and what to change, in plain English.
    public var detail: String

    /// Each problem with the body, with its JSON path; empty when the problem is not about fields.
    public var fieldErrors: [FieldError]

    /// When it was refused.
    public var rejectedAt: Date

    /// Creates the event; field errors beyond ``maxFieldErrors`` are dropped, and every text is cut to the length
    /// its schema allows (an error can quote what a hostile sender wrote, e.g. a 600 KB key), so the event always
    /// meets its own contract and its headers fit in a frame.
    public init(
        originalMessageID: String?,
        originalType: String?,
        correlationID: String?,
        service: String,
        reason: RejectionReason,
        detail: String,
        fieldErrors: [FieldError],
        rejectedAt: Date
    ) {
        self.originalMessageID = originalMessageID.map { Self.clipped($0, to: 256) }
        self.originalType = originalType.map { Self.clipped($0, to: 256) }
        self.correlationID = correlationID.map { Self.clipped($0, to: 256) }
        self.service = service
        self.reason = reason
        self.detail = Self.clipped(detail.isEmpty ? reason.rawValue : detail, to: 2_000)
        self.fieldErrors = fieldErrors.prefix(Self.maxFieldErrors).map {
            FieldError(
                field: Self.clipped($0.field, to: 512), rule: Self.clipped($0.rule, to: 64),
                message: Self.clipped($0.message, to: 1_000))
        }
        self.rejectedAt = rejectedAt
    }

    /// `text` cut to at most `limit` characters, ending in "…" when cut.
    static func clipped(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// The event for a body that broke its contract.
    public init(
        violation: ContractViolation,
        service: String,
        originalMessageID: String?,
        originalType: String?,
        correlationID: String?,
        rejectedAt: Date
    ) {
        self.init(
            originalMessageID: originalMessageID, originalType: originalType, correlationID: correlationID,
            service: service, reason: violation.reason, detail: violation.detail, fieldErrors: violation.fieldErrors,
            rejectedAt: rejectedAt)
    }

    /// `message.rejected`.
    public static let name = "message.rejected"
    /// Version 1.
    public static let version = 1
    /// An event: a fact about a refusal that already happened.
    public static let kind = MessageKind.event
    /// The sentence that documents the event.
    public static let summary =
        "A service refused a message and parked it; the reason, detail and field errors say what to change before sending it again."

    /// Open to added fields, since this is an event; optional ids may be null.
    public static var schema: JSONSchema {
        let identifier = JSONSchema.string(maxLength: 256)
        return .object(
            [
                "originalMessageID": identifier.nullable().described(
                    "The refused message's message_id, when it had one."),
                "originalType": identifier.nullable().described("The refused message's type, when it had one."),
                "correlationID": identifier.nullable().described("The refused message's correlation_id."),
                "service": .string(
                    minLength: 1, maxLength: 64, pattern: "^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$",
                    patternDescription: "a service name in lowercase letters, digits and hyphens"
                ).described("The service that refused the message, e.g. applications."),
                "reason": .enumeration(of: RejectionReason.self).described("Why the message was refused."),
                "detail": .string(minLength: 1, maxLength: 2_000).described(
                    "What is wrong and what to change, in plain English."),
                "fieldErrors": .array(of: FieldError.schema, maxItems: maxFieldErrors).described(
                    "Each problem with the body, with its JSON path."),
                "rejectedAt": JSONSchema.dateTime.described("When the message was refused."),
            ],
            required: ["service", "reason", "detail", "fieldErrors", "rejectedAt"],
            additionalProperties: true)
    }

    /// A rejection of a submitted application with two field errors.
    public static var example: MessageRejected {
        MessageRejected(
            originalMessageID: "0b6f3c7e-2f7a-4d0e-9a51-6c2d8e4f1a93",
            originalType: "npq.application.submit.v1",
            correlationID: "0b6f3c7e-2f7a-4d0e-9a51-6c2d8e4f1a93",
            service: "applications",
            reason: .invalidFields,
            detail: "The body does not match npq.application.submit.v1: 2 fields to fix. First: trn must be 7 digits.",
            fieldErrors: [
                FieldError(field: "applicant.trn", rule: "pattern", message: "trn must be 7 digits"),
                FieldError(
                    field: "school.urn", rule: "required", message: "urn is required"),
            ],
            rejectedAt: RFC3339.parse("2024-09-02T08:15:30.250Z")!)
    }
}
