import EligibilityDomain
import Foundation
import MessageContracts

/// Course identifiers by their short codes, as the domain documents name them.
enum Course {
    static let eyl = "npq-early-years-leadership"
    static let el = "npq-executive-leadership"
    static let h = "npq-headship"
    static let sl = "npq-senior-leadership"
    static let senco = "npq-senco"
    static let lbc = "npq-leading-behaviour-culture"
    static let ll = "npq-leading-literacy"
    static let lpm = "npq-leading-primary-mathematics"
    static let lt = "npq-leading-teaching"
    static let ltd = "npq-leading-teaching-development"
    static let ehco = "npq-early-headship-coaching-offer"
    static let aso = "npq-additional-support-offer"

    /// The ten courses the policy's sets place (all but EHCO and ASO).
    static let placed = [eyl, el, h, sl, senco, lbc, ll, lpm, lt, ltd]
    /// The six courses targeted in 2026.
    static let targeted2026 = [lt, ltd, lbc, ll, lpm, el]
}

/// The shipped policy, small in-memory lists and builders for inputs.
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func reference(_ name: String) -> URL {
        repository.appendingPathComponent("reference/eligibility").appendingPathComponent(name)
    }

    /// `reference/eligibility/policy.json`.
    static let policy: EligibilityPolicy = {
        do {
            return try EligibilityPolicy.parse(try Data(contentsOf: reference("policy.json")), file: "policy.json")
        } catch {
            fatalError("the shipped policy does not load: \(error)")
        }
    }()

    /// URNs and other identifiers on the in-memory lists.
    enum On {
        static let pp50School = "100001"
        static let pp50FE = "10000001"
        static let rise = "100009"
        static let childminder = "EY123456"
        static let laNursery = "100015"
        static let disadvantagedSchool = "100016"
        static let disadvantagedProvider = "EY654321"
    }

    /// A school URN on no list.
    static let ordinarySchool = "100002"

    static let lists = EligibilityLists(
        pp50Schools: [On.pp50School], pp50FurtherEducation: [On.pp50FE], riseSchools: [On.rise],
        childminders: [On.childminder], laNurseries: [On.laNursery],
        disadvantagedEarlyYears: [On.disadvantagedSchool, On.disadvantagedProvider])

    /// A school institution: by default an open community school (type 1) on no list.
    static func school(
        _ urn: String? = ordinarySchool, type: Int? = 1, ukprn: String? = nil, open: Bool = true
    ) -> EligibilityInstitution {
        EligibilityInstitution(urn: urn, ukprn: ukprn, establishmentTypeCode: type, open: open)
    }

    /// The funding mode of each cohort, as reference/cohorts/cohorts.json has it.
    static func mode(_ cohort: String) -> FundingMode {
        switch cohort {
        case "2021a", "2022a", "2023a": .full
        case "2026a": .zero
        default: .capped
        }
    }

    static func input(
        _ course: String, cohort: String = "2026b", worksIn: WorkCountry = .england, setting: WorkSetting = .aSchool,
        institution: EligibilityInstitution? = school(), kind: KindOfNursery? = nil, employment: EmploymentType? = nil,
        ittApproved: Bool? = nil, referred: Bool? = nil, headteacher: HeadteacherStatus? = nil,
        previouslyFunded: Bool = false
    ) -> EligibilityInput {
        EligibilityInput(
            cohort: cohort, fundingMode: mode(cohort), course: course, worksIn: worksIn, workSetting: setting,
            institution: institution, kindOfNursery: kind, employmentType: employment,
            ittProviderApproved: ittApproved, referredByReturnToTeachingAdviser: referred,
            headteacherStatus: headteacher, previouslyFunded: previouslyFunded)
    }

    /// An early years input: no institution unless given.
    static func earlyYears(
        _ course: String, kind: KindOfNursery, cohort: String = "2026b", institution: EligibilityInstitution? = nil
    ) -> EligibilityInput {
        input(course, cohort: cohort, setting: .earlyYearsOrChildcare, institution: institution, kind: kind)
    }

    /// An input in another setting, with no institution.
    static func another(
        _ course: String, employment: EmploymentType?, cohort: String = "2026b", ittApproved: Bool? = nil
    ) -> EligibilityInput {
        input(
            course, cohort: cohort, setting: .anotherSetting, institution: nil, employment: employment,
            ittApproved: ittApproved)
    }

    static func assess(_ input: EligibilityInput, lists: EligibilityLists = lists) throws -> EligibilityDecision {
        try EligibilityRules.assess(input, policy: policy, lists: lists)
    }
}
