import ApplicationsDomain
import Foundation
import MessageContracts
import Testing

/// The approval and training state machines of applications.md, rule by rule.
@Suite("Application state machines")
struct ApplicationStateMachineTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func application(
        course: String = "npq-headship", provider: String = "teach-first", cohort: String = "2026b",
        person: String = "alex@example.sch.uk", trn: String? = "1234567", eligible: Bool = true
    ) -> Application {
        Application(
            id: UUID(), personKey: person, trn: trn, course: course, leadProvider: provider, cohort: cohort,
            eligibleForFunding: eligible, submittedBy: "npq-registration", at: now)
    }

    static func accepted(_ application: Application = application()) throws -> Application {
        var copy = application
        _ = try copy.accept(
            provider: copy.leadProvider, by: "npq-lp-teach-first", fundedPlace: true, schedule: nil,
            fundingMode: .capped, others: [], at: now)
        return copy
    }

    // MARK: Approval

    @Test("Accepting a pending application: accepted, training active, funded place and schedule set, history kept")
    func acceptPending() throws {
        var application = Self.application()
        let events = try application.accept(
            provider: "teach-first", by: "npq-lp-teach-first", fundedPlace: true, schedule: "npq-leadership-autumn",
            fundingMode: .capped, others: [], schedules: ["npq-leadership-autumn": .leadership],
            courseGroup: .leadership,
            at: Self.now)
        #expect(events == [.accepted])
        #expect(application.approval == .accepted)
        #expect(application.training == .active)
        #expect(application.fundedPlace == true)
        #expect(application.schedule == "npq-leadership-autumn")
        #expect(application.acceptedAt == Self.now)
        #expect(application.history.map(\.action) == ["submitted", "accepted"])
        #expect(application.history.last?.by == "npq-lp-teach-first")
    }

    @Test("Only the lead provider the application names may act on it")
    func onlyNamedProvider() throws {
        var application = Self.application()
        for provider in ["ambition-institute", nil] as [String?] {
            let error = #expect(throws: ApplicationViolation.self) {
                try application.accept(
                    provider: provider, by: "x", fundedPlace: true, schedule: nil, fundingMode: .capped, others: [],
                    at: Self.now)
            }
            #expect(error?.kind == .unauthorized)
            #expect(error?.rule == "named_lead_provider")
        }
        var accepted = try Self.accepted()
        #expect(throws: ApplicationViolation.self) {
            try accepted.withdraw(provider: "ambition-institute", by: "x", reason: .other, at: Self.now)
        }
        #expect(application.approval == .pending)
        #expect(accepted.training == .active)
    }

    @Test("Accept is refused when already accepted or rejected (no rejected → accepted)")
    func acceptRefusedWhenDecided() throws {
        var accepted = try Self.accepted()
        let twice = #expect(throws: ApplicationViolation.self) {
            try accepted.accept(
                provider: "teach-first", by: "x", fundedPlace: true, schedule: nil, fundingMode: .capped, others: [],
                at: Self.now)
        }
        #expect(twice?.rule == "already_accepted")
        var rejected = Self.application()
        _ = try rejected.reject(provider: "teach-first", by: "x", reason: nil, at: Self.now)
        let again = #expect(throws: ApplicationViolation.self) {
            try rejected.accept(
                provider: "teach-first", by: "x", fundedPlace: true, schedule: nil, fundingMode: .capped, others: [],
                at: Self.now)
        }
        #expect(again?.rule == "already_rejected")
    }

    @Test(
        "Accept is refused when the same person's application for the same course and cohort is accepted (by identity or TRN; EHCO ≡ ASO)",
        arguments: [
            ("alex@example.sch.uk", "1234567", "npq-headship"), ("other@example.sch.uk", "1234567", "npq-headship"),
            ("alex@example.sch.uk", nil, "npq-headship"),
            ("alex@example.sch.uk", "1234567", "npq-additional-support-offer"),
        ] as [(String, String?, String)])
    func sameCourseSameCohort(person: String, trn: String?, otherCourse: String) throws {
        let course =
            otherCourse == "npq-additional-support-offer" ? "npq-early-headship-coaching-offer" : "npq-headship"
        let first = try Self.accepted(
            Self.application(course: otherCourse, provider: "ambition-institute", person: person, trn: trn)
                .withProvider("teach-first"))
        var second = Self.application(course: course)
        let error = #expect(throws: ApplicationViolation.self) {
            try second.accept(
                provider: "teach-first", by: "x", fundedPlace: true, schedule: nil, fundingMode: .capped,
                others: [first], at: Self.now)
        }
        #expect(error?.rule == "already_accepted_same_course_cohort")
        #expect(second.approval == .pending)
    }

    @Test("Not a conflict: another cohort, another course, another person, or the accepted one withdrawn")
    func notConflicts() throws {
        let others = [
            try Self.accepted(Self.application(cohort: "2025a")),
            try Self.accepted(Self.application(course: "npq-senco")),
            try Self.accepted(Self.application(person: "sam@example.sch.uk", trn: "7654321")),
        ]
        var withdrawn = try Self.accepted()
        _ = try withdrawn.withdraw(provider: "teach-first", by: "x", reason: .startedInError, at: Self.now)
        var application = Self.application()
        let events = try application.accept(
            provider: "teach-first", by: "x", fundedPlace: true, schedule: nil, fundingMode: .capped,
            others: others + [withdrawn], at: Self.now)
        #expect(events == [.accepted])
    }

    @Test("Accepting rejects the same person's other pending applications for that course and cohort")
    func acceptRejectsOtherPending() throws {
        var pendingElsewhere = Self.application(provider: "ambition-institute")
        let otherCohort = Self.application(provider: "ambition-institute", cohort: "2025a")
        var application = Self.application()
        let events = try application.accept(
            provider: "teach-first", by: "x", fundedPlace: true, schedule: nil, fundingMode: .capped,
            others: [pendingElsewhere, otherCohort], at: Self.now)
        #expect(events == [.accepted, .otherApplicationToReject(pendingElsewhere.id)])
        #expect(
            pendingElsewhere.rejectAutomatically(.otherApplicationInThisCohortAccepted, at: Self.now)
                == [.rejected(.otherApplicationInThisCohortAccepted)])
        #expect(pendingElsewhere.approval == .rejected)
        #expect(pendingElsewhere.history.last?.reason == "other_application_in_this_cohort_accepted")
        #expect(pendingElsewhere.history.last?.by == "npq-applications")
    }

    @Test(
        "funded_place by cohort funding mode",
        arguments: [
            // capped: required; true only when eligible
            (FundingMode.capped, true, Bool?.none, "required_in_capped_cohort"),
            (.capped, false, true, "not_eligible_for_funding"), (.capped, true, true, nil),
            (.capped, false, false, nil),
            // zero: must be false
            (.zero, true, true, "false_in_unfunded_cohort"), (.zero, true, nil, "false_in_unfunded_cohort"),
            (.zero, true, false, nil),
            // full: everyone eligible is funded
            (.full, true, nil, nil), (.full, false, true, "not_eligible_for_funding"),
        ] as [(FundingMode, Bool, Bool?, String?)])
    func fundedPlaceRules(mode: FundingMode, eligible: Bool, fundedPlace: Bool?, refusal: String?) throws {
        var application = Self.application(eligible: eligible)
        do {
            _ = try application.accept(
                provider: "teach-first", by: "x", fundedPlace: fundedPlace, schedule: nil, fundingMode: mode,
                others: [], at: Self.now)
            #expect(refusal == nil)
            let expected: Bool? =
                switch mode {
                case .full: eligible
                case .zero: false
                case .capped: fundedPlace
                }
            #expect(application.fundedPlace == expected)
        } catch {
            #expect(error.rule == refusal)
            #expect(error.field == "fundedPlace")
            #expect(application.approval == .pending)
        }
    }

    @Test("A named schedule must exist in the cohort and belong to the course's group")
    func namedSchedule() throws {
        let schedules: [String: CourseGroup] = [
            "npq-leadership-autumn": .leadership, "npq-specialist-autumn": .specialist,
        ]
        for (schedule, rule) in [
            ("npq-leadership-spring", "schedule_in_cohort"), ("npq-specialist-autumn", "schedule_for_course_group"),
        ] {
            var application = Self.application()
            let error = #expect(throws: ApplicationViolation.self) {
                try application.accept(
                    provider: "teach-first", by: "x", fundedPlace: true, schedule: schedule, fundingMode: .capped,
                    others: [], schedules: schedules, courseGroup: .leadership, at: Self.now)
            }
            #expect(error?.rule == rule)
            #expect(error?.field == "schedule")
        }
    }

    @Test("Reject from pending, and from accepted unless a paid or payable declaration exists; never twice")
    func rejectRules() throws {
        var pending = Self.application()
        #expect(
            try pending.reject(provider: "teach-first", by: "x", reason: nil, at: Self.now) == [
                .rejected(.rejectedByProvider)
            ])
        let twice = #expect(throws: ApplicationViolation.self) {
            try pending.reject(provider: "teach-first", by: "x", reason: nil, at: Self.now)
        }
        #expect(twice?.rule == "already_rejected")
        var accepted = try Self.accepted()
        _ = try accepted.reject(provider: "teach-first", by: "x", reason: "changed plans", at: Self.now)
        #expect(accepted.approval == .rejected)
        #expect(accepted.training == nil)
        var paid = try Self.accepted()
        paid.hasPaidDeclaration = true
        let refused = #expect(throws: ApplicationViolation.self) {
            try paid.reject(provider: "teach-first", by: "x", reason: nil, at: Self.now)
        }
        #expect(refused?.rule == "paid_declaration_exists")
        #expect(paid.approval == .accepted)
    }

    @Test("Registration expiry rejects pending applications only")
    func registrationExpiry() throws {
        var pending = Self.application()
        #expect(pending.rejectAutomatically(.registrationExpired, at: Self.now) == [.rejected(.registrationExpired)])
        var accepted = try Self.accepted()
        #expect(accepted.rejectAutomatically(.registrationExpired, at: Self.now) == [])
        #expect(accepted.approval == .accepted)
    }

    // MARK: Training

    @Test("Training: active ↔ deferred, active/deferred → withdrawn, deferred/withdrawn → active")
    func trainingTransitions() throws {
        var participant = try Self.accepted()
        #expect(
            try participant.deferTraining(provider: "teach-first", by: "x", reason: .parentalLeave, at: Self.now) == [
                .deferred(.parentalLeave)
            ])
        #expect(try participant.resume(provider: "teach-first", by: "x", at: Self.now) == [.resumed])
        _ = try participant.deferTraining(provider: "teach-first", by: "x", reason: .bereavement, at: Self.now)
        #expect(
            try participant.withdraw(provider: "teach-first", by: "x", reason: .changeInCareer, at: Self.now) == [
                .withdrawn(.changeInCareer)
            ])
        #expect(try participant.resume(provider: "teach-first", by: "x", at: Self.now) == [.resumed])
        #expect(participant.training == .active)
        #expect(
            participant.history.map(\.action) == [
                "submitted", "accepted", "deferred", "resumed", "deferred", "withdrawn", "resumed",
            ])
        #expect(participant.history[2].reason == "parental-leave")
    }

    @Test("Resuming is refused while another application of the same person for the course and cohort is active")
    func resumeWithAnotherActive() throws {
        var withdrawn = try Self.accepted()
        _ = try withdrawn.withdraw(provider: "teach-first", by: "x", reason: .startedInError, at: Self.now)
        let replacement = try Self.accepted(Self.application(provider: "teach-first"))
        let error = #expect(throws: ApplicationViolation.self) {
            try withdrawn.resume(provider: "teach-first", by: "x", others: [replacement], at: Self.now)
        }
        #expect(error?.rule == "already_accepted_same_course_cohort")
        #expect(withdrawn.training == .withdrawn)
    }

    @Test(
        "Refused training transitions",
        arguments: [
            ("defer", TrainingStatus.deferred), ("defer", .withdrawn), ("resume", .active), ("withdraw", .withdrawn),
        ])
    func refusedTrainingTransitions(command: String, from status: TrainingStatus) throws {
        var participant = try Self.accepted()
        participant.training = status
        let error = #expect(throws: ApplicationViolation.self) {
            switch command {
            case "defer":
                _ = try participant.deferTraining(provider: "teach-first", by: "x", reason: .other, at: Self.now)
            case "resume": _ = try participant.resume(provider: "teach-first", by: "x", at: Self.now)
            default: _ = try participant.withdraw(provider: "teach-first", by: "x", reason: .other, at: Self.now)
            }
        }
        #expect(error?.rule == "training_status")
        #expect(participant.training == status)
    }

    @Test("Pending applications have no training status: defer, resume, withdraw and outcome are refused")
    func pendingHasNoTraining() throws {
        var pending = Self.application()
        #expect(pending.training == nil)
        let errors: [ApplicationViolation?] = [
            #expect(throws: ApplicationViolation.self) {
                try pending.deferTraining(provider: "teach-first", by: "x", reason: .other, at: Self.now)
            },
            #expect(throws: ApplicationViolation.self) {
                try pending.resume(provider: "teach-first", by: "x", at: Self.now)
            },
            #expect(throws: ApplicationViolation.self) {
                try pending.withdraw(provider: "teach-first", by: "x", reason: .other, at: Self.now)
            },
            #expect(throws: ApplicationViolation.self) {
                try pending.recordOutcome(
                    provider: "teach-first", by: "x", outcome: .passed, completedOn: CalendarDate("2028-07-01")!,
                    at: Self.now)
            },
        ]
        #expect(errors.map { $0?.rule } == ["not_accepted", "not_accepted", "not_accepted", "not_accepted"])
    }

    // MARK: Outcome

    @Test("Outcome: passed or failed with its date for assessed courses; EHCO has no outcome")
    func outcomes() throws {
        var participant = try Self.accepted()
        #expect(
            try participant.recordOutcome(
                provider: "teach-first", by: "x", outcome: .passed, completedOn: CalendarDate("2028-07-01")!,
                at: Self.now)
                == [.outcomeRecorded(.passed)])
        #expect(participant.outcomeOn == CalendarDate("2028-07-01"))
        var ehco = try Self.accepted(Self.application(course: "npq-early-headship-coaching-offer"))
        let error = #expect(throws: ApplicationViolation.self) {
            try ehco.recordOutcome(
                provider: "teach-first", by: "x", outcome: .passed, completedOn: CalendarDate("2028-07-01")!,
                at: Self.now)
        }
        #expect(error?.rule == "course_not_assessed")
        var withdrawn = try Self.accepted()
        _ = try withdrawn.withdraw(provider: "teach-first", by: "x", reason: .other, at: Self.now)
        #expect(throws: ApplicationViolation.self) {
            try withdrawn.recordOutcome(
                provider: "teach-first", by: "x", outcome: .failed, completedOn: CalendarDate("2028-07-01")!,
                at: Self.now)
        }
    }

    // MARK: Funding

    @Test("A changed funding decision sets eligibility and is kept in the history with who, when and why")
    func fundingChange() {
        var application = Self.application(eligible: false)
        application.changeFunding(
            from: .ineligibleEstablishmentNotAPP50, to: .markedFundedByPolicy, funded: true, by: "npq-operator",
            reason: "school joined PP50", at: Self.now)
        #expect(application.eligibleForFunding)
        #expect(application.history.map(\.action) == ["submitted", "funding_changed"])
        let change = application.history[1]
        #expect(change.by == "npq-operator")
        #expect(change.at == Self.now)
        #expect(change.reason == "ineligible_establishment_not_a_pp50 → marked_funded_by_policy: school joined PP50")
    }
}

extension Application {
    /// The same application, named for another provider.
    func withProvider(_ provider: String) -> Application {
        var copy = self
        copy.leadProvider = provider
        return copy
    }
}
