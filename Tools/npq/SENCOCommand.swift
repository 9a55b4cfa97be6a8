import ArgumentParser
import CohortsDomain
import Foundation
import MessageContracts
import SENCODomain

/// `npq senco …`: the SENCO mandatory qualification's deadlines, status and cohorts.
struct SENCOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "senco", abstract: "The SENCO mandatory qualification: deadlines, status and cohorts.",
        subcommands: [
            Evaluate.self,
            Status.self,
            Overview.self,
        ])

    /// `npq senco status --school URN`: a school's spells, from the running suite.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A school's SENCO spells: status, deadline, cohorts, flags and history (asks npq-senco).")

        @OptionGroup var broker: BrokerOptions

        @Option(help: "The school's URN.")
        var school: String

        @Option(help: "Evaluate on this day (YYYY-MM-DD) instead of today.", transform: parseDate)
        var on: CalendarDate?

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func validate() throws {
            guard school.count == 6, school.allSatisfy(\.isASCII), school.allSatisfy(\.isNumber) else {
                throw ValidationError("--school must be a URN of 6 digits")
            }
        }

        func run() async throws {
            let query = SENCOStatusGet(schoolURN: school, on: on)
            let result = try await broker.withClient { client in
                try await client.ask(query, expecting: SENCOStatusResult.self, timeout: .seconds(broker.timeout))
            }
            print(
                json ? String(decoding: ContractEncoder.encode(result), as: UTF8.self) : SENCOSpellStatus.text(result))
        }
    }

    /// `npq senco overview`: counts by status and the spells at risk or in breach.
    struct Overview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "SENCO spells per status, and those at risk or in breach (asks npq-senco).")

        @OptionGroup var broker: BrokerOptions

        @Option(help: "At most this many spells in each list.")
        var limit = 50

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func run() async throws {
            let result = try await broker.withClient { client in
                try await client.ask(
                    SENCOOverview(limit: limit), expecting: SENCOOverviewResult.self, timeout: .seconds(broker.timeout))
            }
            print(
                json
                    ? String(decoding: ContractEncoder.encode(result), as: UTF8.self) : SENCOOverviewResult.text(result)
            )
        }
    }

    /// `npq senco evaluate`: the rules applied offline to cases read from standard input, one JSON object a line.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate SENCO spells read from standard input, offline (no broker needed).",
            discussion: """
                Reads one JSON object a line on standard input and writes one JSON result a line on standard \
                output, in the same order. Empty lines are skipped (but counted in line numbers).

                A case (unknown fields are refused; null means absent):
                  id              string, required
                  schoolType      mainstream | maintained_nursery | special | independent | pru
                  appointedOn     YYYY-MM-DD, required; YYYY-MM too with datePrecision month
                  datePrecision   day (default) | month: the 1st of the month is assumed
                  endedOn         YYYY-MM-DD: the last day as SENCO
                  priorSpells     [{from, to}]: earlier SENCO service; to is the last day
                  qualifications  [{award, startedOn, completedOn, outcome, outcomeOn}]:
                                  award (required) npq-senco | nasenco | other; outcome
                                  passed | failed; a pass counts from its outcomeOn
                  enrolment       {cohort, courseStart, expectedOutcome, accepted}:
                                  cohort and courseStart required; accepted is true
                                  unless false (applied, not yet accepted)
                  lowEngagement   true when engagement below 90% was reported

                A result has the keys id, inScope, status, deadline, alternativeDeadline, flags, expectedOutcome, \
                recommendedCohort, lastSafeCohort and reason, in alphabetical order; absent values are null. A line \
                that cannot be evaluated gives {"error": "line N: field: what is wrong", "id": id or null} and the \
                run goes on with the next line.

                The cohorts are the leadership schedules of the cohort reference files, and the regulatory \
                parameters are the version of the regulation file in force on the --on day.

                Exit status: 0 when every line was evaluated, 1 when any line gave an error, 2 when the reference \
                files cannot be read.
                """)

        @Option(
            help: "Evaluate on this day (YYYY-MM-DD) instead of today (Europe/London).", transform: parseDate)
        var on: CalendarDate?

        @Option(help: "The directory of the cohort reference files.")
        var cohortsReference = "reference/cohorts"

        @Option(help: "The file of regulatory parameters.")
        var regulation = "reference/senco/regulation.json"

        func run() throws {
            let day = on ?? UKCalendar.date(at: Date())
            let evaluator: SENCOEvaluator
            do {
                evaluator = try SENCOEvaluator(cohortsReference: cohortsReference, regulation: regulation, on: day)
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                throw ExitCode(2)
            }
            var number = 0
            var failed = false
            while let line = readLine(strippingNewline: true) {
                number += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                let (output, ok) = evaluator.evaluate(line: line, number: number)
                failed = failed || !ok
                FileHandle.standardOutput.write(output + Data("\n".utf8))
            }
            if failed { throw ExitCode.failure }
        }
    }
}

