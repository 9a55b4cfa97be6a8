import MessageContracts

/// A JSON document as the text a publisher could send, which a fuzzer can break in ways ``JSONValue`` cannot hold:
/// numbers keep their exact spelling (`1e309`, `-0`, `18446744073709551616`), strings may carry raw bytes (invalid
/// UTF-8, unescaped control characters, bad escapes) and objects keep their member order and duplicate names.
indirect enum RawJSON: Sendable {
    /// `null`, `true`, `false` or a number, written exactly as given.
    case literal(String)
    /// A string, written with the escapes JSON requires.
    case string(String)
    /// A string whose content bytes are written between the quotes as they are, valid or not.
    case rawString([UInt8])
    /// An array.
    case array([RawJSON])
    /// An object, members in order; a name may repeat.
    case object([Member])

    /// One member of an object.
    struct Member: Sendable {
        var name: RawJSON
        var value: RawJSON

        init(_ name: String, _ value: RawJSON) {
            self.name = .string(name)
            self.value = value
        }

        init(name: RawJSON, value: RawJSON) {
            self.name = name
            self.value = value
        }
    }

    /// One step of a path into a document: a member by position or an element by index.
    enum Step: Hashable, Sendable {
        case member(Int)
        case element(Int)
    }

    /// `value` as a publisher would write it, members in the given key order (sorted unless `order` reorders them).
    init(_ value: JSONValue, order: ([String]) -> [String] = { $0.sorted() }) {
        switch value {
        case .null: self = .literal("null")
        case .bool(let flag): self = .literal(flag ? "true" : "false")
        case .integer(let number): self = .literal(String(number))
        case .number: self = .literal(value.jsonString())
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map { RawJSON($0, order: order) })
        case .object(let members):
            self = .object(order(Array(members.keys)).map { Member($0, RawJSON(members[$0]!, order: order)) })
        }
    }

    /// The document's bytes; `indent` pretty-prints with that many spaces a level.
    func bytes(indent: Int? = nil) -> [UInt8] {
        var output: [UInt8] = []
        write(to: &output, indent: indent, level: 0)
        return output
    }

    private func write(to output: inout [UInt8], indent: Int?, level: Int) {
        func newline(_ level: Int) {
            guard let indent else { return }
            output.append(0x0A)
            output += Array(repeating: UInt8(ascii: " "), count: indent * level)
        }
        switch self {
        case .literal(let text):
            output += Array(text.utf8)
        case .string(let text):
            var quoted = ""
            JSONValue.appendQuoted(text, to: &quoted)
            output += Array(quoted.utf8)
        case .rawString(let content):
            output.append(UInt8(ascii: "\""))
            output += content
            output.append(UInt8(ascii: "\""))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(level + 1)
                element.write(to: &output, indent: indent, level: level + 1)
            }
            if !elements.isEmpty { newline(level) }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(level + 1)
                member.name.write(to: &output, indent: indent, level: level + 1)
                output += indent == nil ? [UInt8(ascii: ":")] : [UInt8(ascii: ":"), UInt8(ascii: " ")]
                member.value.write(to: &output, indent: indent, level: level + 1)
            }
            if !members.isEmpty { newline(level) }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Every value in the document with its path, the document itself (`[]`) first, in one walk.
    var nodes: [(path: [Step], value: RawJSON)] {
        var found: [(path: [Step], value: RawJSON)] = []
        var path: [Step] = []
        func visit(_ node: RawJSON) {
            found.append((path, node))
            switch node {
            case .literal, .string, .rawString: break
            case .array(let elements):
                for (index, element) in elements.enumerated() {
                    path.append(.element(index))
                    visit(element)
                    path.removeLast()
                }
            case .object(let members):
                for (index, member) in members.enumerated() {
                    path.append(.member(index))
                    visit(member.value)
                    path.removeLast()
                }
            }
        }
        visit(self)
        return found
    }

    /// The value at `path`, or `nil` when there is none.
    subscript(path: [Step]) -> RawJSON? {
        var node = self
        for step in path {
            switch (node, step) {
            case (.array(let elements), .element(let index)) where elements.indices.contains(index):
                node = elements[index]
            case (.object(let members), .member(let index)) where members.indices.contains(index):
                node = members[index].value
            default:
                return nil
            }
        }
        return node
    }

    /// The document with the value at `path` replaced by what `change` returns, or removed (from its array or object)
    /// when it returns `nil`; the document itself cannot be removed and stays as it is.
    func replacing(_ path: [Step], with change: (RawJSON) -> RawJSON?) -> RawJSON {
        guard let step = path.first else { return change(self) ?? self }
        let rest = Array(path.dropFirst())
        switch (self, step) {
        case (.array(var elements), .element(let index)) where elements.indices.contains(index):
            if !rest.isEmpty {
                elements[index] = elements[index].replacing(rest, with: change)
            } else if let replacement = change(elements[index]) {
                elements[index] = replacement
            } else {
                elements.remove(at: index)
            }
            return .array(elements)
        case (.object(var members), .member(let index)) where members.indices.contains(index):
            if !rest.isEmpty {
                members[index].value = members[index].value.replacing(rest, with: change)
            } else if let replacement = change(members[index].value) {
                members[index].value = replacement
            } else {
                members.remove(at: index)
            }
            return .object(members)
        default:
            return self
        }
    }

    /// The path as ``FieldError`` writes it (`workplace.institution.urn`, `items[2]`), for case descriptions.
    func describe(_ path: [Step]) -> String {
        var text = ""
        var node: RawJSON? = self
        for step in path {
            switch (node, step) {
            case (.object(let members)?, .member(let index)):
                if case .string(let name) = members[index].name {
                    text += text.isEmpty ? name : ".\(name)"
                } else {
                    text += "[member \(index)]"
                }
                node = members[index].value
            case (.array(let elements)?, .element(let index)):
                text += "[\(index)]"
                node = elements[index]
            default:
                return text + "?"
            }
        }
        return text.isEmpty ? "(body)" : text
    }

    /// How many arrays and objects enclose one another at the deepest point; a scalar has depth 0.
    var depth: Int {
        switch self {
        case .literal, .string, .rawString: 0
        case .array(let elements): 1 + (elements.map(\.depth).max() ?? 0)
        case .object(let members): 1 + (members.map(\.value.depth).max() ?? 0)
        }
    }

    /// What kind of JSON value this is: `null`, `boolean`, `number`, `string`, `array` or `object`.
    var kind: String {
        switch self {
        case .literal("null"): "null"
        case .literal("true"), .literal("false"): "boolean"
        case .literal: "number"
        case .string, .rawString: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
