import EligibilityDomain
import Foundation
import MessageContracts
import ServiceRuntime

extension EligibilityHandlers {
    /// How long the parts of an import that never completed are kept.
    static let abandonedPartsKept: TimeInterval = 24 * 3600

    /// Keeps one part of a schools register import; the part that completes the import has the register checked as
    /// a whole and swapped in, and is answered with `school.register.imported`.
    ///
    /// A bad part is refused at once, naming its entry, line and field; a register bad as a whole (a URN in two
    /// parts) is refused with the part that completes it. Either way the register stays as it was. A part of an import
    /// already applied (sent again) is answered with that import's version again.
    func importSchools(_ message: IncomingMessage<SchoolRegisterImport>, _ context: HandlerContext) async throws {
        let command = message.payload
        let user = try requireOperator(message.publisher, to: "import the schools register")
        let database = context.database
        guard command.part <= command.parts else {
            throw MessageRejection.field(
                "part", rule: "part_in_parts", "part \(command.part) of an import of \(command.parts) parts")
        }
        try await SchoolRegisterStore.lockImport(command.importID, at: context.now, in: database)
        if let applied = try await SchoolRegisterStore.version(importID: command.importID, in: database) {
            context.reply(applied)
            return
        }
        for (index, entry) in command.schools.enumerated() {
            do {
                _ = try SchoolRecord(entry)
            } catch {
                throw Self.refusal(error, field: "schools[\(index)].\(error.field ?? "")", part: command.part)
            }
        }
        let staged = try await SchoolRegisterStore.stagedParts(command.importID, in: database)
        if let first = staged.first {
            let this = SchoolRegisterStore.PartHeader(
                part: command.part, parts: command.parts, sha256: command.sha256, fileName: command.fileName)
            for (field, theirs, ours) in [
                ("parts", "\(first.parts)", "\(this.parts)"), ("sha256", first.sha256, this.sha256),
                ("fileName", first.fileName ?? "none", this.fileName ?? "none"),
            ] where theirs != ours {
                throw MessageRejection.field(
                    field, rule: "same_import",
                    "part \(first.part) of import \(command.importID.uuidString.lowercased()) gave \(field) \(theirs); "
                        + "this part gives \(ours): every part of an import gives the same")
            }
        } else {
            try await SchoolRegisterStore.dropStaged(
                receivedBefore: context.now.addingTimeInterval(-Self.abandonedPartsKept), in: database)
        }
        try await SchoolRegisterStore.stage(command, at: context.now, in: database)
        let received = Set(staged.map(\.part)).union([command.part])
        guard received.count == command.parts else { return }

        let parts = try await SchoolRegisterStore.stagedSchools(command.importID, in: database)
        let schools: [SchoolRecord]
        do {
            schools = try SchoolRegisterAssembly.schools(parts)
        } catch {
            throw Self.refusal(error, field: error.field ?? "schools", part: nil)
        }
        let imported = try await SchoolRegisterUpdate.apply(
            schools,
            from: SchoolRegisterUpdate.Source(
                sha256: command.sha256, fileName: command.fileName, importID: command.importID, importedBy: user),
            in: context)
        try await SchoolRegisterStore.dropStaged(command.importID, in: database)
        context.reply(imported)
    }

    /// The refusal of a school that breaks a rule: its field, its line when known, and the rule.
    private static func refusal(_ error: EligibilityError, field: String, part: Int?) -> MessageRejection {
        let place = [part.map { "part \($0)" }, error.line.map { "line \($0)" }].compactMap { $0 }
            .joined(separator: ", ")
        let text = place.isEmpty ? error.message : "\(place): \(error.message)"
        return MessageRejection(
            .invalidFields, detail: "\(field): \(text)",
            fieldErrors: [FieldError(field: field, rule: "school_register", message: text)])
    }
}
