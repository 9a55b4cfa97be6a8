import Foundation

/// A reference list was replaced: its new version, its size, and what changed.
public struct EligibilityListImported: MessageContract {
    public var list: EligibilityListName
    /// The list's version, counting from 1 for its first import.
    public var version: Int
    /// Distinct identifiers on the new version.
    public var count: Int
    /// Data rows in the file (a repeated identifier counts each time).
    public var rowCount: Int
    /// Identifiers on the new version that were not on the previous one.
    public var added: Int
    /// Identifiers on the previous version that are not on the new one.
    public var removed: Int
    /// SHA-256 of the file, hex.
    public var sha256: String
    public var fileName: String?
    /// The broker user that imported it, or `file` for the service's reference folder.
    public var importedBy: String
    public var importedAt: Date

    public init(
        list: EligibilityListName, version: Int, count: Int, rowCount: Int, added: Int, removed: Int, sha256: String,
        fileName: String?, importedBy: String, importedAt: Date
    ) {
        self.list = list
        self.version = version
        self.count = count
        self.rowCount = rowCount
        self.added = added
        self.removed = removed
        self.sha256 = sha256
        self.fileName = fileName
        self.importedBy = importedBy
        self.importedAt = importedAt
    }

    public static let name = "eligibility.list.imported"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "A reference list was replaced as a whole: its new version number, how many identifiers it holds, how many were added and removed, and who imported it."

    public static var schema: JSONSchema {
        .object(
            [
                "list": .enumeration(of: EligibilityListName.self).described("Which list."),
                "version": JSONSchema.integer(minimum: 1).described("The new version."),
                "count": JSONSchema.integer(minimum: 0).described("Distinct identifiers."),
                "rowCount": JSONSchema.integer(minimum: 0).described("Data rows in the file."),
                "added": JSONSchema.integer(minimum: 0).described("Identifiers new to the list."),
                "removed": JSONSchema.integer(minimum: 0).described("Identifiers no longer on it."),
                "sha256": .string(minLength: 64, maxLength: 64).described("SHA-256 of the file, hex."),
                "fileName": JSONSchema.string(maxLength: 255).nullable().described("The file's name."),
                "importedBy": .string(minLength: 1, maxLength: 255).described(
                    "The broker user, or `file` for the reference folder."),
                "importedAt": JSONSchema.dateTime.described("When."),
            ],
            required: [
                "list", "version", "count", "rowCount", "added", "removed", "sha256", "importedBy", "importedAt",
            ],
            additionalProperties: true)
    }

    public static var example: EligibilityListImported {
        EligibilityListImported(
            list: .pp50Schools, version: 3, count: 11_482, rowCount: 11_482, added: 214, removed: 198,
            sha256: "9f2c7a41d0e3b8c56a1f4e2d7b9c0a3e5f6d8b1c2a4e7f9d0b3c5a6e8f1d2c4b",
            fileName: "pp50-schools-2026.csv", importedBy: "npq-operator",
            importedAt: RFC3339.parse("2026-09-01T09:30:00+01:00")!)
    }
}
