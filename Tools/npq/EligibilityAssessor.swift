import CohortsDomain
import EligibilityDomain
import Foundation
import MessageContracts

/// What every line of one `npq eligibility assess` run is decided against: the cohorts' funding modes, the policy,
/// the reference lists and the schools register.
struct EligibilityAssessor {
    let fundingModes: [String: FundingMode]
    let policy: EligibilityPolicy
    let lists: EligibilityLists
    let register: SchoolRegister
    /// The schools file's path, for messages.
    let schoolsFile: String

    /// Loads the reference files.
    ///
    /// - Throws: a ``CLIError`` naming the file and what is wrong with it, and the option that names it.
    init(
        cohortsReference: String, policy policyFile: String, lists listsDirectory: String, schools: String
    )
        throws(CLIError)
    {
        do {
            let reference = try CohortReferenceData.load(
                directory: cohortsReference, hint: "give the directory of the cohort files with --cohorts-reference")
            fundingModes = Dictionary(
                reference.cohorts.map { ($0.identifier, $0.fundingMode) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw CLIError("\(error)")
        }
        policy = try Self.load(policyFile, option: "--policy") { (data) throws(EligibilityError) in
            try EligibilityPolicy.parse(data, file: policyFile)
        }
        var listFiles: [ReferenceListKind: Data] = [:]
        for kind in ReferenceListKind.allCases {
            let path = URL(fileURLWithPath: listsDirectory, isDirectory: true).appendingPathComponent(kind.fileName)
                .path
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CLIError(
                    "cannot read \(path): the \(kind.title) list (column \"\(kind.header)\") is needed; give the "
                        + "directory of the lists with --lists")
            }
            listFiles[kind] = contents
        }
        do {
            lists = try EligibilityLists.parse(listFiles, directory: listsDirectory)
        } catch {
            throw CLIError("\(error)")
        }
        register = try Self.load(schools, option: "--schools") { (data) throws(EligibilityError) in
            try SchoolRegister.parse(data, file: schools)
        }
        schoolsFile = schools
    }

    private static func load<T>(
        _ path: String, option: String, _ parse: (Data) throws(EligibilityError) -> T
    ) throws(CLIError) -> T {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read \(path): give the file with \(option)")
        }
        do {
            return try parse(contents)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Explanations already written as JSON string literals. There are few distinct ones (they depend on the rule,
    /// course, cohort and setting, not on the person), and escaping each anew took a third of a large run's time.
    private var quotedExplanations: [String: String] = [:]

    /// The output line for input line `number` (without its newline), and whether it was decided.
    mutating func assess(line: String, number: Int) -> (output: String, ok: Bool) {
        do {
            let (id, decision) = try decision(line)
            return (output(id: id, decision), true)
        } catch {
            let failure: JSONValue = .object([
                "id": error.id.map(JSONValue.string) ?? .null, "error": .string(error.description(line: number)),
            ])
            return (failure.jsonString(), false)
        }
    }

    /// The decision for one line, and the line's id.
    private func decision(_ line: String) throws(CaseError) -> (id: String, decision: EligibilityDecision) {
        let answers = try EligibilityCase.parse(line)
        do {
            return (answers.id, try decide(answers))
        } catch var error {
            error.id = answers.id
            throw error
        }
    }

    /// `{"explanation":…,"funded":…,"id":…,"reviewRequired":…,"status":…}`: the keys in the sorted order
    /// ``MessageContracts/JSONValue/jsonString(prettyPrinted:)`` would give, written directly.
    private mutating func output(id: String, _ decision: EligibilityDecision) -> String {
        let explanation: String
        if let known = quotedExplanations[decision.explanation] {
            explanation = known
        } else {
            var quoted = ""
            JSONValue.appendQuoted(decision.explanation, to: &quoted)
            quotedExplanations[decision.explanation] = quoted
            explanation = quoted
        }
        var line = #"{"explanation":"#
        line += explanation
        line += decision.funded ? #","funded":true,"id":"# : #","funded":false,"id":"#
        JSONValue.appendQuoted(id, to: &line)
        line += decision.reviewRequired ? #","reviewRequired":true,"status":""# : #","reviewRequired":false,"status":""#
        line += decision.status.rawValue
        line += #""}"#
        return line
    }

    /// The decision for one line's answers, the institution completed from the schools register.
    private func decide(_ answers: EligibilityCase) throws(CaseError) -> EligibilityDecision {
        guard let mode = fundingModes[answers.cohort] else {
            throw CaseError(
                field: "cohort",
                "\"\(answers.cohort)\" is not a cohort of the cohort reference files; use one of "
                    + fundingModes.keys.sorted().joined(separator: ", "))
        }
        let input = EligibilityInput(
            cohort: answers.cohort, fundingMode: mode, course: answers.course, worksIn: answers.worksIn,
            workSetting: answers.workSetting, institution: try answers.institution.map(complete),
            kindOfNursery: answers.kindOfNursery, employmentType: answers.employmentType,
            ittProviderApproved: answers.ittProviderApproved,
            referredByReturnToTeachingAdviser: answers.referredByReturnToTeachingAdviser,
            headteacherStatus: answers.headteacherStatus, previouslyFunded: answers.previouslyFunded)
        do {
            return try EligibilityRules.assess(input, policy: policy, lists: lists)
        } catch {
            throw CaseError(field: error.field, error.message)
        }
    }

    /// `institution` with what the register knows: the type (unless the line gives one), the UKPRN (unless given)
    /// and whether the school is open. A URN (or, without one, a UKPRN) the register lacks needs a type on the line.
    private func complete(_ institution: EligibilityInstitution) throws(CaseError) -> EligibilityInstitution {
        let record: SchoolRecord?
        let key: (field: String, value: String)
        if let urn = institution.urn {
            record = register.school(urn: urn)
            key = ("institution.urn", urn)
        } else if let ukprn = institution.ukprn {
            record = register.school(ukprn: ukprn)
            key = ("institution.ukprn", ukprn)
        } else {
            return institution
        }
        guard let record else {
            guard institution.establishmentTypeCode != nil else {
                throw CaseError(
                    field: key.field,
                    "\(key.value) is not in the schools file \(schoolsFile); give "
                        + "institution.establishmentTypeCode, or a schools file that has it with --schools")
            }
            return institution
        }
        var completed = institution
        completed.urn = record.urn
        completed.ukprn = institution.ukprn ?? record.ukprn
        completed.establishmentTypeCode = institution.establishmentTypeCode ?? record.establishmentTypeCode
        completed.open = record.status.isOpen
        return completed
    }
}
