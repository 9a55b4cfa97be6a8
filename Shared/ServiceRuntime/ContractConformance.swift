import Foundation
import MessageContracts

/// Checks, in debug builds, that what a service publishes meets its own contract: a message that breaks it would be
/// refused by every consumer, so a test that produces one stops at once, naming the type and the fields. Release
/// builds skip the check (it costs an encode and a validation per message).
enum ContractConformance {
    static func check<M: MessageContract>(_ payload: M) {
        assert(
            {
                guard let value = try? JSONValue(parsing: ContractEncoder.encode(payload)) else { return false }
                let errors = M.schema.validate(value)
                if !errors.isEmpty {
                    print("\(M.typeName) published against its contract: \(errors.map(\.description))")
                }
                return errors.isEmpty
            }(), "\(M.typeName) published against its own contract")
    }
}
