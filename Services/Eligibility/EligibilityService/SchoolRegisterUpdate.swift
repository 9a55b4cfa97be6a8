import EligibilityDomain
import Foundation
import MessageContracts
import ServiceRuntime

/// Makes a checked list of schools the register's new version — from an operator's import or from the service's own
/// file, the same way: compare with the current version, swap the establishments, record the version, and publish
/// `school.register.imported` and, in parts, `school.register.changed` for the services that keep a copy.
enum SchoolRegisterUpdate {
    /// What an update came from.
    struct Source: Sendable {
        var sha256: String
        var fileName: String?
        /// The import's id; `nil` for the service's own file.
        var importID: UUID?
        /// The broker user, or ``SchoolRegisterStore/fileImporter``.
        var importedBy: String
    }

    /// The most bytes of entries one `school.register.changed` part carries, well under the broker's 1 MiB.
    static let partBytes = 800_000

    /// Applies `schools` as the new version; returns its `school.register.imported`, or the current version's when
    /// `schools` is the register as it already is (nothing is then recorded or published).
    static func apply(
        _ schools: [SchoolRecord], from source: Source, in context: some TransactionContext
    ) async throws -> SchoolRegisterImported {
        let database = context.database
        let latest = try await SchoolRegisterStore.latest(in: database)
        let changes = SchoolRegisterChanges(from: try await SchoolRegisterStore.schools(in: database), to: schools)
        if let latest, changes.isEmpty { return latest }
        try await SchoolRegisterStore.replace(with: schools, in: database)
        let imported = SchoolRegisterImported(
            version: (latest?.version ?? 0) + 1, schools: schools.count, added: changes.added.count,
            removed: changes.removed.count, changed: changes.changed.count, sha256: source.sha256,
            fileName: source.fileName, importID: source.importID, importedBy: source.importedBy,
            importedAt: context.now)
        try await SchoolRegisterStore.record(imported, in: database)
        context.publish(imported)
        for part in parts(changes, version: imported.version, at: context.now) { context.publish(part) }
        context.logger.info(
            "schools register imported",
            metadata: [
                "version": "\(imported.version)", "schools": "\(imported.schools)", "added": "\(imported.added)",
                "removed": "\(imported.removed)", "changed": "\(imported.changed)",
            ])
        return imported
    }

    /// The changes as `school.register.changed` parts, each under ``partBytes`` and
    /// ``SchoolRegisterChanged/maxEntriesPerPart`` entries; none when nothing changed.
    static func parts(_ changes: SchoolRegisterChanges, version: Int, at time: Date) -> [SchoolRegisterChanged] {
        let encoder = ContractEncoder.makeJSONEncoder()
        var parts: [(schools: [SchoolRegisterEntry], removed: [String])] = []
        var current: (schools: [SchoolRegisterEntry], removed: [String]) = ([], [])
        var bytes = 0
        func add(_ size: Int, _ append: (inout (schools: [SchoolRegisterEntry], removed: [String])) -> Void) {
            let count = current.schools.count + current.removed.count
            if count > 0, bytes + size > partBytes || count >= SchoolRegisterChanged.maxEntriesPerPart {
                parts.append(current)
                current = ([], [])
                bytes = 0
            }
            append(&current)
            bytes += size
        }
        for school in changes.added + changes.changed {
            let entry = school.entry()
            add(((try? encoder.encode(entry))?.count ?? 300) + 1) { $0.schools.append(entry) }
        }
        for urn in changes.removed { add(urn.utf8.count + 3) { $0.removed.append(urn) } }
        if !current.schools.isEmpty || !current.removed.isEmpty { parts.append(current) }
        return parts.enumerated().map { index, part in
            SchoolRegisterChanged(
                version: version, part: index + 1, parts: parts.count, schools: part.schools, removed: part.removed,
                changedAt: time)
        }
    }
}
