import Foundation

/// The reply to a request sent with ``AMQPConnection/request(_:timeout:)``.
public struct AMQPReply: Sendable {
    public var body: Data
    public var properties: AMQPProperties
}
