import Foundation

extension JSONSchema {
    /// The draft-07 meta-schema URI written to `$schema`.
    public static let draft07 = "http://json-schema.org/draft-07/schema#"

    /// The schema as a JSON value, without `$schema`, ready to embed in another document such as
    /// an AsyncAPI file.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = [:]
        switch shape {
        case .any:
            break
        case .string(let rules):
            members["type"] = typeValue("string")
            members["minLength"] = rules.minLength.map(JSONValue.integer)
            members["maxLength"] = rules.maxLength.map(JSONValue.integer)
            members["pattern"] = rules.pattern.map(JSONValue.string)
            members["format"] = rules.format.map { .string($0.rawValue) }
        case .integer(let minimum, let maximum):
            members["type"] = typeValue("integer")
            members["minimum"] = minimum.map(JSONValue.integer)
            members["maximum"] = maximum.map(JSONValue.integer)
        case .number(let minimum, let maximum):
            members["type"] = typeValue("number")
            members["minimum"] = minimum.map(JSONValue.number)
            members["maximum"] = maximum.map(JSONValue.number)
        case .boolean:
            members["type"] = typeValue("boolean")
        case .array(let items, let minItems, let maxItems):
            members["type"] = typeValue("array")
            members["items"] = items.jsonValue
            members["minItems"] = minItems.map(JSONValue.integer)
            members["maxItems"] = maxItems.map(JSONValue.integer)
        case .object(let properties, let required, let additionalProperties):
            members["type"] = typeValue("object")
            members["properties"] = .object(properties.mapValues(\.jsonValue))
            if !required.isEmpty {
                members["required"] = .array(required.sorted().map(JSONValue.string))
            }
            members["additionalProperties"] = .bool(additionalProperties)
        case .enumeration(let values):
            members["type"] = typeValue("string")
            members["enum"] = .array(values.map(JSONValue.string) + (isNullable ? [.null] : []))
        case .constant(let value):
            members["const"] = value
        case .oneOf(let schemas):
            members["oneOf"] = .array(schemas.map(\.jsonValue))
        }
        if isNullable, case .constant = shape {
            members = ["anyOf": [.object(members), ["type": "null"]]]
        } else if isNullable, case .oneOf = shape {
            members = ["anyOf": [.object(members), ["type": "null"]]]
        }
        members["description"] = documentation.map(JSONValue.string)
        return .object(members)
    }

    /// ``jsonValue`` as Foundation objects (`[String: Any]`, `NSNull` for null), for APIs that
    /// expect `JSONSerialization` output.
    public func jsonObject() -> [String: Any] {
        Self.foundationObject(jsonValue) as? [String: Any] ?? [:]
    }

    /// A standalone JSON Schema document: the schema with `$schema`, `$id` and `title`.
    public func document(title: String, id: String) -> JSONValue {
        guard case .object(var members) = jsonValue else { return jsonValue }
        members["$schema"] = .string(Self.draft07)
        members["$id"] = .string(id)
        members["title"] = .string(title)
        return .object(members)
    }

    /// ``document(title:id:)`` as pretty-printed JSON with sorted keys and a final newline.
    public func jsonData(title: String, id: String) -> Data {
        Data((document(title: title, id: id).jsonString(prettyPrinted: true) + "\n").utf8)
    }

    /// `"string"`, or `["string", "null"]` when null is also accepted.
    private func typeValue(_ name: String) -> JSONValue {
        isNullable ? [.string(name), "null"] : .string(name)
    }

    private static func foundationObject(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let value): value
        case .integer(let value): value
        case .number(let value): value
        case .string(let value): value
        case .array(let elements): elements.map(foundationObject)
        case .object(let members): members.mapValues(foundationObject)
        }
    }
}
