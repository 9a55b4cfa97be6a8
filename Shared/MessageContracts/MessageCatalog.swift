import Foundation

/// Every message contract the suite knows, so that consumers can map an incoming `type` to a Swift
/// type and tools can generate documentation and fixtures for all of them.
///
/// Add each new contract to ``all``; the golden fixture tests then require a fixture for it.
public enum MessageCatalog {
    /// Every contract, in no particular order.
    public static let all: [any MessageContract.Type] = [
        MessageRejected.self,
        // Applications
        ApplicationSubmit.self, ApplicationAccept.self, ApplicationReject.self, ApplicationDefer.self,
        ApplicationResume.self, ApplicationWithdraw.self, ApplicationOutcomeRecord.self, ApplicationReceived.self,
        ApplicationAccepted.self, ApplicationSubmitted.self, ApplicationRejected.self, ParticipantDeferred.self,
        ParticipantResumed.self, ParticipantWithdrawn.self, ParticipantOutcomeRecorded.self, ApplicationGet.self,
        ApplicationGetResult.self, ApplicationList.self, ApplicationListResult.self, ApplicationExpire.self,
        ApplicationExpiryCompleted.self, ApplicationFundingChanged.self,
        // Expressions of interest
        InterestRegister.self, InterestRegistered.self, InterestRegistrationOpened.self,
        // Eligibility
        EligibilityAssessed.self, EligibilityOverride.self, EligibilityListImport.self, EligibilityListImported.self,
        // Schools register
        SchoolRegisterImport.self, SchoolRegisterImported.self, SchoolRegisterChanged.self,
        // Cohorts
        CohortDefine.self, CohortDefined.self, CohortOfferingSet.self, CohortOfferingUpdated.self,
        ScheduleDefine.self, ScheduleDefined.self, CohortRegistrationOpened.self, CohortRegistrationClosed.self,
        CohortOfferingTargetReached.self, ParticipantScheduled.self, CohortList.self, CohortListResult.self,
        CohortCalendar.self, CohortCalendarResult.self,
        // Notifications
        SchoolContactsRegister.self, SchoolContactsRegistered.self, NotificationDelivered.self, NotificationFailed.self,
        NotificationLogGet.self, NotificationLogResult.self,
        // SENCO
        SENCOAppointmentRecord.self, SENCOAppointmentEnd.self, SENCOQualificationRecord.self,
        SENCODeadlineTracked.self, SENCOStatusChanged.self, SENCOReminderDue.self, SENCOStatusGet.self,
        SENCOStatusResult.self, SENCOOverview.self, SENCOOverviewResult.self,
        // Operations (every service's runtime answers these)
        ParkedList.self, ParkedListResult.self, ParkedShow.self, ParkedShowResult.self, ParkedReplay.self,
        ParkedReplayed.self, ParkedPurge.self, ParkedPurged.self, ServiceStatusGet.self, ServiceStatusResult.self,
    ]

    /// The contracts by type name, built once.
    private static let byTypeName: [String: any MessageContract.Type] = Dictionary(
        all.map { ($0.typeName, $0) }, uniquingKeysWith: { first, _ in first })

    /// The contract whose type name is `typeName`, e.g. `"npq.message.rejected.v1"`, or `nil`.
    public static func contract(forTypeName typeName: String) -> (any MessageContract.Type)? {
        byTypeName[typeName]
    }

    /// The contract `text` names, as a person types it: `application.submit` (its newest version),
    /// `application.submit.v1` or `npq.application.submit.v1`, in any case, surrounding spaces ignored; or `nil`.
    public static func contract(named text: String) -> (any MessageContract.Type)? {
        let bare = bareName(text)
        return contract(forTypeName: MessageType.typeNamePrefix + bare)
            ?? all.filter { $0.name == bare }.max { $0.version < $1.version }
    }

    /// `text` lowercased and trimmed, without the `npq.` prefix: `application.submit` or `application.submit.v1`.
    public static func bareName(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.hasPrefix(MessageType.typeNamePrefix)
            ? String(trimmed.dropFirst(MessageType.typeNamePrefix.count)) : trimmed
    }

    /// The contracts of one kind, sorted by type name.
    public static func contracts(ofKind kind: MessageKind) -> [any MessageContract.Type] {
        all.filter { $0.kind == kind }.sorted { $0.typeName < $1.typeName }
    }
}
