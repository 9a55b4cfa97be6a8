import Foundation
import MessageContracts

/// A ``FieldError/field`` read back into steps (`applicant.trn`, `items[2].urn`, `extras["odd key"]`; `""` is the
/// whole body), so that a fuzz property can check that an error points at a real place in the body it refused.
struct FieldPath: Equatable, CustomStringConvertible {
    /// One step: an object member by name or an array element by index.
    enum Step: Equatable {
        case name(String)
        case index(Int)
    }

    /// Where a path leads in a document.
    enum Target: Equatable {
        /// To a value that is there.
        case value(JSONValue)
        /// To a member that is missing from an object that is there.
        case absentMember
    }

    let steps: [Step]
    let description: String

    /// The path `text` names, or `nil` when it is not written the way ``FieldError`` paths are.
    init?(_ text: String) {
        description = text
        let bytes = Array(text.utf8)
        var steps: [Step] = []
        var index = 0
        func isNameByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "[") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    // A JSON string literal naming a member that is not a plain identifier.
                    let start = index
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    guard index < bytes.count,
                        case .string(let name)? = try? JSONValue(parsing: Data(bytes[start...index]))
                    else { return nil }
                    steps.append(.name(name))
                    index += 1
                } else {
                    let start = index
                    while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                        index += 1
                    }
                    guard let position = Int(String(decoding: bytes[start..<index], as: UTF8.self)) else { return nil }
                    steps.append(.index(position))
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "]") else { return nil }
                index += 1
            } else {
                if !steps.isEmpty {
                    guard bytes[index] == UInt8(ascii: ".") else { return nil }
                    index += 1
                }
                let start = index
                while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                guard index > start else { return nil }
                steps.append(.name(String(decoding: bytes[start..<index], as: UTF8.self)))
            }
        }
        self.steps = steps
    }

    /// Where the path leads in `document`, or `nil` when it leads nowhere (through a missing member, past the end of
    /// an array, or into a value that is not an object or array).
    func target(in document: JSONValue) -> Target? {
        var node = document
        for (position, step) in steps.enumerated() {
            switch (step, node) {
            case (.name(let name), .object(let members)):
                guard let member = members[name] else {
                    return position == steps.count - 1 ? .absentMember : nil
                }
                node = member
            case (.index(let index), .array(let elements)) where elements.indices.contains(index):
                node = elements[index]
            default:
                return nil
            }
        }
        return .value(node)
    }
}
