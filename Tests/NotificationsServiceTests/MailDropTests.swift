import Foundation
import ServiceRuntime
import Synchronization
import Testing

@testable import NotificationsService

@Suite("The mail drop's files and its group flush")
struct MailDropTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npq-maildrop-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("An email is written whole under its name, once; no temporary file is left behind")
    func writesOnce() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/a.eml"
        let first = Array("Subject: one\r\n\r\nbody\r\n".utf8)
        #expect(try MailDropFolder.write(first, to: path))
        #expect(try MailDropFolder.write(Array("Subject: two\r\n\r\n".utf8), to: path) == false)
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["a.eml"])
    }

    @Test("A write that cannot be made names the call and the file, and leaves nothing behind")
    func failureNamesTheCall() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/missing/a.eml"
        let failure = #expect(throws: MailDropFolder.Failure.self) {
            try MailDropFolder.write(Array("x".utf8), to: path)
        }
        #expect(failure?.call == "open")
        #expect(failure?.description.contains("\(directory)/missing/a.eml.") == true)
        #expect(failure?.description.contains("No such file or directory") == true)
        #expect(throws: MailDropFolder.Failure.self) { try MailDropFolder("\(directory)/missing") }
    }

    @Test("Two hundred writes flushed at once all return, every file in its place")
    func flushes() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let folder = try MailDropFolder(directory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    _ = try MailDropFolder.write(Array("email \(index)\r\n".utf8), to: "\(directory)/\(index).eml")
                    try await folder.flush()
                }
            }
            try await group.waitForAll()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 200)
    }

    @Test(
        "A group commit takes what was submitted during a flush in the next one, and answers every submitter",
        .timeLimit(.minutes(1)))
    func groupCommit() async {
        let flushes = Mutex<[[Int]]>([])
        let (gate, opener) = AsyncStream<Void>.makeStream()
        let group = GroupCommit<Int, Int> { items in
            let number = flushes.withLock { flushes in
                flushes.append(items)
                return flushes.count
            }
            // The first flush waits for the test, so that the others are submitted while it runs.
            if number == 1 { for await _ in gate { break } }
            return number
        }
        let outcomes = await withTaskGroup(of: (Int, Int).self) { tasks in
            tasks.addTask { (0, await group.submit(0)) }
            while flushes.withLock({ $0.isEmpty }) { await Task.yield() }
            for item in 1..<100 {
                tasks.addTask { (item, await group.submit(item)) }
            }
            // Every later item is waiting while the first flush runs.
            while group.waiting < 99 { await Task.yield() }
            opener.yield()
            var outcomes: [Int: Int] = [:]
            for await (item, outcome) in tasks { outcomes[item] = outcome }
            return outcomes
        }
        let batches = flushes.withLock { $0 }
        // Every item was flushed exactly once, and its submitter got the outcome of the flush that took it.
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<100))
        for (number, batch) in batches.enumerated() {
            for item in batch { #expect(outcomes[item] == number + 1) }
        }
        // The items submitted while the first flush ran went to the next one together.
        #expect(batches.first == [0])
        #expect(batches.count == 2, "flushes: \(batches.map(\.count))")
    }
}

@Suite("npq-notifications' delivery concurrency")
struct DeliveryConcurrencyTests {
    @Test("Eight deliveries at once through a mail server, thirty-two into the mail drop; a value set wins")
    func defaults() throws {
        #expect(try NotificationsService.Options.load(environment: [:]).concurrency == 32)
        let smtp = ["NPQ_SMTP_URL": "smtp://mail.example:587"]
        #expect(try NotificationsService.Options.load(environment: smtp).concurrency == 8)
        let set = smtp.merging(["NPQ_NOTIFICATIONS_CONCURRENCY": "20"]) { $1 }
        #expect(try NotificationsService.Options.load(environment: set).concurrency == 20)
        let error = #expect(throws: ConfigurationError.self) {
            try NotificationsService.Options.load(environment: ["NPQ_NOTIFICATIONS_CONCURRENCY": "0"])
        }
        #expect(error?.variable == "NPQ_NOTIFICATIONS_CONCURRENCY")
    }
}
