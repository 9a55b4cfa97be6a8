import Foundation

/// Thrown by a handler when a message names something this service has not heard of yet — an application whose
/// `application.submitted` is still on its way, a cohort whose `cohort.defined` has not arrived. It is not a
/// refusal: the runtime retries the message through its retry tiers, and parks it only if the thing never appears.
public struct NotKnownYet: Error, CustomStringConvertible {
    /// What is missing, e.g. `application 5f0c…` or `cohort 2027a`.
    public let what: String

    public init(_ what: String) { self.what = what }

    /// An application, by id.
    public static func application(_ id: UUID) -> NotKnownYet {
        NotKnownYet("application \(id.uuidString.lowercased())")
    }

    public var description: String { "\(what) is not known (yet)" }
}
