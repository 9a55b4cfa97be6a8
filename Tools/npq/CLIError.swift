import AMQP
import ArgumentParser
import Foundation
import Logging
import ServiceRuntime

/// A failure while running a command (not a usage mistake): printed as `Error: …` without the usage text.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
