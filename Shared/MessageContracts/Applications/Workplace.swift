import Foundation

/// The workplace answers of an application: the inputs of the funding decision.
public struct Workplace: Codable, Sendable, Equatable {
    public var worksIn: WorkCountry
    public var workSetting: WorkSetting?
    public var institution: Institution?
    /// Early years settings only.
    public var kindOfNursery: KindOfNursery?
    /// Another setting only.
    public var employmentType: EmploymentType?
    /// Free text, e.g. "Head of year 9".
    public var employmentRole: String?
    /// Lead mentors only: whether their ITT provider is on the approved list.
    public var ittProviderApproved: Bool?
    /// Other settings only.
    public var referredByReturnToTeachingAdviser: Bool?
    /// For the early headship coaching offer.
    public var headteacherStatus: HeadteacherStatus?

    public init(
        worksIn: WorkCountry, workSetting: WorkSetting? = nil, institution: Institution? = nil,
        kindOfNursery: KindOfNursery? = nil, employmentType: EmploymentType? = nil, employmentRole: String? = nil,
        ittProviderApproved: Bool? = nil, referredByReturnToTeachingAdviser: Bool? = nil,
        headteacherStatus: HeadteacherStatus? = nil
    ) {
        self.worksIn = worksIn
        self.workSetting = workSetting
        self.institution = institution
        self.kindOfNursery = kindOfNursery
        self.employmentType = employmentType
        self.employmentRole = employmentRole
        self.ittProviderApproved = ittProviderApproved
        self.referredByReturnToTeachingAdviser = referredByReturnToTeachingAdviser
        self.headteacherStatus = headteacherStatus
    }

    public static var schema: JSONSchema {
        .object(
            [
                "worksIn": .enumeration(of: WorkCountry.self).described("Where the applicant works."),
                "workSetting": JSONSchema.enumeration(of: WorkSetting.self).nullable().described(
                    "The kind of setting."),
                "institution": Institution.schema.nullable().described("The school or provider."),
                "kindOfNursery": JSONSchema.enumeration(of: KindOfNursery.self).nullable().described(
                    "Early years settings: which kind."),
                "employmentType": JSONSchema.enumeration(of: EmploymentType.self).nullable().described(
                    "Another setting: the employment."),
                "employmentRole": JSONSchema.string(maxLength: 200).nullable().described("The applicant's role."),
                "ittProviderApproved": JSONSchema.boolean.nullable().described(
                    "Lead mentors: whether their ITT provider is approved."),
                "referredByReturnToTeachingAdviser": JSONSchema.boolean.nullable().described(
                    "Other settings: referred by a return-to-teaching adviser."),
                "headteacherStatus": JSONSchema.enumeration(of: HeadteacherStatus.self).nullable().described(
                    "For the early headship coaching offer."),
            ],
            required: ["worksIn"])
    }

    static var example: Workplace {
        Workplace(
            worksIn: .england, workSetting: .aSchool, institution: Institution(urn: "100000"),
            employmentRole: "Assistant headteacher")
    }
}
