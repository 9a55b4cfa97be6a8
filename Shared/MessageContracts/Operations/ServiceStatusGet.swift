/// An operator asks the running services how they are: every service answers (or only the one named).
public struct ServiceStatusGet: MessageContract {
    /// Only this service answers; every service when `nil`.
    public var service: String?

    public init(service: String? = nil) {
        self.service = service
    }

    public static let name = "service.status.get"
    public static let version = 1
    public static let kind = MessageKind.query
    public static let summary =
        "An operator asks the running services how they are; each answers with service.status.result (readiness, queue depths, parked messages, outbox). A service that does not answer is not consuming."

    public static var schema: JSONSchema {
        .object(
            ["service": JSONSchema.serviceName.nullable().described("Only this service answers; every one when null.")],
            required: [])
    }

    public static var example: ServiceStatusGet { ServiceStatusGet() }
}
