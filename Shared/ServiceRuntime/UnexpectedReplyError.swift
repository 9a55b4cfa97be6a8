import AMQP
import Foundation
import Logging
import MessageContracts

/// A reply of a type the query does not produce.
public struct UnexpectedReplyError: Error, CustomStringConvertible {
    public let expected: String
    public let received: String
    public var description: String { "expected a reply of type \(expected), received \(received)" }
}
