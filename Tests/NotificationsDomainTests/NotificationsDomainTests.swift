import Foundation
import MessageContracts
import NotificationsDomain
import Testing

/// The shipped templates, the checks made on an operator's edits, and the retry policy.
@Suite("Notification templates and retries")
struct NotificationsDomainTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reference/notifications/templates").path

    static func submitted(funded: Bool, review: Bool = false) -> NotificationValues {
        var values = NotificationValues()
        values[text: "name"] = "Amina Patel"
        values[text: "courseName"] = "Leading teaching (NPQLT)"
        values[text: "leadProviderName"] = "Teach First"
        values[text: "cohortName"] = "the cohort starting in November 2026"
        values[text: "fundingExplanation"] = "Your school is in the top 50% for pupil premium."
        values[text: "applicationID"] = "5f0c7d2e-8a41-4c3b-9e6f-2d7a1b9c4e80"
        values[flag: "funded"] = funded
        values[flag: "reviewRequired"] = review
        return values
    }

    @Test("Every kind has a shipped text template that loads and passes the placeholder check")
    func shippedTemplatesLoad() throws {
        let templates = try NotificationTemplates.load(directory: Self.directory)
        for kind in NotificationKind.allCases {
            let rendered = templates.render(kind, NotificationValues())
            #expect(!rendered.subject.isEmpty, "\(kind.rawValue)")
            #expect(!rendered.text.isEmpty, "\(kind.rawValue)")
        }
    }

    @Test("A notice renders its values unescaped in text and escaped in HTML; sections follow the flags")
    func renderSubmitted() throws {
        let templates = try NotificationTemplates.load(directory: Self.directory)
        let funded = templates.render(.applicationSubmitted, Self.submitted(funded: true))
        #expect(funded.subject == "We have your application for Leading teaching (NPQLT)")
        #expect(
            funded.text.hasPrefix(
                "Dear Amina Patel,\n\nThank you for applying for Leading teaching (NPQLT) with Teach First"))
        #expect(funded.text.contains("Funding: you are eligible for scholarship funding.\n"))
        #expect(!funded.text.contains("not eligible"))
        #expect(!funded.text.contains("{{"))
        // Standalone section tags leave no blank lines of their own.
        #expect(!funded.text.contains("\n\n\n"))
        let review = templates.render(.applicationSubmitted, Self.submitted(funded: false, review: true))
        #expect(review.text.contains("needs a review by DfE"))
        #expect(!review.text.contains("you are not eligible"))

        var quoted = Self.submitted(funded: false)
        quoted[text: "name"] = "Siân O'Brien <sian>"
        let text = templates.render(.applicationSubmitted, quoted)
        #expect(text.text.contains("Dear Siân O'Brien <sian>,"))
        #expect(text.text.contains("you are not eligible for scholarship funding"))
        let html = try #require(text.html)
        #expect(
            html.contains("Dear Siân O&#39;Brien &lt;sian&gt;,")
                || html.contains("Dear Siân O&#x27;Brien &lt;sian&gt;,"))
    }

    @Test(
        "An operator's template with a misspelt placeholder, a broken tag or no subject is refused naming the file",
        arguments: [
            ("Subject: Hello {{nmae}}\n\nBody", "uses {{nmae}}, which a application_accepted notice does not have"),
            ("Subject: Hello\n\n{{^fundedPlace}}{{scheduel}}{{/fundedPlace}}", "uses {{scheduel}}"),
            ("Subject: Hello\n\n{{#fundedPlace}}unclosed", "is not a valid Mustache template"),
            ("Hello {{name}}\n\nBody", "line 1: the first line must be the subject"),
            ("Subject: Hello\nBody straight after", "line 2: the subject line must be followed by an empty line"),
        ])
    func badTemplates(text: String, message: String) {
        #expect {
            _ = try NotificationTemplates.parse(
                kind: .applicationAccepted, text: text, textFile: "edited.txt", html: nil)
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("edited.txt") && description.contains(message)
        }
    }

    @Test("An HTML template is checked too")
    func badHTML() {
        #expect {
            _ = try NotificationTemplates.parse(
                kind: .participantResumed, text: "Subject: Hi\n\nBody", html: "<p>{{reason}}</p>", htmlFile: "x.html")
        } throws: { error in "\(error)".hasPrefix("x.html: uses {{reason}}") }
    }

    @Test("Every SENCO reminder kind has its notice kind, for schools")
    func reminderKinds() {
        for reminder in SENCOReminderKind.allCases {
            let kind = NotificationKind(reminder: reminder)
            #expect(kind.isForSchool)
            #expect(kind.rawValue == "senco_\(reminder.rawValue)")
        }
        #expect(NotificationKind.staffAccepted.isForSchool)
        #expect(!NotificationKind.applicationSubmitted.isForSchool)
    }

    @Test(
        "Retries back off exponentially with jitter, capped, up to the attempts allowed",
        arguments: [
            (1, 0.0, 15_000), (1, 1.0, 30_000), (2, 1.0, 60_000), (3, 0.5, 90_000), (8, 1.0, 3_600_000),
            (9, 0.0, 1_800_000),
        ])
    func retryPolicy(attempt: Int, jitter: Double, milliseconds: Int64) {
        let policy = RetryPolicy(base: .seconds(30), maximumDelay: .seconds(3_600), maximumAttempts: 10)
        #expect(policy.delay(after: attempt, jitter: jitter) == .milliseconds(milliseconds))
    }

    @Test("No retry after the last attempt")
    func lastAttempt() {
        let policy = RetryPolicy(base: .seconds(1), maximumDelay: .seconds(10), maximumAttempts: 3)
        #expect(policy.delay(after: 2) != nil)
        #expect(policy.delay(after: 3) == nil)
    }
}
