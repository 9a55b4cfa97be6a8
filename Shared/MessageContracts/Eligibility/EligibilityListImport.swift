import Foundation

/// An operator replaces one reference list as a whole with a new CSV file in DfE's layout.
public struct EligibilityListImport: MessageContract {
    /// Which list the file is.
    public var list: EligibilityListName
    /// The file's text: a header row naming the list's identifier column (e.g. `PP50 School URN`), then one row per
    /// identifier; other columns are ignored.
    public var csv: String
    /// The file's name, kept with the version for the audit trail.
    public var fileName: String?

    public init(list: EligibilityListName, csv: String, fileName: String? = nil) {
        self.list = list
        self.csv = csv
        self.fileName = fileName
    }

    public static let name = "eligibility.list.import"
    public static let version = 1
    public static let kind = MessageKind.command
    public static let summary =
        "An operator replaces a reference list (PP50 schools, PP50 FE, RISE, childminders, …) as a whole with a CSV file in DfE's layout; the new version applies to applications received from then on. Answered with eligibility.list.imported, or refused naming the line and column."

    public static var schema: JSONSchema {
        .object(
            [
                "list": .enumeration(of: EligibilityListName.self).described("Which list."),
                "csv": .string(minLength: 1, maxLength: 1_000_000).described(
                    "The CSV text: a header row with the list's column, then one identifier a row."),
                "fileName": JSONSchema.string(minLength: 1, maxLength: 255).nullable().described(
                    "The file's name, for the audit trail."),
            ],
            required: ["list", "csv"])
    }

    public static var example: EligibilityListImport {
        EligibilityListImport(
            list: .pp50Schools, csv: "PP50 School URN,School name\n100000,Sir John Cass's Foundation Primary School\n",
            fileName: "pp50-schools-2026.csv")
    }
}
