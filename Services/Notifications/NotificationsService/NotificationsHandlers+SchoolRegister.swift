import MessageContracts
import ServiceRuntime

extension NotificationsHandlers {
    /// Keeps the copy of the schools register up to date with npq-eligibility's changes.
    func schoolRegisterChanged(
        _ message: IncomingMessage<SchoolRegisterChanged>, _ context: HandlerContext
    )
        async throws
    {
        let changes = message.payload
        try await SchoolRegisterCopy.apply(changes, in: context.database)
        context.logger.info(
            "schools register copy updated",
            metadata: [
                "version": "\(changes.version)", "part": "\(changes.part)/\(changes.parts)",
                "schools": "\(changes.schools.count)", "removed": "\(changes.removed.count)",
            ])
    }
}
