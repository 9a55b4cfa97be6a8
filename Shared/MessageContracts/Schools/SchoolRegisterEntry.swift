import Foundation

/// One establishment of the schools register, as the register's messages carry it: the columns of GIAS's "all
/// establishment data" extract that the suite uses.
public struct SchoolRegisterEntry: Codable, Sendable, Equatable, Hashable {
    /// The 6-digit URN.
    public var urn: String
    /// The 8-digit UKPRN, when GIAS has one.
    public var ukprn: String?
    /// `EstablishmentName`.
    public var name: String
    /// `TypeOfEstablishment (code)`, e.g. 15 for a local authority nursery school.
    public var establishmentTypeCode: Int
    /// `EstablishmentStatus (code)`: 1 open, 2 closed, 3 open but proposed to close, 4 proposed to open.
    public var establishmentStatusCode: Int
    /// `LA (code)`, e.g. `202` (Camden).
    public var localAuthorityCode: String?
    public var postcode: String?
    /// The line of the file the school was read from, so that a refusal can point at it.
    public var line: Int?

    public init(
        urn: String, ukprn: String? = nil, name: String, establishmentTypeCode: Int, establishmentStatusCode: Int,
        localAuthorityCode: String? = nil, postcode: String? = nil, line: Int? = nil
    ) {
        self.urn = urn
        self.ukprn = ukprn
        self.name = name
        self.establishmentTypeCode = establishmentTypeCode
        self.establishmentStatusCode = establishmentStatusCode
        self.localAuthorityCode = localAuthorityCode
        self.postcode = postcode
        self.line = line
    }

    public static var schema: JSONSchema {
        .object(
            [
                "urn": JSONSchema.urn.described("The school's URN."),
                "ukprn": JSONSchema.string(pattern: "^[0-9]{8}$", patternDescription: "8 digits").nullable()
                    .described("Its UKPRN, when GIAS has one."),
                "name": JSONSchema.string(maxLength: 255).described("EstablishmentName; may be empty."),
                "establishmentTypeCode": JSONSchema.integer(minimum: 1, maximum: 999).described(
                    "TypeOfEstablishment (code), e.g. 15 for a local authority nursery school."),
                "establishmentStatusCode": JSONSchema.integer(minimum: 1, maximum: 4).described(
                    "EstablishmentStatus (code): 1 open, 2 closed, 3 open but proposed to close, 4 proposed to open."),
                "localAuthorityCode": JSONSchema.string(maxLength: 16).nullable().described(
                    "LA (code), e.g. 202."),
                "postcode": JSONSchema.string(maxLength: 16).nullable().described("Postcode."),
                "line": JSONSchema.integer(minimum: 1).nullable().described(
                    "The line of the file the school was read from."),
            ],
            required: ["urn", "name", "establishmentTypeCode", "establishmentStatusCode"])
    }

    static var example: SchoolRegisterEntry {
        SchoolRegisterEntry(
            urn: "100103", name: "Brook Hill Primary School", establishmentTypeCode: 1, establishmentStatusCode: 1,
            localAuthorityCode: "202", postcode: "NW3 4CC", line: 4)
    }
}
