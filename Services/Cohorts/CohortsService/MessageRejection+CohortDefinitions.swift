import CohortsDomain
import Foundation
import MessageContracts
import ServiceRuntime

extension MessageRejection {
    /// A refusal for breaking domain rules, naming each field and rule.
    init(_ violations: [RuleViolation]) {
        self.init(
            .ruleViolation, detail: violations.map(\.description).joined(separator: "; "),
            fieldErrors: violations.map { FieldError(field: $0.field, rule: $0.rule, message: $0.message) })
    }
}
