import Foundation
import MessageContracts
import Testing

/// Validating bodies against contract schemas: every rule, with paths, all errors at once.
@Suite("JSON Schema validation")
struct JSONSchemaValidationTests {
    /// One rule check: a schema, a value, and the errors expected (empty for a valid value).
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let schema: JSONSchema
        let value: JSONValue
        let expected: [FieldError]

        var testDescription: String { name }

        init(_ name: String, _ schema: JSONSchema, _ value: JSONValue, _ expected: [FieldError] = []) {
            self.name = name
            self.schema = schema
            self.value = value
            self.expected = expected
        }
    }

    private static func error(_ field: String, _ rule: String, _ message: String) -> FieldError {
        FieldError(field: field, rule: rule, message: message)
    }

    /// A one-property object, so each rule's message names a field.
    private static func field(_ schema: JSONSchema) -> JSONSchema {
        .object(["trn": schema], required: ["trn"])
    }

    static let cases: [Case] = [
        // required and additionalProperties
        Case("required property missing", field(.string()), [:], [error("trn", "required", "trn is required")]),
        Case("optional property may be missing", .object(["trn": .string()], required: []), [:]),
        Case(
            "unknown property refused when additionalProperties is false", field(.string()),
            ["trn": "1234567", "tnr": "x"],
            [
                error(
                    "tnr", "additionalProperties", "tnr is not a field of this message; remove it or check its spelling"
                )
            ]),
        Case(
            "unknown property allowed when additionalProperties is true",
            .object(["trn": .string()], required: ["trn"], additionalProperties: true), ["trn": "1", "extra": 1]),
        Case(
            "odd property names are quoted in paths", .object([:], required: []), ["a b": 1],
            [
                error(
                    #"["a b"]"#, "additionalProperties",
                    "a b is not a field of this message; remove it or check its spelling")
            ]),
        // type
        Case(
            "body must be an object", field(.string()), [1],
            [error("", "type", "the body must be an object, but was a list")]),
        Case(
            "string expected", field(.string()), ["trn": 1234567],
            [error("trn", "type", "trn must be a string, but was a number")]),
        Case(
            "null refused unless nullable", field(.string()), ["trn": .null],
            [error("trn", "type", "trn must be a string, but was null")]),
        Case("null accepted when nullable", field(.string().nullable()), ["trn": .null]),
        Case(
            "nullable type error mentions null", field(.string().nullable()), ["trn": true],
            [error("trn", "type", "trn must be a string or null, but was true or false")]),
        Case("whole number accepted as integer", field(.integer()), ["trn": 3]),
        Case("integral double accepted as integer", field(.integer()), ["trn": 3.0]),
        Case(
            "fraction refused as integer", field(.integer()), ["trn": 3.5],
            [error("trn", "type", "trn must be a whole number, but was a number")]),
        Case(
            "number expected", field(.number()), ["trn": "3"],
            [error("trn", "type", "trn must be a number, but was a string")]),
        Case(
            "boolean expected", field(.boolean), ["trn": "true"],
            [error("trn", "type", "trn must be true or false, but was a string")]),
        Case(
            "array expected", field(.array(of: .string())), ["trn": "a"],
            [error("trn", "type", "trn must be a list, but was a string")]),
        // string rules
        Case(
            "pattern with description", field(.string(pattern: "^[0-9]{7}$", patternDescription: "7 digits")),
            ["trn": "12345"], [error("trn", "pattern", "trn must be 7 digits")]),
        Case(
            "pattern without description shows the pattern", field(.string(pattern: "^[A-Z]+$")), ["trn": "abc"],
            [error("trn", "pattern", "trn must be text matching the pattern ^[A-Z]+$")]),
        Case("pattern matched", field(.string(pattern: "^[0-9]{7}$")), ["trn": "1234567"]),
        Case(
            "minLength of one means not empty", field(.string(minLength: 1)), ["trn": ""],
            [error("trn", "minLength", "trn must not be empty")]),
        Case(
            "minLength", field(.string(minLength: 3)), ["trn": "ab"],
            [error("trn", "minLength", "trn must be at least 3 characters long")]),
        Case(
            "maxLength", field(.string(maxLength: 2)), ["trn": "abc"],
            [error("trn", "maxLength", "trn must be at most 2 characters long")]),
        Case("length counts characters, not bytes", field(.string(maxLength: 2)), ["trn": "éé"]),
        Case(
            "enum", field(.enumeration(["a", "b"])), ["trn": "c"],
            [error("trn", "enum", #"trn must be one of "a", "b""#)]),
        Case(
            "enum refuses non-strings", field(.enumeration(["a"])), ["trn": 1],
            [error("trn", "enum", #"trn must be one of "a""#)]),
        Case("enum accepts null when nullable", field(.enumeration(["a"]).nullable()), ["trn": .null]),
        // formats
        Case(
            "date must be a real calendar date", field(.date), ["trn": "2024-02-30"],
            [error("trn", "format", "trn must be a real calendar date written YYYY-MM-DD, like 2024-09-01")]),
        Case("leap day is a real date", field(.date), ["trn": "2024-02-29"]),
        Case(
            "date-time must be RFC 3339", field(.dateTime), ["trn": "2024-09-01 09:30"],
            [
                error(
                    "trn", "format",
                    "trn must be an RFC 3339 date and time with a time zone, like 2024-09-01T09:30:00Z")
            ]),
        Case("date-time with offset", field(.dateTime), ["trn": "2024-09-01T09:30:00.5+01:00"]),
        Case(
            "uuid format", field(.uuid), ["trn": "3f2b8c1e-9d4a-4c55-8f0e-2a7b6c1d9e0"],
            [error("trn", "format", "trn must be a UUID, like 3f2b8c1e-9d4a-4c55-8f0e-2a7b6c1d9e04")]),
        Case("uuid in capitals", field(.uuid), ["trn": "3F2B8C1E-9D4A-4C55-8F0E-2A7B6C1D9E04"]),
        Case(
            "email format", field(.email), ["trn": "head@school"],
            [error("trn", "format", "trn must be an email address, like head@school.example.org")]),
        Case("email accepted", field(.email), ["trn": "j.o'brien+npq@school.example.org"]),
        Case(
            "uri format", field(.uri), ["trn": "not a uri"],
            [error("trn", "format", "trn must be an absolute URI, like https://school.example.org/npq-webhook")]),
        // bounds
        Case(
            "minimum", field(.integer(minimum: 1)), ["trn": 0],
            [error("trn", "minimum", "trn must be at least 1")]),
        Case(
            "maximum", field(.number(maximum: 2.5)), ["trn": 3],
            [error("trn", "maximum", "trn must be at most 2.5")]),
        Case("bounds are inclusive", field(.integer(minimum: 1, maximum: 1)), ["trn": 1]),
        Case(
            "minItems", field(.array(of: .string(), minItems: 1)), ["trn": []],
            [error("trn", "minItems", "trn must have at least 1 item")]),
        Case(
            "maxItems", field(.array(of: .string(), maxItems: 2)), ["trn": ["a", "b", "c"]],
            [error("trn", "maxItems", "trn must have at most 2 items")]),
        // const and oneOf
        Case(
            "const", field(.constant("v1")), ["trn": "v2"],
            [error("trn", "const", #"trn must be "v1""#)]),
        Case("oneOf matching one", field(.oneOf([.string(), .integer()])), ["trn": 1]),
        Case(
            "oneOf matching none", field(.oneOf([.string(), .integer()])), ["trn": true],
            [error("trn", "oneOf", "trn does not match any of the allowed forms")]),
        Case(
            "oneOf matching two", field(.oneOf([.number(), .integer()])), ["trn": 1],
            [error("trn", "oneOf", "trn matches more than one of the allowed forms, so its meaning is ambiguous")]),
        Case("any accepts anything", field(.any), ["trn": ["x": [1, .null]]]),
    ]

    @Test("Each rule accepts what it should and explains what it refuses", arguments: cases)
    func ruleTable(testCase: Case) {
        #expect(testCase.schema.validate(testCase.value) == testCase.expected)
    }

    /// A schema with nesting, lists and several rules, like a real command.
    private static let application: JSONSchema = .object(
        [
            "applicant": .object(
                [
                    "trn": .string(pattern: "^[0-9]{7}$", patternDescription: "7 digits"),
                    "email": .email,
                    "dateOfBirth": .date,
                ], required: ["trn", "email"]),
            "items": .array(
                of: .object(["urn": .string(pattern: "^[0-9]{6}$", patternDescription: "6 digits")], required: ["urn"]),
                maxItems: 3),
            "course": .enumeration(["npq-senco", "npq-headship"]),
        ], required: ["applicant", "course"])

    @Test("Errors in nested objects and lists carry their full path")
    func nestedPaths() {
        let value: JSONValue = [
            "applicant": ["trn": "12", "email": "a@b.example.org"],
            "items": [["urn": "123456"], ["urn": "123456"], ["urn": "12"]],
            "course": "npq-senco",
        ]
        #expect(
            Self.application.validate(value) == [
                FieldError(field: "applicant.trn", rule: "pattern", message: "trn must be 7 digits"),
                FieldError(field: "items[2].urn", rule: "pattern", message: "urn must be 6 digits"),
            ])
    }

    @Test("All violations are collected, not just the first, in a stable order")
    func collectsAllViolations() {
        let value: JSONValue = [
            "applicant": ["trn": 1234567, "dateOfBirth": "2023-02-29", "nickname": "Jo"],
            "items": [["urn": "1"], "x", [:], ["urn": "123456"]],
            "colour": "blue",
        ]
        let errors = Self.application.validate(value)
        #expect(
            errors == [
                FieldError(
                    field: "applicant.dateOfBirth", rule: "format",
                    message: "dateOfBirth must be a real calendar date written YYYY-MM-DD, like 2024-09-01"),
                FieldError(field: "applicant.email", rule: "required", message: "email is required"),
                FieldError(field: "applicant.trn", rule: "type", message: "trn must be a string, but was a number"),
                FieldError(
                    field: "applicant.nickname", rule: "additionalProperties",
                    message: "nickname is not a field of this message; remove it or check its spelling"),
                FieldError(field: "course", rule: "required", message: "course is required"),
                FieldError(field: "items", rule: "maxItems", message: "items must have at most 3 items"),
                FieldError(field: "items[0].urn", rule: "pattern", message: "urn must be 6 digits"),
                FieldError(field: "items[1]", rule: "type", message: "items[1] must be an object, but was a string"),
                FieldError(field: "items[2].urn", rule: "required", message: "urn is required"),
                FieldError(
                    field: "colour", rule: "additionalProperties",
                    message: "colour is not a field of this message; remove it or check its spelling"),
            ])
        #expect(
            Self.application.validate([
                "applicant": ["trn": "1234567", "email": "a@b.example.org"], "course": "npq-senco",
            ]).isEmpty)
    }

    @Test("An invalid pattern is reported by uncompilablePatterns")
    func uncompilablePatternsAreFound() {
        let schema: JSONSchema = .object(["a": .string(pattern: "([a-z"), "b": .string(pattern: "^ok$")], required: [])
        #expect(schema.uncompilablePatterns == ["([a-z"])
        #expect(!schema.accepts(["a": "abc"]))
    }
}
