import Foundation

/// An operator replaces the schools register with a GIAS extract, sent in parts (operators only).
///
/// The register is large (some 50,000 establishments), so one import is several messages: each carries the same
/// `importID`, `parts`, `sha256` and `fileName`, its own `part` number and a share of the schools, in the file's
/// order. npq-eligibility keeps the parts until it has all of them, then checks the register as a whole and swaps
/// it in, in one transaction: until then the previous register stands, and a refused import changes nothing.
public struct SchoolRegisterImport: MessageContract {
    /// One import, the same in every part; the sender chooses it.
    public var importID: UUID
    /// This part's number, from 1.
    public var part: Int
    /// How many parts the import has.
    public var parts: Int
    /// SHA-256 of the file the schools were read from, hex; kept with the version for the audit trail.
    public var sha256: String
    /// The file's name, for the audit trail.
    public var fileName: String?
    /// This part's schools, in the file's order.
    public var schools: [SchoolRegisterEntry]

    public init(
        importID: UUID, part: Int, parts: Int, sha256: String, fileName: String? = nil,
        schools: [SchoolRegisterEntry]
    ) {
        self.importID = importID
        self.part = part
        self.parts = parts
        self.sha256 = sha256
        self.fileName = fileName
        self.schools = schools
    }

    /// The most schools one part may carry; the sender also keeps each part under the broker's 1 MiB.
    public static let maxSchoolsPerPart = 5_000

    /// The most parts an import may have: room for 400,000 schools, eight times GIAS's count.
    public static let maxParts = 200

    public static let name = "school.register.import"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "An operator replaces the schools register with a GIAS extract, sent in parts (each under 1 MiB) that share an importID; npq-eligibility swaps the register in when it has every part, answers the part that completes it with school.register.imported, and refuses a bad part or register naming the part, line and field."

    public static var schema: JSONSchema {
        .object(
            [
                "importID": JSONSchema.uuid.described("One import, the same in every part."),
                "part": JSONSchema.integer(minimum: 1, maximum: maxParts).described("This part's number, from 1."),
                "parts": JSONSchema.integer(minimum: 1, maximum: maxParts).described("How many parts the import has."),
                "sha256": JSONSchema.string(
                    minLength: 64, maxLength: 64, pattern: "^[0-9a-f]{64}$",
                    patternDescription: "64 lowercase hex digits"
                ).described("SHA-256 of the file, hex."),
                "fileName": JSONSchema.string(minLength: 1, maxLength: 255).nullable().described(
                    "The file's name, for the audit trail."),
                "schools": .array(of: SchoolRegisterEntry.schema, minItems: 1, maxItems: maxSchoolsPerPart)
                    .described("This part's schools, in the file's order."),
            ],
            required: ["importID", "part", "parts", "sha256", "schools"])
    }

    public static var example: SchoolRegisterImport {
        SchoolRegisterImport(
            importID: UUID(uuidString: "3f1c2b7a-9d4e-4c1f-8a2b-6e5d4c3b2a19")!, part: 1, parts: 1,
            sha256: "5d2f9c1a7b3e8d4f6a0c2e1b9d7f5a3c8e6b4d2f0a9c7e5b3d1f8a6c4e2b0d9f",
            fileName: "edubasealldata20260901.csv", schools: [SchoolRegisterEntry.example])
    }
}
