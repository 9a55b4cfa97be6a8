/// The JSON Schema (draft-07 subset) of a message payload, built in Swift so that one value both
/// validates incoming bodies and documents them.
///
/// The subset is what contracts need: objects with required properties and a choice about unknown
/// ones, strings with lengths, patterns and formats, bounded integers and numbers, booleans,
/// bounded arrays, string enumerations, constants and `oneOf`, each optionally nullable and
/// described. Build schemas with the static functions:
///
/// ```swift
/// .object([
///     "trn": .string(pattern: "^[0-9]{7}$", patternDescription: "7 digits"),
///     "email": .email,
///     "startDate": .date.described("The first day of the course."),
/// ], required: ["trn", "email"])
/// ```
public struct JSONSchema: Sendable, Equatable {
    /// What kind of value the schema accepts, with that kind's constraints.
    public indirect enum Shape: Sendable, Equatable {
        /// Any JSON value.
        case any
        /// A string meeting the rules.
        case string(StringRules)
        /// A whole number within the bounds, inclusive.
        case integer(minimum: Int?, maximum: Int?)
        /// A number within the bounds, inclusive.
        case number(minimum: Double?, maximum: Double?)
        /// `true` or `false`.
        case boolean
        /// An array whose elements all match `items`.
        case array(items: JSONSchema, minItems: Int?, maxItems: Int?)
        /// An object with these properties; `additionalProperties` says whether others are allowed.
        case object(properties: [String: JSONSchema], required: [String], additionalProperties: Bool)
        /// One of these strings.
        case enumeration([String])
        /// Exactly this value.
        case constant(JSONValue)
        /// A value matching exactly one of these schemas.
        case oneOf([JSONSchema])
    }

    /// The constraints on a string.
    public struct StringRules: Sendable, Equatable {
        /// The fewest characters (Unicode scalars, as JSON Schema counts them).
        public var minLength: Int?
        /// The most characters.
        public var maxLength: Int?
        /// A regular expression the string must contain a match of; anchor it with `^…$` to
        /// match the whole string.
        public var pattern: String?
        /// What the pattern means in words, completing "<field> must be …", e.g. `"7 digits"`;
        /// without it the error shows the pattern itself, which few people can read.
        public var patternDescription: String?
        /// A named format the string must have.
        public var format: StringFormat?

        /// Creates string rules.
        public init(
            minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, patternDescription: String? = nil,
            format: StringFormat? = nil
        ) {
            self.minLength = minLength
            self.maxLength = maxLength
            self.pattern = pattern
            self.patternDescription = patternDescription
            self.format = format
        }
    }

    /// What the schema accepts.
    public var shape: Shape

    /// The JSON Schema `description`: what the value means, for documentation.
    public var documentation: String?

    /// Whether `null` is accepted besides the shape.
    public var isNullable: Bool

    /// Creates a schema from its parts; the static builders are usually clearer.
    public init(shape: Shape, documentation: String? = nil, isNullable: Bool = false) {
        self.shape = shape
        self.documentation = documentation
        self.isNullable = isNullable
    }

    // MARK: Builders

    /// Any JSON value.
    public static var any: JSONSchema {
        JSONSchema(shape: .any)
    }

    /// A string with optional length bounds, pattern and format.
    public static func string(
        minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, patternDescription: String? = nil,
        format: StringFormat? = nil
    ) -> JSONSchema {
        JSONSchema(
            shape: .string(
                StringRules(
                    minLength: minLength, maxLength: maxLength, pattern: pattern,
                    patternDescription: patternDescription,
                    format: format)))
    }

    /// A whole number with optional inclusive bounds.
    public static func integer(minimum: Int? = nil, maximum: Int? = nil) -> JSONSchema {
        JSONSchema(shape: .integer(minimum: minimum, maximum: maximum))
    }

    /// A number with optional inclusive bounds.
    public static func number(minimum: Double? = nil, maximum: Double? = nil) -> JSONSchema {
        JSONSchema(shape: .number(minimum: minimum, maximum: maximum))
    }

    /// `true` or `false`.
    public static var boolean: JSONSchema {
        JSONSchema(shape: .boolean)
    }

    /// An array of `items` with optional bounds on its length.
    public static func array(of items: JSONSchema, minItems: Int? = nil, maxItems: Int? = nil) -> JSONSchema {
        JSONSchema(shape: .array(items: items, minItems: minItems, maxItems: maxItems))
    }

    /// An object with `properties`, of which `required` must be present.
    ///
    /// Unknown properties are refused unless `additionalProperties` is true; see
    /// ``MessageContract/schema`` for which messages should allow them.
    public static func object(
        _ properties: [String: JSONSchema], required: [String], additionalProperties: Bool = false
    ) -> JSONSchema {
        let undeclared = required.filter { properties[$0] == nil }
        precondition(undeclared.isEmpty, "required properties \(undeclared) are not declared")
        return JSONSchema(
            shape: .object(properties: properties, required: required, additionalProperties: additionalProperties))
    }

    /// One of `values`.
    public static func enumeration(_ values: [String]) -> JSONSchema {
        precondition(!values.isEmpty, "an enumeration needs at least one value")
        return JSONSchema(shape: .enumeration(values))
    }

    /// One of the raw values of `type`, in declaration order.
    public static func enumeration<Values: CaseIterable & RawRepresentable>(of type: Values.Type) -> JSONSchema
    where Values.RawValue == String {
        enumeration(Values.allCases.map(\.rawValue))
    }

    /// Exactly `value`.
    public static func constant(_ value: JSONValue) -> JSONSchema {
        JSONSchema(shape: .constant(value))
    }

    /// A value matching exactly one of `schemas`.
    public static func oneOf(_ schemas: [JSONSchema]) -> JSONSchema {
        precondition(!schemas.isEmpty, "oneOf needs at least one schema")
        return JSONSchema(shape: .oneOf(schemas))
    }

    /// A UUID string.
    public static var uuid: JSONSchema {
        .string(format: .uuid)
    }

    /// An RFC 3339 date-time string.
    public static var dateTime: JSONSchema {
        .string(format: .dateTime)
    }

    /// A `YYYY-MM-DD` calendar date string.
    public static var date: JSONSchema {
        .string(format: .date)
    }

    /// An email address string, at most 254 characters.
    public static var email: JSONSchema {
        .string(maxLength: 254, format: .email)
    }

    /// An absolute URI string, at most 2048 characters.
    public static var uri: JSONSchema {
        .string(maxLength: 2048, format: .uri)
    }

    // MARK: Modifiers

    /// The same schema, also accepting `null`.
    public func nullable() -> JSONSchema {
        var copy = self
        copy.isNullable = true
        return copy
    }

    /// The same schema with a `description` for documentation.
    public func described(_ text: String) -> JSONSchema {
        var copy = self
        copy.documentation = text
        return copy
    }
}
