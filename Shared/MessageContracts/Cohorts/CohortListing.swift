import Foundation

/// One cohort in a ``CohortListResult``.
public struct CohortListing: Codable, Sendable, Equatable {
    public var cohort: CohortSummary
    public var registrationStatus: RegistrationStatus
    public var offerings: [OfferingDetails]
    public var schedules: [ScheduleDetails]

    public init(
        cohort: CohortSummary, registrationStatus: RegistrationStatus, offerings: [OfferingDetails],
        schedules: [ScheduleDetails]
    ) {
        self.cohort = cohort
        self.registrationStatus = registrationStatus
        self.offerings = offerings
        self.schedules = schedules
    }

    public static var schema: JSONSchema {
        .object(
            [
                "cohort": CohortSummary.schema.described("The cohort."),
                "registrationStatus": .enumeration(of: RegistrationStatus.self).described(
                    "Where its registration window stands on the day asked about."),
                "offerings": .array(of: OfferingDetails.schema, maxItems: 10_000).described("Its offerings."),
                "schedules": .array(of: ScheduleDetails.schema, maxItems: 100).described("Its schedules."),
            ],
            required: ["cohort", "registrationStatus", "offerings", "schedules"], additionalProperties: true)
    }
}
