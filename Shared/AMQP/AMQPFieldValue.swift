import Foundation

/// A value in an AMQP field table: message headers and the arguments of declarations.
///
/// Integers are kept as `Int64` whatever width the broker sent; they are written as signed 64-bit values,
/// which RabbitMQ accepts for every numeric argument (`x-delivery-limit`, `x-message-ttl` …).
public indirect enum AMQPFieldValue: Sendable, Hashable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case timestamp(Date)
    case table(AMQPTable)
    case array([AMQPFieldValue])
    case void

    /// The value as text when it is a string (or bytes that are valid UTF-8).
    public var stringValue: String? {
        switch self {
        case .string(let text): return text
        case .bytes(let bytes): return String(validating: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// The value as an integer when it is one.
    public var intValue: Int64? {
        if case .int(let number) = self { return number }
        return nil
    }
}

/// An AMQP field table: string keys to ``AMQPFieldValue``s.
public typealias AMQPTable = [String: AMQPFieldValue]

extension AMQPFieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
