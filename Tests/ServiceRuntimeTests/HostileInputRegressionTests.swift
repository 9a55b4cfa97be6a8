import Foundation
import Logging
import SQLKit
import Testing

@testable import ServiceRuntime

/// Regressions found in review: each fails without its fix.
@Suite("Hostile input and misconfiguration regressions")
struct HostileInputRegressionTests {
    @Test("a password holding '#' (an unparsable URL) is still masked in the error")
    func passwordWithHash() {
        #expect {
            _ = try ConfigurationReader(environment: ["NPQ_AMQP_URL": "amqp://npq:s3cr#t@rabbit:5672/"])
                .url("NPQ_AMQP_URL", schemes: ["amqp", "amqps"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("NPQ_AMQP_URL") && !text.contains("s3cr")
        }
        #expect(ConfigurationReader.masked("anything", variable: "NPQ_SMTP_PASS") == "***")
        #expect(ConfigurationReader.masked("anything", variable: "NPQ_WEBHOOK_SIGNING_KEY") == "***")
    }

    @Test("a migration string with two statements is refused, not half-applied")
    func twoStatementsInOneString() async throws {
        let store = try await SQLStore.open(.sqliteInMemory, logger: Logger(label: "test"))
        await #expect(throws: SQLStoreError.self) {
            try await store.migrate([
                SQLMigration(
                    version: 100, name: "two", statements: ["CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER)"])
            ])
        }
        let tables = try await store.read { database in
            try await database.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')").all()
        }
        #expect(tables.isEmpty)
        try await store.close()
    }
}
