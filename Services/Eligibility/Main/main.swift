import EligibilityService
import Foundation
import ServiceRuntime

// npq-eligibility: see EligibilityService.
let environment = ProcessInfo.processInfo.environment
await ServiceApplication.main(service: "eligibility", environment: environment) { app in
    try EligibilityService.configure(&app, options: try EligibilityService.Options.load(environment: environment))
}
