import Foundation
import MessageContracts

extension EligibilityPolicy {
    /// Reads the policy file: an object with an optional `about` text and the array `versions`. Each version has
    ///
    /// - `version` (its name), `cohorts` (the cohorts it applies to, e.g. `["2026a", "2026b"]`; a cohort belongs to
    ///   one version only) and an optional `source`;
    /// - `universalCourses` and `targetedCourses`: course identifiers, no course in both, EHCO and ASO in neither
    ///   (rule 4 decides them);
    /// - `riseFundsAllCourses` (true or false) and `eligibleEstablishmentTypeCodes` (GIAS type codes);
    /// - `leadMentorCourses` and `anotherSettingReviewCourses`: courses of the two sets;
    /// - `earlyYears`: `leadershipFunding` (`every_setting` or `disadvantaged_settings`), `laNurserySchoolCourses`
    ///   (courses of the two sets) and `laNurserySchoolListRequired` (true or false).
    ///
    /// Every field is required and unknown fields are refused, so that a misspelt switch cannot silently change
    /// decisions.
    ///
    /// - Throws: an ``EligibilityError`` naming the file, the version and the field, e.g.
    ///   `policy.json: versions[2] (2025).targetedCourses[1]: "npq-leading-maths" is not a course identifier …`.
    public static func parse(
        _ data: Data, file: String = "policy.json"
    ) throws(EligibilityError)
        -> EligibilityPolicy
    {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: data, limits: JSONParsingLimits(maxBytes: 16 << 20, maxDepth: 16))
        } catch {
            throw EligibilityError(.policyFile, file: file, error.message)
        }
        let top = try Reader(document, path: "", allowed: ["about", "versions"], file: file)
        let about = try top.string("about", required: false)
        let entries = try top.array("versions")
        guard !entries.isEmpty else { throw top.problem("versions", "at least one version is needed") }
        var versions: [EligibilityPolicyVersion] = []
        var versionOf: [String: String] = [:]
        for (index, entry) in entries.enumerated() {
            let name = entry["version"]?.stringValue.map { " (\($0))" } ?? ""
            let reader = try Reader(entry, path: "versions[\(index)]\(name)", allowed: Reader.versionFields, file: file)
            let version = try reader.version()
            if versions.contains(where: { $0.version == version.version }) {
                throw reader.problem("version", "\"\(version.version)\" names another version too; names must differ")
            }
            for cohort in version.cohorts {
                if let other = versionOf[cohort] {
                    throw reader.problem(
                        "cohorts", "\(cohort) is already in version \(other); a cohort has one version")
                }
                versionOf[cohort] = version.version
            }
            versions.append(version)
        }
        return EligibilityPolicy(about: about, versions: versions)
    }

    /// One JSON object of the file, read member by member; every problem names the file and the member's path.
    private struct Reader {
        static let versionFields = [
            "version", "cohorts", "source", "universalCourses", "targetedCourses", "riseFundsAllCourses",
            "eligibleEstablishmentTypeCodes", "leadMentorCourses", "anotherSettingReviewCourses", "earlyYears",
        ]
        static let earlyYearsFields = ["leadershipFunding", "laNurserySchoolCourses", "laNurserySchoolListRequired"]

        let members: [String: JSONValue]
        let path: String
        let file: String

        init(_ value: JSONValue, path: String, allowed: [String], file: String) throws(EligibilityError) {
            self.path = path
            self.file = file
            guard case .object(let members) = value else {
                throw EligibilityError(
                    .policyFile, file: file, field: path.isEmpty ? nil : path,
                    "must be an object, not \(value.kindDescription)")
            }
            self.members = members
            if let unknown = members.keys.filter({ !allowed.contains($0) }).sorted().first {
                throw problem(unknown, "not a field here; the fields are \(allowed.joined(separator: ", "))")
            }
        }

        func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        func problem(_ key: String, _ message: String) -> EligibilityError {
            EligibilityError(.policyFile, file: file, field: field(key), message)
        }

        func value(_ key: String) throws(EligibilityError) -> JSONValue {
            guard let value = members[key], value != .null else { throw problem(key, "missing") }
            return value
        }

        func string(_ key: String, required: Bool = true) throws(EligibilityError) -> String? {
            guard members[key] != nil || required else { return nil }
            let value = try value(key)
            guard let text = value.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw problem(key, "must be a non-empty string, not \(value.kindDescription)")
            }
            return text
        }

        func bool(_ key: String) throws(EligibilityError) -> Bool {
            let value = try value(key)
            guard case .bool(let flag) = value else {
                throw problem(key, "must be true or false, not \(value.kindDescription)")
            }
            return flag
        }

        func array(_ key: String) throws(EligibilityError) -> [JSONValue] {
            let value = try value(key)
            guard case .array(let elements) = value else {
                throw problem(key, "must be a list, not \(value.kindDescription)")
            }
            return elements
        }

        /// A list of strings of the shape `isValid` accepts (described by `shape`), each once.
        func strings(_ key: String, shape: String, _ isValid: (String) -> Bool) throws(EligibilityError) -> [String] {
            var result: [String] = []
            for (index, element) in try array(key).enumerated() {
                let at = "\(key)[\(index)]"
                guard let text = element.stringValue, isValid(text) else {
                    throw problem(at, "\(element.jsonString()) is not \(shape)")
                }
                guard !result.contains(text) else { throw problem(at, "\(text) is listed twice") }
                result.append(text)
            }
            return result
        }

        func courses(_ key: String) throws(EligibilityError) -> Set<String> {
            Set(
                try strings(key, shape: "a course identifier (npq-…)") {
                    $0.hasPrefix("npq-") && $0.utf8.count > 4
                        && $0.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
                })
        }

        /// Checks that the courses of `key` are all in `known`.
        func check(_ courses: Set<String>, of key: String, within known: Set<String>) throws(EligibilityError) {
            if let stray = courses.subtracting(known).sorted().first {
                throw problem(
                    key, "\(stray) is in neither universalCourses nor targetedCourses; add it to one of them first")
            }
        }

        func version() throws(EligibilityError) -> EligibilityPolicyVersion {
            let name = try string("version")!
            let cohorts = try strings("cohorts", shape: "a cohort identifier (four digits and a letter, e.g. 2026b)") {
                let bytes = Array($0.utf8)
                return bytes.count == 5 && bytes[..<4].allSatisfy { $0 >= 48 && $0 <= 57 } && bytes[4] >= 97
                    && bytes[4] <= 122
            }
            guard !cohorts.isEmpty else { throw problem("cohorts", "at least one cohort is needed") }
            let source = try string("source", required: false)
            let universal = try courses("universalCourses")
            let targeted = try courses("targetedCourses")
            for key in ["universalCourses", "targetedCourses"] {
                let set = key == "universalCourses" ? universal : targeted
                if let offer = set.intersection(CourseIdentifier.coachingOffers).sorted().first {
                    throw problem(
                        key, "\(offer) is decided by headteacher status (rule 4), not by the course sets; leave it out")
                }
            }
            if let both = universal.intersection(targeted).sorted().first {
                throw problem("targetedCourses", "\(both) is in universalCourses too; a course is in one set only")
            }
            let known = universal.union(targeted)
            var codes: Set<Int> = []
            for (index, element) in try array("eligibleEstablishmentTypeCodes").enumerated() {
                let at = "eligibleEstablishmentTypeCodes[\(index)]"
                guard let code = element.intValue, code > 0 else {
                    throw problem(at, "\(element.jsonString()) is not a GIAS establishment type code (a whole number)")
                }
                guard codes.insert(code).inserted else { throw problem(at, "\(code) is listed twice") }
            }
            guard !codes.isEmpty else {
                throw problem("eligibleEstablishmentTypeCodes", "at least one establishment type is needed")
            }
            let leadMentor = try courses("leadMentorCourses")
            try check(leadMentor, of: "leadMentorCourses", within: known)
            let review = try courses("anotherSettingReviewCourses")
            try check(review, of: "anotherSettingReviewCourses", within: known)
            let early = try Reader(
                try value("earlyYears"), path: field("earlyYears"), allowed: Self.earlyYearsFields, file: file)
            let fundingText = try early.string("leadershipFunding")!
            guard let funding = EarlyYearsPolicy.LeadershipFunding(rawValue: fundingText) else {
                throw early.problem(
                    "leadershipFunding",
                    "\"\(fundingText)\" is not allowed; use "
                        + EarlyYearsPolicy.LeadershipFunding.allCases.map(\.rawValue).joined(separator: " or "))
            }
            let nurseryCourses = try early.courses("laNurserySchoolCourses")
            try early.check(nurseryCourses, of: "laNurserySchoolCourses", within: known)
            return EligibilityPolicyVersion(
                version: name, cohorts: cohorts, source: source, universalCourses: universal, targetedCourses: targeted,
                riseFundsAllCourses: try bool("riseFundsAllCourses"), eligibleEstablishmentTypeCodes: codes,
                leadMentorCourses: leadMentor, anotherSettingReviewCourses: review,
                earlyYears: EarlyYearsPolicy(
                    leadershipFunding: funding, laNurserySchoolCourses: nurseryCourses,
                    laNurserySchoolListRequired: try early.bool("laNurserySchoolListRequired")))
        }
    }
}
