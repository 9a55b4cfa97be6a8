import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// Why a definition was not applied: rules it breaks (final), or the database failing (transient).
enum DefinitionError: Error, CustomStringConvertible {
    case violations([RuleViolation])
    case storage(any Error)

    var description: String {
        switch self {
        case .violations(let violations): violations.map(\.description).joined(separator: "; ")
        case .storage(let error): "\(error)"
        }
    }

    /// What a handler throws: a rejection naming every field for violations, the storage error itself otherwise.
    var handlerError: any Error {
        switch self {
        case .violations(let violations): MessageRejection(violations)
        case .storage(let error): error
        }
    }
}
