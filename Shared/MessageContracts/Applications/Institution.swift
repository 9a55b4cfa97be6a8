import Foundation

/// Where an applicant works, as they identify it: a school by URN (or UKPRN for further education), a private
/// childcare provider by Ofsted URN.
public struct Institution: Codable, Sendable, Equatable {
    public var urn: String?
    public var ukprn: String?
    public var ofstedURN: String?

    public init(urn: String? = nil, ukprn: String? = nil, ofstedURN: String? = nil) {
        self.urn = urn
        self.ukprn = ukprn
        self.ofstedURN = ofstedURN
    }

    public static var schema: JSONSchema {
        .object(
            [
                "urn": JSONSchema.urn.nullable().described("The school's URN."),
                "ukprn": JSONSchema.string(pattern: "^[0-9]{8}$", patternDescription: "8 digits").nullable()
                    .described("The provider's UKPRN (further education)."),
                "ofstedURN": JSONSchema.string(
                    maxLength: 16, pattern: "^(EY)?[0-9]{6,7}$", patternDescription: "EY and 6 digits, or 6–7 digits"
                ).nullable().described("A private childcare provider's Ofsted URN."),
            ],
            required: [])
    }
}
