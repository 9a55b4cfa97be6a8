import Foundation
import MessageContracts

/// How services keep values as JSON in their databases: the contracts' conventions (sorted keys, RFC 3339 dates),
/// so that the same value is always the same text and a stored document reads like a message body.
public enum StoredJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try ContractEncoder.makeJSONEncoder().encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try ContractDecoder.makeJSONDecoder().decode(type, from: Data(text.utf8))
    }
}
