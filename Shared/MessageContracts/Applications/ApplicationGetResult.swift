import Foundation

/// The reply to ``ApplicationGet``.
public struct ApplicationGetResult: MessageContract {
    public var application: ApplicationView

    public init(application: ApplicationView) { self.application = application }

    public static let name = "application.get.result"
    public static let version = 1
    public static let kind = MessageKind.reply
    public static let summary = "One application with its funding decision, state and history."

    public static var schema: JSONSchema {
        .object(
            ["application": ApplicationView.schema.described("The application.")], required: ["application"],
            additionalProperties: true)
    }

    public static var example: ApplicationGetResult { ApplicationGetResult(application: .example) }
}
