import Foundation
import MessageContracts
import SENCODomain

/// Why one input line cannot be evaluated: the field (a path such as `priorSpells[1].to`, or `nil` for the line as a
/// whole), what is wrong with it, and the case's id when the line has one.
struct CaseError: Error, Equatable {
    var id: String?
    var field: String?
    var message: String

    init(id: String? = nil, field: String?, _ message: String) {
        self.id = id
        self.field = field
        self.message = message
    }

    /// `line N: field: what is wrong`.
    func description(line: Int) -> String {
        ["line \(line)", field, message].compactMap { $0 }.joined(separator: ": ")
    }
}