/// What every case of one run is evaluated against: the day, the cohorts of the NPQ for SENCOs and the regulatory
/// parameters in force on that day.
struct SENCOEvaluator {
    let day: CalendarDate
    let cohorts: [CohortOption]
    let parameters: RegulatoryParameters
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Loads the cohort reference files in the directory `cohortsReference` and the file `regulation`.
    ///
    /// - Throws: a ``CLIError`` naming the file and what is wrong with it.
    init(cohortsReference: String, regulation: String, on day: CalendarDate) throws(CLIError) {
        self.day = day
        let reference: CohortReferenceData
        do {
            reference = try CohortReferenceData.load(
                directory: cohortsReference, hint: "give the directory of the cohort files with --cohorts-reference")
        } catch {
            throw CLIError("\(error)")
        }
        cohorts = CohortOption.senco(
            from: CohortTimeline.entries(
                cohorts: reference.cohorts, schedules: reference.schedules, courses: reference.courses, on: day))
        guard let contents = FileManager.default.contents(atPath: regulation) else {
            throw CLIError("cannot read \(regulation): give the regulatory parameters file with --regulation")
        }
        do {
            parameters = try RegulatoryParameterSet.parse(contents, file: regulation).inForce(on: day)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// The output line for input line `number` (without its newline), and whether the case was evaluated.
    func evaluate(line: String, number: Int) -> (output: Data, ok: Bool) {
        do {
            let input = try SENCOCase.parse(line)
            let evaluation = SENCODeadline.evaluate(input.spell, cohorts: cohorts, parameters: parameters, on: day)
            return (try encoder.encode(SENCOCaseResult(id: input.id, evaluation: evaluation)), true)
        } catch let error as CaseError {
            return (encode(SENCOCaseFailure(id: error.id, error: error.description(line: number))), false)
        } catch {
            return (encode(SENCOCaseFailure(id: nil, error: "line \(number): \(error)")), false)
        }
    }

    private func encode(_ failure: SENCOCaseFailure) -> Data {
        (try? encoder.encode(failure)) ?? Data(#"{"error":"line could not be encoded","id":null}"#.utf8)
    }
}

/// One output line for an evaluated case: the evaluation's public fields, absent values as `null`.
struct SENCOCaseResult: Encodable {
    var id: String
    var evaluation: SENCOEvaluation

    private enum CodingKeys: String, CodingKey {
        case id, inScope, status, deadline, alternativeDeadline, flags, expectedOutcome, recommendedCohort
        case lastSafeCohort, reason
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(evaluation.inScope, forKey: .inScope)
        try container.encode(evaluation.status, forKey: .status)
        try container.encode(evaluation.deadline, forKey: .deadline)
        try container.encode(evaluation.alternativeDeadline, forKey: .alternativeDeadline)
        try container.encode(evaluation.flags, forKey: .flags)
        try container.encode(evaluation.expectedOutcome, forKey: .expectedOutcome)
        try container.encode(evaluation.recommendedCohort, forKey: .recommendedCohort)
        try container.encode(evaluation.lastSafeCohort, forKey: .lastSafeCohort)
        try container.encode(evaluation.reason, forKey: .reason)
    }
}

/// One output line for a line that could not be evaluated: the case's id (`null` when unknown) and the problem.
struct SENCOCaseFailure: Encodable {
    var id: String?
    var error: String

    private enum CodingKeys: String, CodingKey { case id, error }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(error, forKey: .error)
    }
}
