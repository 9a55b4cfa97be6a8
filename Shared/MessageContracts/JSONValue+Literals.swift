extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// A string value.
    public init(stringLiteral value: String) {
        self = .string(value)
    }

    /// An exact integer value.
    public init(integerLiteral value: Int) {
        self = .integer(value)
    }

    /// A number value.
    public init(floatLiteral value: Double) {
        self = .number(value)
    }

    /// A boolean value.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }

    /// An array value.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }

    /// An object value; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}
