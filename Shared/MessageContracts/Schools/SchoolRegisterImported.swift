import Foundation

/// The schools register was replaced: its new version, its size and what changed.
public struct SchoolRegisterImported: MessageContract {
    /// The register's version, counting from 1 for its first import.
    public var version: Int
    /// Establishments on the new version.
    public var schools: Int
    /// Establishments new to the register.
    public var added: Int
    /// Establishments no longer on it.
    public var removed: Int
    /// Establishments on both whose details (name, type, status, UKPRN, local authority, postcode) changed.
    public var changed: Int
    /// SHA-256 of the file, hex.
    public var sha256: String
    public var fileName: String?
    /// The import it came from: the `importID` of its parts, or `nil` for the service's own file.
    public var importID: UUID?
    /// The broker user that imported it, or `file` for the service's `NPQ_SCHOOLS_FILE`.
    public var importedBy: String
    public var importedAt: Date

    public init(
        version: Int, schools: Int, added: Int, removed: Int, changed: Int, sha256: String, fileName: String?,
        importID: UUID?, importedBy: String, importedAt: Date
    ) {
        self.version = version
        self.schools = schools
        self.added = added
        self.removed = removed
        self.changed = changed
        self.sha256 = sha256
        self.fileName = fileName
        self.importID = importID
        self.importedBy = importedBy
        self.importedAt = importedAt
    }

    public static let name = "school.register.imported"
    public static let version = 1
    public static let kind = MessageKind.event
    public static let summary =
        "The schools register was replaced: its new version, how many establishments it holds, how many were added, removed and changed, the file's SHA-256 and who imported it. Also the reply to the school.register.import part that completed an import."

    public static var schema: JSONSchema {
        .object(
            [
                "version": JSONSchema.integer(minimum: 1).described("The new version."),
                "schools": JSONSchema.integer(minimum: 0).described("Establishments on it."),
                "added": JSONSchema.integer(minimum: 0).described("Establishments new to the register."),
                "removed": JSONSchema.integer(minimum: 0).described("Establishments no longer on it."),
                "changed": JSONSchema.integer(minimum: 0).described("Establishments whose details changed."),
                "sha256": .string(minLength: 64, maxLength: 64).described("SHA-256 of the file, hex."),
                "fileName": JSONSchema.string(maxLength: 255).nullable().described("The file's name."),
                "importID": JSONSchema.uuid.nullable().described(
                    "The importID of its parts; absent for the service's own file."),
                "importedBy": .string(minLength: 1, maxLength: 255).described(
                    "The broker user, or `file` for the service's NPQ_SCHOOLS_FILE."),
                "importedAt": JSONSchema.dateTime.described("When."),
            ],
            required: [
                "version", "schools", "added", "removed", "changed", "sha256", "importedBy", "importedAt",
            ],
            additionalProperties: true)
    }

    public static var example: SchoolRegisterImported {
        SchoolRegisterImported(
            version: 4, schools: 49_872, added: 41, removed: 12, changed: 318,
            sha256: "5d2f9c1a7b3e8d4f6a0c2e1b9d7f5a3c8e6b4d2f0a9c7e5b3d1f8a6c4e2b0d9f",
            fileName: "edubasealldata20260901.csv", importID: UUID(uuidString: "3f1c2b7a-9d4e-4c1f-8a2b-6e5d4c3b2a19")!,
            importedBy: "npq-operator", importedAt: RFC3339.parse("2026-09-01T09:30:00+01:00")!)
    }
}
