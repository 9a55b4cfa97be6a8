import CohortsService
import Foundation
import ServiceRuntime

// npq-cohorts: see CohortsService.
let environment = ProcessInfo.processInfo.environment
await ServiceApplication.main(service: "cohorts", environment: environment) { app in
    try CohortsService.configure(&app, options: try CohortsService.Options.load(environment: environment))
}
