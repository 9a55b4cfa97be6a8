import Foundation
import MessageContracts
import Testing

/// Regressions found in review: each fails without its fix.
@Suite("Limits on what a rejection echoes")
struct RejectionLimitsTests {
    @Test("an enormous key in a hostile body gives a rejection that still meets its own schema")
    func enormousKey() throws {
        let key = String(repeating: "k", count: 600_000)
        let body = Data(#"{"\#(key)":1,"\#(key)":2}"#.utf8)
        let violation = #expect(throws: ContractViolation.self) {
            _ = try ContractDecoder.decode(MessageRejected.self, from: body, limits: .init(maxBytes: 2_000_000))
        }
        let event = MessageRejected(
            violation: try #require(violation), service: "applications", originalMessageID: nil, originalType: nil,
            correlationID: nil, rejectedAt: Date(timeIntervalSince1970: 0))
        #expect(event.detail.count <= 2_000)
        #expect(event.fieldErrors.allSatisfy { $0.field.count <= 512 && $0.message.count <= 1_000 })
        let encoded = try JSONValue(parsing: ContractEncoder.encode(event))
        #expect(MessageRejected.schema.validate(encoded).isEmpty)
    }

    @Test("integers are compared exactly: 1e300 is not a whole number in range, 2^53 + 1 exceeds 2^53")
    func exactIntegers() throws {
        let schema = JSONSchema.integer(minimum: 0, maximum: 9_007_199_254_740_992)
        #expect(!schema.validate(try JSONValue(parsing: Data("1e300".utf8))).isEmpty)
        #expect(!schema.validate(try JSONValue(parsing: Data("9007199254740993".utf8))).isEmpty)
        #expect(schema.validate(try JSONValue(parsing: Data("9007199254740992".utf8))).isEmpty)
    }

    @Test("a date that is not a real date is refused without repeating it (it may be a date of birth)")
    func dateNotEchoed() throws {
        struct Holder: Decodable { let date: CalendarDate }
        #expect {
            _ = try JSONDecoder().decode(Holder.self, from: Data(#"{"date":"1984-02-30"}"#.utf8))
        } throws: { error in
            !"\(error)".contains("1984-02-30")
        }
    }
}
