import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Runs one ``PeriodicTask`` until graceful shutdown.
final class PeriodicTaskService: Service, Sendable {
    let task: PeriodicTask
    let runner: TaskRunner
    let afterRun: (@Sendable (String) -> Void)?

    init(task: PeriodicTask, runner: TaskRunner, afterRun: (@Sendable (String) -> Void)? = nil) {
        self.task = task
        self.runner = runner
        self.afterRun = afterRun
    }

    func run() async throws {
        let failures = Counter(label: "npq_task_failures_total", dimensions: [("task", task.name)])
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let more = try await self.runner.run(self.task.name, self.task.body)
                    self.afterRun?(self.task.name)
                    if more { continue }
                } catch is CancellationError {
                    return
                } catch {
                    failures.increment()
                    self.runner.logger.warning(
                        "periodic task failed; trying again at the next tick",
                        metadata: ["task": "\(self.task.name)", "error": "\(error)"])
                }
                try? await Task.sleep(for: self.task.interval)
            }
        }
    }
}
