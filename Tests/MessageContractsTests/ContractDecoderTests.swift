import Foundation
import MessageContracts
import Testing

/// Decoding bodies into contracts, and refusing bad ones with reasons a publisher can act on.
@Suite("Contract decoding")
struct ContractDecoderTests {
    private func violation(_ body: String, limits: JSONParsingLimits = .default) -> ContractViolation? {
        violation(Data(body.utf8), limits: limits)
    }

    private func violation(_ body: Data, limits: JSONParsingLimits = .default) -> ContractViolation? {
        do {
            _ = try ContractDecoder.decode(MessageRejected.self, from: body, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    private static let validBody = """
        {"correlationID":null,"detail":"The body is not valid JSON.","fieldErrors":[],
         "reason":"undecodable","rejectedAt":"2024-09-02T09:15:30+01:00","service":"applications"}
        """

    @Test("A valid body decodes, with dates in any RFC 3339 offset")
    func decodesValidBody() throws {
        let message = try ContractDecoder.decode(MessageRejected.self, from: Data(Self.validBody.utf8))
        #expect(message.service == "applications")
        #expect(message.reason == .undecodable)
        #expect(message.correlationID == nil)
        #expect(message.rejectedAt == RFC3339.parse("2024-09-02T08:15:30Z"))
    }

    @Test("Unknown fields in an event are tolerated so that additive changes do not break consumers")
    func eventsTolerateUnknownFields() throws {
        let body = Self.validBody.replacingOccurrences(
            of: "{\"correlationID\"", with: "{\"addedLater\":1,\"correlationID\"")
        #expect(throws: Never.self) { try ContractDecoder.decode(MessageRejected.self, from: Data(body.utf8)) }
    }

    @Test("A body that is not JSON is undecodable")
    func nonJSONIsUndecodable() throws {
        let refused = try #require(violation("{\"service\": "))
        #expect(refused.reason == .undecodable)
        #expect(refused.detail.hasPrefix("The body is not valid JSON"))
        #expect(refused.fieldErrors.map(\.rule) == ["syntax"])
        #expect(violation(Data([0x7B, 0xFF, 0x7D]))?.reason == .undecodable)
        #expect(violation(String(repeating: "[", count: 10_000))?.reason == .undecodable)
    }

    @Test("A body over the size limit is too large")
    func oversizedIsTooLarge() {
        #expect(violation(Self.validBody, limits: JSONParsingLimits(maxBytes: 64))?.reason == .tooLarge)
    }

    @Test("A body that breaks the schema lists every invalid field")
    func invalidFieldsAreListed() throws {
        let refused = try #require(
            violation(
                #"{"reason":"bored","rejectedAt":"2024-09-02","service":"Applications","fieldErrors":[{"field":1}]}"#))
        #expect(refused.reason == .invalidFields)
        #expect(
            refused.fieldErrors.map(\.field) == [
                "detail", "fieldErrors[0].field", "fieldErrors[0].message", "fieldErrors[0].rule", "reason",
                "rejectedAt", "service",
            ])
        #expect(
            refused.fieldErrors.map(\.rule) == [
                "required", "type", "required", "required", "enum", "format", "pattern",
            ])
        #expect(
            refused.detail
                == "The body does not match npq.message.rejected.v1: 7 fields to fix. First: detail is required.")
    }

    @Test("Decoding by type name finds the catalog contract, or refuses an unknown type")
    func decodesByTypeName() throws {
        let message = try ContractDecoder.decode(typeName: "npq.message.rejected.v1", from: Data(Self.validBody.utf8))
        #expect(message as? MessageRejected != nil)
        for typeName in ["npq.message.rejected.v9", "rejected"] {
            do {
                _ = try ContractDecoder.decode(typeName: typeName, from: Data(Self.validBody.utf8))
                Issue.record("\(typeName) should be unknown")
            } catch {
                #expect(error.reason == .unknownType)
            }
        }
    }

    @Test("Encoding sorts keys, writes UTC dates with milliseconds and leaves slashes alone")
    func encoderConventions() {
        var message = MessageRejected.example
        message.detail = "see https://example.org/a/b"
        message.fieldErrors = []
        message.originalMessageID = nil
        message.originalType = nil
        message.correlationID = nil
        let text = String(decoding: ContractEncoder.encode(message), as: UTF8.self)
        #expect(
            text
                == #"{"detail":"see https://example.org/a/b","fieldErrors":[],"reason":"invalid_fields","rejectedAt":"2024-09-02T08:15:30.250Z","service":"applications"}"#
        )
    }

    @Test("A rejection built from a violation carries its reason, detail and field errors, at most 100 of them")
    func rejectionFromViolation() throws {
        let errors = (0..<150).map {
            FieldError(field: "items[\($0)]", rule: "type", message: "items[\($0)] must be an object")
        }
        let violation = ContractViolation(reason: .invalidFields, detail: "150 fields to fix.", fieldErrors: errors)
        let rejected = MessageRejected(
            violation: violation, service: "cohorts", originalMessageID: "m", originalType: "npq.cohort.define.v1",
            correlationID: "c", rejectedAt: RFC3339.parse("2024-09-02T08:15:30Z")!)
        #expect(rejected.reason == .invalidFields)
        #expect(rejected.fieldErrors.count == MessageRejected.maxFieldErrors)
        #expect(MessageRejected.schema.accepts(try JSONValue(parsing: ContractEncoder.encode(rejected))))
        var headers = rejected.rejectionHeaders
        let removed = headers.removeValue(forKey: "x-npq-rejection-fields")
        let fields = try #require(removed)
        #expect(
            headers == [
                "x-npq-rejection": "invalid_fields", "x-npq-rejection-detail": "150 fields to fix.",
                "x-npq-rejected-by": "cohorts",
            ])
        let kept = try JSONDecoder().decode([FieldError].self, from: Data(fields.utf8))
        #expect(kept == Array(errors.prefix(20)))
    }
}

/// A contract with a whole-number field, to see how numbers written with a fraction are handled.
private struct Counted: MessageContract {
    var count: Int
    static let name = "probe.counted"
    static let version = 1
    static let kind = MessageKind.command
    static let summary = "A probe with a count."
    static var schema: JSONSchema { .object(["count": .integer(minimum: 0)], required: ["count"]) }
    static var example: Counted { Counted(count: 1) }
}

@Suite("Contract decoding of numbers")
struct ContractDecoderNumberTests {
    @Test("A whole number written as 3.0 is accepted as an integer")
    func integralFractionIsAccepted() throws {
        #expect(try ContractDecoder.decode(Counted.self, from: Data(#"{"count":3.0}"#.utf8)) == Counted(count: 3))
    }

    @Test("A negative count breaks the minimum and a fraction breaks the type")
    func numberRules() throws {
        do {
            _ = try ContractDecoder.decode(Counted.self, from: Data(#"{"count":-1}"#.utf8))
            Issue.record("expected a violation")
        } catch {
            #expect(
                error.fieldErrors == [FieldError(field: "count", rule: "minimum", message: "count must be at least 0")])
        }
        do {
            _ = try ContractDecoder.decode(Counted.self, from: Data(#"{"count":1.5}"#.utf8))
            Issue.record("expected a violation")
        } catch {
            #expect(error.fieldErrors.map(\.rule) == ["type"])
        }
    }
}
