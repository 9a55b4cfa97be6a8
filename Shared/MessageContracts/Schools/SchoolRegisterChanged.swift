import Foundation

/// What a new version of the schools register changed, for the services that keep a copy of it: the schools added
/// or changed, as they now are, and the URNs removed.
///
/// A version's changes may be spread over several parts (`part` of `parts`); each part stands on its own, and every
/// URN is in one part only. A copy applies a school's entry only over an older version of it, so parts may arrive in
/// any order and a late part of an old version changes nothing.
public struct SchoolRegisterChanged: MessageContract {
    /// The register's version these changes make.
    public var version: Int
    /// This part's number, from 1.
    public var part: Int
    /// How many parts the version's changes take.
    public var parts: Int
    /// Schools added or changed, as they are on this version.
    public var schools: [SchoolRegisterEntry]
    /// URNs of the schools no longer on the register.
    public var removed: [String]
    public var changedAt: Date

    public init(
        version: Int, part: Int, parts: Int, schools: [SchoolRegisterEntry], removed: [String], changedAt: Date
    ) {
        self.version = version
        self.part = part
        self.parts = parts
        self.schools = schools
        self.removed = removed
        self.changedAt = changedAt
    }

    /// The most entries (schools and removed URNs together) one part carries; the publisher also keeps each part
    /// under the broker's 1 MiB.
    public static let maxEntriesPerPart = 5_000

    public static let name = "school.register.changed"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "What a new version of the schools register changed, in parts: the schools added or changed, as they now are, and the URNs removed. Services that keep a copy of the register apply it school by school, over older versions only."

    public static var schema: JSONSchema {
        .object(
            [
                "version": JSONSchema.integer(minimum: 1).described("The register's version these changes make."),
                "part": JSONSchema.integer(minimum: 1).described("This part's number, from 1."),
                "parts": JSONSchema.integer(minimum: 1).described("How many parts the version's changes take."),
                "schools": .array(of: SchoolRegisterEntry.schema.openForAdditions(), maxItems: maxEntriesPerPart)
                    .described("Schools added or changed, as they are on this version."),
                "removed": .array(of: JSONSchema.urn, maxItems: maxEntriesPerPart).described(
                    "URNs of the schools no longer on the register."),
                "changedAt": JSONSchema.dateTime.described("When the version was imported."),
            ],
            required: ["version", "part", "parts", "schools", "removed", "changedAt"], additionalProperties: true)
    }

    public static var example: SchoolRegisterChanged {
        SchoolRegisterChanged(
            version: 4, part: 1, parts: 1, schools: [SchoolRegisterEntry.example], removed: ["100118"],
            changedAt: RFC3339.parse("2026-09-01T09:30:00+01:00")!)
    }
}
