import Foundation
import MessageContracts

/// The checks of applications.md on a submission that the schema cannot make: every field it finds wrong, with the
/// rule it breaks.
enum SubmissionCheck {
    /// What the check needs to know of the reference data.
    struct Reference {
        var course: (group: CourseGroup, hidden: Bool)?
        var cohort: ApplicationsStore.CohortRow?
        var offered: Bool
    }

    static func problems(_ submit: ApplicationSubmit, reference: Reference, on today: CalendarDate) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ rule: String, _ message: String) {
            errors.append(FieldError(field: field, rule: rule, message: message))
        }
        if let course = reference.course {
            if course.hidden {
                add("course", "course_offerable", "\(submit.course) is a legacy course and takes no applications")
            }
        } else {
            add("course", "known_course", "there is no course \(submit.course)")
        }
        if let cohort = reference.cohort {
            if today < cohort.registrationOpens || today > cohort.registrationCloses {
                add(
                    "cohort", "open_for_registration",
                    "cohort \(submit.cohort) takes applications from \(cohort.registrationOpens) to \(cohort.registrationCloses); today is \(today)"
                )
            }
        } else {
            add("cohort", "known_cohort", "there is no cohort \(submit.cohort)")
        }
        if reference.course != nil && reference.cohort != nil && !reference.offered {
            add(
                "leadProvider", "offers_course",
                "\(submit.leadProvider) does not offer \(submit.course) in cohort \(submit.cohort)")
        }
        if submit.course == "npq-senco" {
            switch submit.sencoInRole {
            case nil:
                add("sencoInRole", "required_for_senco", "sencoInRole is required for npq-senco")
            case "yes":
                if let month = submit.sencoStartDate {
                    if let start = CalendarDate(month + "-01"), start > today {
                        add("sencoStartDate", "not_in_future", "sencoStartDate \(month) is in the future")
                    } else if CalendarDate(month + "-01") == nil {
                        add("sencoStartDate", "month", "sencoStartDate \(month) is not a month of the form YYYY-MM")
                    }
                } else {
                    add("sencoStartDate", "required_when_in_role", "sencoStartDate is required when sencoInRole is yes")
                }
            default:
                break
            }
        }
        errors += workplaceProblems(submit.workplace, course: submit.course)
        return errors
    }

    /// The answers each branch of the funding decision needs (eligibility.md, "Inputs").
    static func workplaceProblems(_ workplace: Workplace, course: String) -> [FieldError] {
        var errors: [FieldError] = []
        func require(_ present: Bool, _ field: String, _ why: String) {
            if !present {
                errors.append(
                    FieldError(
                        field: "workplace.\(field)", rule: "required", message: "workplace.\(field) is required \(why)")
                )
            }
        }
        if course == "npq-early-headship-coaching-offer" {
            require(workplace.headteacherStatus != nil, "headteacherStatus", "for the early headship coaching offer")
        }
        guard workplace.worksIn == .england else { return errors }
        require(workplace.workSetting != nil, "workSetting", "for work in England")
        switch workplace.workSetting {
        case .aSchool?, .anAcademyTrust?:
            require(workplace.institution?.urn != nil, "institution.urn", "for a school or academy trust")
        case .a16To19EducationalSetting?:
            require(
                workplace.institution?.urn != nil || workplace.institution?.ukprn != nil, "institution.ukprn",
                "(or institution.urn) for a 16 to 19 setting")
        case .earlyYearsOrChildcare?:
            require(workplace.kindOfNursery != nil, "kindOfNursery", "for an early years setting")
            if workplace.kindOfNursery == .childminder {
                require(workplace.institution?.ofstedURN != nil, "institution.ofstedURN", "for a childminder")
            }
        case .anotherSetting?:
            require(workplace.employmentType != nil, "employmentType", "for another setting")
            if workplace.employmentType == .leadMentorForAccreditedITTProvider {
                require(workplace.ittProviderApproved != nil, "ittProviderApproved", "for a lead mentor")
            }
        case .other?:
            require(
                workplace.referredByReturnToTeachingAdviser != nil, "referredByReturnToTeachingAdviser",
                "for another kind of work")
        case nil:
            break
        }
        return errors
    }
}
