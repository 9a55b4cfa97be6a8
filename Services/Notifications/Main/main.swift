import Foundation
import NotificationsService
import ServiceRuntime

// npq-notifications: see NotificationsService.
let environment = ProcessInfo.processInfo.environment
await ServiceApplication.main(service: "notifications", environment: environment) { app in
    try NotificationsService.configure(&app, options: try NotificationsService.Options.load(environment: environment))
}
