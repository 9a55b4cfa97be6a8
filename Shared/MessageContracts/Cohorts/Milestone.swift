import Foundation

/// One declaration type of a schedule with the date from which it may be declared.
public struct Milestone: Codable, Sendable, Hashable {
    public var declarationType: DeclarationType
    public var date: CalendarDate

    /// The wire shape of a milestone.
    public static var schema: JSONSchema {
        .object(
            [
                "declarationType": .enumeration(of: DeclarationType.self).described(
                    "The declaration this milestone allows."),
                "date": JSONSchema.date.described("The first day the declaration may be made (Europe/London)."),
            ], required: ["declarationType", "date"])
    }

    public init(_ declarationType: DeclarationType, _ date: CalendarDate) {
        self.declarationType = declarationType
        self.date = date
    }
}
