import Foundation

/// Turns a message body into a contract value, refusing it with a ``ContractViolation`` that
/// explains every problem instead of crashing or reporting only the first.
///
/// Decoding goes in three steps: parse within limits (size, depth, UTF-8), validate against the
/// contract's schema (collecting all field errors), then decode with `JSONDecoder`. Validating
/// first means integrators get schema-quality messages rather than Swift `DecodingError` text.
public enum ContractDecoder {
    /// Decodes `body` as a message of contract `M`.
    ///
    /// - Throws: a ``ContractViolation`` with reason `too_large` for an oversized body,
    ///   `undecodable` for a body that is not JSON, or `invalid_fields` with every field error.
    public static func decode<M: MessageContract>(
        _ contract: M.Type, from body: Data, limits: JSONParsingLimits = .default
    ) throws(ContractViolation) -> M {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body, limits: limits)
        } catch {
            throw ContractViolation(
                reason: error.code == .tooLarge ? .tooLarge : .undecodable, detail: error.message,
                fieldErrors: [error.fieldError])
        }

        let fieldErrors = M.schema.validate(value)
        guard fieldErrors.isEmpty else {
            throw ContractViolation(
                reason: .invalidFields, detail: invalidFieldsDetail(typeName: M.typeName, fieldErrors),
                fieldErrors: fieldErrors)
        }

        do {
            return try makeJSONDecoder().decode(M.self, from: body)
        } catch let error as DecodingError {
            // The schema accepted the body, so this is a check only the Swift type makes.
            let fieldError = fieldError(from: error)
            throw ContractViolation(
                reason: .invalidFields, detail: invalidFieldsDetail(typeName: M.typeName, [fieldError]),
                fieldErrors: [fieldError])
        } catch {
            throw ContractViolation(
                reason: .undecodable, detail: "The body could not be read as \(M.typeName): \(error)")
        }
    }

    /// Decodes `body` as whichever catalog contract `typeName` names.
    ///
    /// - Throws: a ``ContractViolation`` with reason `unknown_type` when the catalog has no such
    ///   contract, or any violation from ``decode(_:from:limits:)``.
    public static func decode(
        typeName: String, from body: Data, limits: JSONParsingLimits = .default
    ) throws(ContractViolation) -> any MessageContract {
        guard let contract = MessageCatalog.contract(forTypeName: typeName) else {
            throw ContractViolation(
                reason: .unknownType,
                detail: MessageType(typeName: typeName) == nil
                    ? "\"\(typeName)\" is not a message type; types look like npq.application.submit.v1."
                    : "\(typeName) is not a message type this suite knows; check the name and version.")
        }
        return try decode(contract, from: body, limits: limits)
    }

    /// A `JSONDecoder` for the suite's conventions: camelCase keys as declared, and dates in RFC
    /// 3339 with or without fractional seconds and with any offset, rounded to the millisecond.
    ///
    /// ``ContractEncoder`` writes milliseconds, so keeping a finer fraction would make a decoded
    /// message differ from the same message re-encoded and decoded again.
    public static func makeJSONDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "must be \(StringFormat.dateTime.expectation)")
            }
            return RFC3339.roundedToMilliseconds(date)
        }
        return decoder
    }

    private static func invalidFieldsDetail(typeName: String, _ fieldErrors: [FieldError]) -> String {
        let count = fieldErrors.count == 1 ? "1 field" : "\(fieldErrors.count) fields"
        let first = fieldErrors.first.map { " First: \($0.message)." } ?? ""
        return "The body does not match \(typeName): \(count) to fix.\(first)"
    }

    /// A field error pointing at where Swift's decoding failed.
    private static func fieldError(from error: DecodingError) -> FieldError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce(into: "") { path, key in
                if let index = key.intValue {
                    path += "[\(index)]"
                } else {
                    path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return FieldError(field: field, rule: "required", message: "\(key.stringValue) is required")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return FieldError(field: field, rule: "required", message: "\(field) must not be null")
        case .typeMismatch(_, let context):
            let field = path(context.codingPath)
            return FieldError(
                field: field, rule: "type", message: "\(field.isEmpty ? "the body" : field) has the wrong type")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            let name = field.isEmpty ? "the body" : field
            return FieldError(field: field, rule: "format", message: "\(name) is invalid: \(context.debugDescription)")
        @unknown default:
            return FieldError(field: "", rule: "format", message: "the body could not be decoded: \(error)")
        }
    }
}
