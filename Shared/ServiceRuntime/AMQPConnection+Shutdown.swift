import AMQP
import ServiceLifecycle

extension AMQPConnection {
    /// Declares `topology`, waiting for the broker if it is not up yet (the connection declares it all again after a
    /// reconnect); returns `false` when a graceful shutdown ended the wait first.
    func declareUnlessShuttingDown(_ topology: AMQPTopology) async throws -> Bool {
        do {
            try await cancelWhenGracefulShutdown {
                try await self.declare(topology)
            }
            return true
        } catch let error as AMQPError where error.code == .cancelled {
            return false
        } catch is CancellationError {
            return false
        }
    }
}
