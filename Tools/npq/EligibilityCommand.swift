import ArgumentParser
import EligibilityDomain
import Foundation

/// `npq eligibility …`: the funding decision.
struct EligibilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eligibility", abstract: "Funding (scholarship) eligibility: DfE's rules by cohort.",
        subcommands: [Assess.self, EligibilityListCommand.self])

    /// `npq eligibility assess`: the rules applied offline to applications read from standard input, one a line.
    struct Assess: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide funding for applications read from standard input, offline (no broker needed).",
            discussion: """
                Reads one JSON object a line on standard input and writes one JSON decision a line on standard \
                output, in the same order. Empty lines are skipped (but counted in line numbers).

                An application (unknown fields are refused; null means absent):
                  id              string, required; echoed
                  cohort          e.g. 2026b, required; its funding mode comes from the
                                  cohort reference files
                  course          e.g. npq-headship, required
                  worksInEngland  required: true, false, or england | scotland | wales |
                                  northern_ireland | jersey_guernsey_isle_of_man |
                                  another_country
                  workSetting     required: a_school | an_academy_trust |
                                  a_16_to_19_educational_setting |
                                  early_years_or_childcare | another_setting | other
                  institution     {urn, ukprn, ofstedUrn, establishmentTypeCode}
                  kindOfNursery   local_authority_maintained_nursery |
                                  preschool_class_as_part_of_school | private_nursery |
                                  another_early_years_setting | childminder
                  employmentType  hospital_school |
                                  lead_mentor_for_accredited_itt_provider |
                                  local_authority_supply_teacher |
                                  local_authority_virtual_school |
                                  young_offender_institution | other
                  ittProviderApproved
                                  true | false: lead mentors asking for NPQLTD
                  referredByReturnToTeachingAdviser
                                  true | false: work setting other
                  headteacherStatus
                                  no | yes_in_first_five_years | yes_over_five_years
                                  (EHCO)
                  previouslyFunded
                                  true | false (default false)

                A URN is 6 digits, a UKPRN 8 digits, an Ofsted URN two letters and 6 digits (EY123456) or 6 or 7 \
                digits. The school's establishment type and status come from the schools file by URN (or, without \
                a URN, by UKPRN); an establishmentTypeCode on the line wins over the file. A URN the file lacks \
                needs an establishmentTypeCode on the line; a closed school is an error.

                A decision has the keys explanation, funded, id, reviewRequired and status (eligibility.md's \
                codes). A line that cannot be decided gives {"error": "line N: field: what is wrong", "id": id or \
                null} and the run goes on with the next line.

                The lists directory holds pp50-schools.csv, pp50-fe.csv, rise-schools.csv, childminders.csv, \
                la-nurseries.csv and disadvantaged-early-years.csv, each found by its header (see \
                reference/eligibility/README.md).

                Exit status: 0 when every line was decided, 1 when any line gave an error, 2 when the reference \
                files cannot be read.
                """)

        @Option(help: "The directory of the reference lists (PP50, RISE, childminders…).")
        var lists = "reference/eligibility"

        @Option(help: "The schools register: a CSV in GIAS's layout.")
        var schools = "reference/eligibility/schools.csv"

        @Option(help: "The funding policy file.")
        var policy = "reference/eligibility/policy.json"

        @Option(help: "The directory of the cohort reference files (for each cohort's funding mode).")
        var cohortsReference = "reference/cohorts"

        func run() throws {
            var assessor: EligibilityAssessor
            do {
                assessor = try EligibilityAssessor(
                    cohortsReference: cohortsReference, policy: policy, lists: lists, schools: schools)
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                throw ExitCode(2)
            }
            var output = EligibilityOutput()
            var number = 0
            var failed = false
            while let line = readLine(strippingNewline: true) {
                number += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                let (text, ok) = assessor.assess(line: line, number: number)
                failed = failed || !ok
                output.write(text)
            }
            output.flush()
            if failed { throw ExitCode.failure }
        }
    }
}
