import ApplicationsService
import Foundation
import ServiceRuntime

// npq-applications: see ApplicationsService.
let environment = ProcessInfo.processInfo.environment
await ServiceApplication.main(service: "applications", environment: environment) { app in
    try ApplicationsService.configure(&app, options: try ApplicationsService.Options.load(environment: environment))
}
