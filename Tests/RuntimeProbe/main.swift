import Foundation
import NPQTestSupport
import ServiceRuntime

// The runtime probe: a real service executable on ServiceRuntime, for process-level tests (SIGKILL, SIGTERM).
let environment = ProcessInfo.processInfo.environment
await ServiceApplication.main(service: environment["NPQ_SERVICE_NAME"] ?? "probe") { app in
    RuntimeProbe.configure(&app, environment: environment)
}
