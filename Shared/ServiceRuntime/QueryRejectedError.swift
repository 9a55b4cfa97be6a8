import AMQP
import Foundation
import Logging
import MessageContracts

/// The service refused a query; ``rejection`` says why.
public struct QueryRejectedError: Error, CustomStringConvertible {
    public let rejection: MessageRejected
    public var description: String {
        ([rejection.detail] + rejection.fieldErrors.map { "  \($0.field): \($0.message)" }).joined(separator: "\n")
    }
}
