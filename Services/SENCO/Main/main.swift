import Foundation
import SENCOService
import ServiceRuntime

// npq-senco: see SENCOService.
let environment = ProcessInfo.processInfo.environment
await ServiceApplication.main(service: "senco", environment: environment) { app in
    try SENCOService.configure(&app, options: try SENCOService.Options.load(environment: environment))
}
