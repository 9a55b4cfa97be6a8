import ArgumentParser
import Foundation
import MessageContracts
import ServiceRuntime

/// `npq cohort …`: what the cohorts service knows.
struct CohortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort", abstract: "Cohorts, their registration windows and calendar.",
        subcommands: [List.self, Calendar.self])

    /// `npq cohort list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cohorts with their registration windows; the first line says which cohort is open now.")

        @OptionGroup var broker: BrokerOptions

        @Flag(help: "Only cohorts open for registration.")
        var open = false

        @Option(help: "Only cohorts starting in this year.")
        var year: Int?

        @Option(help: "Judge registration on this day (YYYY-MM-DD) instead of today.", transform: parseDate)
        var on: CalendarDate?

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func run() async throws {
            let query = CohortList(registration: open ? .open : nil, year: year, on: on)
            let result = try await broker.withClient { client in
                try await client.ask(query, expecting: CohortListResult.self, timeout: .seconds(broker.timeout))
            }
            print(json ? String(decoding: ContractEncoder.encode(result), as: UTF8.self) : CohortListing.table(result))
        }
    }

    /// `npq cohort calendar`
    struct Calendar: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "When each cohort's schedules start and their outcomes are expected.")

        @OptionGroup var broker: BrokerOptions

        @Option(help: "Only this course group: leadership, specialist or ehco.", transform: parseGroup)
        var group: CourseGroup?

        @Option(help: "Only schedules starting on or after this day (YYYY-MM-DD).", transform: parseDate)
        var from: CalendarDate?

        @Flag(help: "Print the reply as JSON.")
        var json = false

        func run() async throws {
            let query = CohortCalendar(courseGroup: group, from: from)
            let result = try await broker.withClient { client in
                try await client.ask(query, expecting: CohortCalendarResult.self, timeout: .seconds(broker.timeout))
            }
            print(
                json
                    ? String(decoding: ContractEncoder.encode(result), as: UTF8.self)
                    : CohortCalendarEntry.table(result))
        }
    }
}

func parseDate(_ text: String) throws -> CalendarDate {
    guard let date = CalendarDate(text) else { throw ValidationError("'\(text)' is not a date of the form YYYY-MM-DD") }
    return date
}

func parseGroup(_ text: String) throws -> CourseGroup {
    guard let group = CourseGroup(rawValue: text) else {
        throw ValidationError(
            "'\(text)' is not a course group; use one of \(CourseGroup.allCases.map(\.rawValue).joined(separator: ", "))"
        )
    }
    return group
}
