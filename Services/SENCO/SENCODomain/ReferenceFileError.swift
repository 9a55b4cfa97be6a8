import Foundation
import MessageContracts

/// A reference file that cannot be used, and why.
public struct ReferenceFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
