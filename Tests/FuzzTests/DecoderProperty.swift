import Foundation
import MessageContracts

/// What ``ContractDecoder`` must do with any body, whatever its bytes: return a value, or throw a ``ContractViolation``
/// that says why in the contract's own terms; never crash or hang.
///
/// - A body that is not JSON within the limits is refused as `too_large` (rule `size`) or `undecodable` (`syntax`,
///   `encoding`, `depth`) with one field error about the whole body (`""`), whose message gives a line and column.
/// - A body that is JSON but breaks the contract is refused as `invalid_fields`, every field error naming a schema rule
///   and a path that leads to the offending value in the body (for `required`, to a missing member or a `null`).
/// - A value the decoder accepts re-encodes with ``ContractEncoder`` to a body the decoder accepts again, giving an
///   equal value: what a service accepts it can republish unchanged.
enum DecoderProperty {
    /// The rules a schema check or the Swift type reports.
    static let fieldRules: Set = [
        "required", "type", "pattern", "enum", "format", "minLength", "maxLength", "minimum", "maximum",
        "additionalProperties", "minItems", "maxItems", "const", "oneOf",
    ]

    /// The rules about a body as a whole.
    static let bodyRules: Set = ["syntax", "encoding", "size", "depth"]

    /// Decodes `body` as `contract` and checks the outcome against the property.
    static func verdict<M: MessageContract>(
        _ contract: M.Type, body: [UInt8], limits: JSONParsingLimits = .default
    ) -> FuzzVerdict {
        let data = Data(body)
        let parsed = Result { () throws(JSONParsingError) in try JSONValue(parsing: data, limits: limits) }
        do {
            let value = try ContractDecoder.decode(M.self, from: data, limits: limits)
            return accepted(value, parsed: parsed)
        } catch {
            return refused(error, parsed: parsed)
        }
    }

    private static func accepted<M: MessageContract>(
        _ value: M, parsed: Result<JSONValue, JSONParsingError>
    ) -> FuzzVerdict {
        var verdict = FuzzVerdict("accepted")
        guard case .success(let document) = parsed else {
            verdict.violations.append("accepted a body the JSON parser refuses")
            return verdict
        }
        verdict.require(M.schema.validate(document).isEmpty, "accepted a body its schema refuses")
        let reencoded = ContractEncoder.encode(value)
        do {
            let again = try ContractDecoder.decode(M.self, from: reencoded)
            verdict.require(
                again == value,
                "the accepted value re-encodes to \(bytesLiteral(Array(reencoded), limit: 600)), "
                    + "which decodes to a different value")
        } catch {
            verdict.violations.append(
                "the accepted value re-encodes to \(bytesLiteral(Array(reencoded), limit: 600)), which is refused: "
                    + "\(error)")
        }
        return verdict
    }

    private static func refused(
        _ violation: ContractViolation, parsed: Result<JSONValue, JSONParsingError>
    ) -> FuzzVerdict {
        var verdict = FuzzVerdict("\(violation.reason.rawValue)/\(violation.fieldErrors.first?.rule ?? "none")")
        verdict.require(!violation.detail.isEmpty, "the violation has no detail")
        verdict.require(
            !violation.fieldErrors.isEmpty, "\(violation.reason.rawValue) without field errors: \(violation)")
        for fieldError in violation.fieldErrors {
            verdict.require(!fieldError.message.isEmpty, "field error without a message: \(fieldError)")
        }

        switch parsed {
        case .failure(let parsingError):
            let expectedReason: RejectionReason = parsingError.code == .tooLarge ? .tooLarge : .undecodable
            verdict.require(
                violation.reason == expectedReason,
                "the body is not JSON (\(parsingError.code)) but the reason is \(violation.reason.rawValue)")
            for fieldError in violation.fieldErrors {
                verdict.require(
                    bodyRules.contains(fieldError.rule) && fieldError.field.isEmpty,
                    "a body-level error should name the whole body and a body rule: \(fieldError)")
                if fieldError.rule != "size" {
                    verdict.require(
                        fieldError.message.contains("at line ") && fieldError.message.contains(", column "),
                        "a \(fieldError.rule) error should give the line and column: \(fieldError)")
                }
            }

        case .success(let document):
            verdict.require(
                violation.reason == .invalidFields,
                "the body is JSON but the reason is \(violation.reason.rawValue): \(violation)")
            for fieldError in violation.fieldErrors {
                verdict.require(fieldRules.contains(fieldError.rule), "unknown rule in \(fieldError)")
                guard let path = FieldPath(fieldError.field) else {
                    verdict.violations.append("the field is not a JSON path: \(fieldError)")
                    continue
                }
                switch (fieldError.rule, path.target(in: document)) {
                case ("required", .absentMember?), ("required", .value(.null)?):
                    break
                case ("required", let target):
                    verdict.violations.append(
                        "a required error should point at a missing member or a null, not "
                            + "\(String(describing: target)): \(fieldError)")
                case (_, .value?):
                    break
                case (_, let target):
                    verdict.violations.append(
                        "the path leads to \(String(describing: target)) in the body: \(fieldError)")
                }
            }
        }
        return verdict
    }
}
