import Foundation
import MessageContracts
import Testing

/// Turning schemas into JSON Schema draft-07 documents.
@Suite("JSON Schema documents")
struct JSONSchemaDocumentTests {
    @Test("Each shape renders its draft-07 keywords")
    func rendersKeywords() {
        let schema: JSONSchema = .object(
            [
                "name": .string(minLength: 1, maxLength: 10, pattern: "^a", format: .email).described("A name."),
                "count": .integer(minimum: 0, maximum: 5),
                "ratio": .number(minimum: 0.5),
                "flag": .boolean.nullable(),
                "tags": .array(of: .enumeration(["x", "y"]), minItems: 1, maxItems: 2),
                "state": .enumeration(["on", "off"]).nullable(),
                "version": .constant(1),
                "either": .oneOf([.string(), .integer()]),
                "maybe": .constant("x").nullable(),
                "anything": .any,
            ], required: ["name", "count"])
        let expected: JSONValue = [
            "type": "object",
            "additionalProperties": false,
            "required": ["count", "name"],
            "properties": [
                "name": [
                    "type": "string", "minLength": 1, "maxLength": 10, "pattern": "^a", "format": "email",
                    "description": "A name.",
                ],
                "count": ["type": "integer", "minimum": 0, "maximum": 5],
                "ratio": ["type": "number", "minimum": 0.5],
                "flag": ["type": ["boolean", "null"]],
                "tags": [
                    "type": "array", "items": ["type": "string", "enum": ["x", "y"]], "minItems": 1, "maxItems": 2,
                ],
                "state": ["type": ["string", "null"], "enum": ["on", "off", .null]],
                "version": ["const": 1],
                "either": ["oneOf": [["type": "string"], ["type": "integer"]]],
                "maybe": ["anyOf": [["const": "x"], ["type": "null"]]],
                "anything": [:],
            ],
        ]
        #expect(schema.jsonValue == expected)
    }

    @Test("A standalone document has $schema, $id and title, pretty-printed with sorted keys")
    func standaloneDocument() {
        let schema: JSONSchema = .object(["id": .uuid], required: ["id"])
        let text = String(decoding: schema.jsonData(title: "Thing", id: "urn:npq:schema:thing"), as: UTF8.self)
        #expect(
            text == """
                {
                  "$id": "urn:npq:schema:thing",
                  "$schema": "http://json-schema.org/draft-07/schema#",
                  "additionalProperties": false,
                  "properties": {
                    "id": {
                      "format": "uuid",
                      "type": "string"
                    }
                  },
                  "required": [
                    "id"
                  ],
                  "title": "Thing",
                  "type": "object"
                }

                """)
    }

    @Test("jsonObject gives Foundation objects that JSONSerialization accepts")
    func foundationObjects() throws {
        let schema: JSONSchema = .object(["state": .enumeration(["on"]).nullable()], required: [])
        let object = schema.jsonObject()
        #expect(JSONSerialization.isValidJSONObject(object))
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        #expect(try JSONValue(parsing: data) == schema.jsonValue)
    }
}
