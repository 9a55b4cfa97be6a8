import Foundation
import Logging
import MessageContracts
import SENCOService
import SQLKit
import ServiceRuntime
import Testing

/// The sweep must find the spells due for a check through an index, not by reading every spell.
@Suite("SENCO sweep")
struct SENCOSweepIndexTests {
    @Test("The sweep's selection of due spells searches the index on next_check_on")
    func dueSpellsUseTheIndex() async throws {
        let store = try await SQLStore.open(.sqliteInMemory, logger: Logger(label: "test"))
        _ = try await store.migrate(MessageStore.migrations + SENCOStore.migrations)
        let plan = try await store.read { database in
            // The statement SENCOStore.dueSpellIDs builds.
            try await database.raw(
                """
                EXPLAIN QUERY PLAN SELECT "spell_id" FROM "senco_spell" WHERE "next_check_on" <= '2026-11-22'
                ORDER BY "next_check_on" ASC LIMIT 500
                """
            ).all().map { try $0.decode(column: "detail", as: String.self) }
        }
        try await store.close()
        #expect(plan.contains { $0.contains("USING INDEX senco_spell_next_check") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN senco_spell") }, "\(plan)")
    }

    @Test("The due query the store builds is the statement above")
    func dueQueryShape() async throws {
        let store = try await SQLStore.open(.sqliteInMemory, logger: Logger(label: "test"))
        _ = try await store.migrate(MessageStore.migrations + SENCOStore.migrations)
        let sql = try await store.read { database in
            database.serialize(
                SENCOStore.dueSpellsQuery(on: CalendarDate("2026-11-22")!, limit: 500, in: database).query
            ).sql
        }
        try await store.close()
        #expect(
            sql
                == #"SELECT "spell_id" FROM "senco_spell" WHERE "next_check_on" <= ?1 ORDER BY "next_check_on" ASC LIMIT 500"#
        )
    }
}
