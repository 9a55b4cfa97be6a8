import Foundation

extension JSONValue {
    /// Parses a message body strictly, within `limits`.
    ///
    /// - Throws: a ``JSONParsingError`` saying what is wrong and where: the body is too large,
    ///   nested too deeply, not UTF-8, or not JSON (including duplicate member names).
    public init(parsing data: Data, limits: JSONParsingLimits = .default) throws(JSONParsingError) {
        self = try JSONParser.parse(data, limits: limits)
    }
}
