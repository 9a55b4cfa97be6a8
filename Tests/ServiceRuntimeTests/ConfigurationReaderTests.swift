import Foundation
import Testing

@testable import ServiceRuntime

/// The rules of `ConfigurationReader`: typed getters, `_FILE` secrets, and errors that name the variable.
@Suite("Configuration reader")
struct ConfigurationReaderTests {
    /// A unique temporary file holding `contents`.
    private func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npq-config-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an unset variable gives the default, an empty one counts as unset")
    func defaults() throws {
        let reader = ConfigurationReader(environment: ["EMPTY": ""])
        #expect(try reader.string("MISSING", default: "x") == "x")
        #expect(try reader.string("EMPTY", default: "x") == "x")
        #expect(try reader.string("MISSING") == nil)
        #expect(try reader.int("MISSING", default: 7, range: 1...10) == 7)
        #expect(try reader.bool("MISSING", default: true))
        #expect(try reader.duration("MISSING", default: .seconds(3)) == .seconds(3))
    }

    @Test("a required variable that is missing names itself and its _FILE twin")
    func requiredMissing() {
        let reader = ConfigurationReader(environment: [:])
        #expect {
            _ = try reader.requiredString("NPQ_MAIL_FROM")
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.code == .missing
                && error?.description == "NPQ_MAIL_FROM is required (set it or NPQ_MAIL_FROM_FILE)"
        }
    }

    @Test(
        "booleans accept the usual spellings",
        arguments: [
            ("true", true), ("YES", true), ("on", true), ("1", true), ("false", false), ("No", false), ("off", false),
            ("0", false),
        ])
    func booleans(text: String, expected: Bool) throws {
        #expect(try ConfigurationReader(environment: ["FLAG": text]).bool("FLAG", default: !expected) == expected)
    }

    @Test(
        "durations take a number with an optional unit, bare numbers being seconds",
        arguments: [
            ("10", Duration.seconds(10)), ("2.5s", .milliseconds(2500)), ("500ms", .milliseconds(500)),
            ("2m", .seconds(120)), ("1h", .seconds(3600)), (" 0 ", .zero),
        ])
    func durations(text: String, expected: Duration) throws {
        #expect(try ConfigurationReader(environment: ["WAIT": text]).duration("WAIT", default: .seconds(1)) == expected)
    }

    @Test("invalid values name the variable, the rule and the value", arguments: invalidCases)
    func invalidValues(_ testCase: InvalidCase) {
        let reader = ConfigurationReader(environment: [testCase.variable: testCase.value])
        #expect {
            try testCase.read(reader)
        } throws: { error in
            (error as? ConfigurationError)?.description == testCase.message
        }
    }

    /// One invalid value and the exact message it must produce.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let variable: String
        let value: String
        let read: @Sendable (ConfigurationReader) throws -> Void
        let message: String
        var testDescription: String { "\(variable)=\(value)" }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(
            variable: "NPQ_HTTP_PORT", value: "abc",
            read: { _ = try $0.int("NPQ_HTTP_PORT", default: 8080, range: 1...65535) },
            message: #"NPQ_HTTP_PORT must be an integer from 1 to 65535, got "abc""#),
        InvalidCase(
            variable: "NPQ_HTTP_PORT", value: "70000",
            read: { _ = try $0.int("NPQ_HTTP_PORT", default: 8080, range: 1...65535) },
            message: #"NPQ_HTTP_PORT must be an integer from 1 to 65535, got "70000""#),
        InvalidCase(
            variable: "NPQ_VERBOSE", value: "maybe", read: { _ = try $0.bool("NPQ_VERBOSE", default: false) },
            message: #"NPQ_VERBOSE must be true or false, got "maybe""#),
        InvalidCase(
            variable: "NPQ_WAIT", value: "soon", read: { _ = try $0.duration("NPQ_WAIT", default: .seconds(1)) },
            message: #"NPQ_WAIT must be a duration such as 10, 10s, 500ms, 2m or 1h, got "soon""#),
        InvalidCase(
            variable: "NPQ_WAIT", value: "2h",
            read: { _ = try $0.duration("NPQ_WAIT", default: .seconds(1), range: .zero ... .seconds(60)) },
            message: #"NPQ_WAIT must be a duration such as 10, 10s, 500ms, 2m or 1h, from 0s to 60s, got "2h""#),
        InvalidCase(
            variable: "NPQ_LOG_FORMAT", value: "xml",
            read: { _ = try $0.enum("NPQ_LOG_FORMAT", default: LogFormat.json) },
            message: #"NPQ_LOG_FORMAT must be one of json, text, got "xml""#),
        InvalidCase(
            variable: "NPQ_SMTP_URL", value: "http://mail.example",
            read: { _ = try $0.url("NPQ_SMTP_URL", schemes: ["smtp", "smtps"]) },
            message: #"NPQ_SMTP_URL must be a URL with a host and scheme smtp or smtps, got "http://mail.example""#),
        InvalidCase(
            variable: "NPQ_CA", value: "/nonexistent/ca.pem",
            read: { _ = try $0.optionalPath("NPQ_CA", mustExist: true) },
            message: #"NPQ_CA must name a readable file, got "/nonexistent/ca.pem""#),
    ]

    @Test("secrets are masked by name: PASSWORD, SECRET and TOKEN")
    func maskedByName() {
        for name in ["NPQ_SMTP_PASSWORD", "NPQ_WEBHOOK_SECRET", "NPQ_API_TOKEN"] {
            let reader = ConfigurationReader(environment: [name: "hunter2"])
            #expect {
                _ = try reader.int(name, default: 1, range: 1...2)
            } throws: { error in
                let text = "\(error)"
                return text.contains(name) && text.contains(#"got "***""#) && !text.contains("hunter2")
            }
        }
    }

    @Test("a URL's password is replaced by *** in errors, even when the URL is malformed")
    func maskedURLPassword() {
        let reader = ConfigurationReader(environment: ["NPQ_AMQP_URL": "amqp://npq:hunter2@/vhost"])
        #expect {
            _ = try reader.url("NPQ_AMQP_URL", schemes: ["amqp", "amqps"])
        } throws: { error in
            let text = "\(error)"
            return text.contains(#"got "amqp://npq:***@/vhost""#) && !text.contains("hunter2")
        }
        #expect(ConfigurationReader.masked("amqps://u:p@w:rd@host:5671/", variable: "X") == "amqps://u:***@host:5671/")
        #expect(ConfigurationReader.masked("amqp://guest@host/", variable: "X") == "amqp://guest@host/")
        #expect(ConfigurationReader.masked("no url here", variable: "X") == "no url here")
    }

    @Test("NAME_FILE supplies the value, one trailing newline trimmed")
    func fileSecret() throws {
        let path = try temporaryFile("s3cret\n\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = ConfigurationReader(environment: ["NPQ_SMTP_PASSWORD_FILE": path])
        #expect(try reader.requiredString("NPQ_SMTP_PASSWORD") == "s3cret\n")

        let windows = try temporaryFile("s3cret\r\n")
        defer { try? FileManager.default.removeItem(atPath: windows) }
        #expect(try ConfigurationReader(environment: ["T_FILE": windows]).string("T") == "s3cret")
    }

    @Test("every getter honours NAME_FILE, and a bad value from a file is masked and names the file")
    func fileForTypedGetter() throws {
        let good = try temporaryFile("9090\n")
        let bad = try temporaryFile("nine\n")
        defer {
            try? FileManager.default.removeItem(atPath: good)
            try? FileManager.default.removeItem(atPath: bad)
        }
        #expect(
            try ConfigurationReader(environment: ["NPQ_HTTP_PORT_FILE": good]).int(
                "NPQ_HTTP_PORT", default: 1, range: 1...65535) == 9090)
        #expect {
            _ = try ConfigurationReader(environment: ["NPQ_HTTP_PORT_FILE": bad]).int(
                "NPQ_HTTP_PORT", default: 1, range: 1...65535)
        } throws: { error in
            "\(error)"
                == #"NPQ_HTTP_PORT (read from NPQ_HTTP_PORT_FILE) must be an integer from 1 to 65535, got "***""#
        }
    }

    @Test("setting both NAME and NAME_FILE is an error")
    func bothSet() throws {
        let path = try temporaryFile("x")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = ConfigurationReader(environment: ["NPQ_TOKEN": "a", "NPQ_TOKEN_FILE": path])
        #expect {
            _ = try reader.string("NPQ_TOKEN")
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.code == .conflictingSources
                && error?.description == "NPQ_TOKEN and NPQ_TOKEN_FILE are both set; set only one of them"
        }
    }

    @Test("an unreadable NAME_FILE names the _FILE variable and the path")
    func unreadableFile() {
        let reader = ConfigurationReader(environment: ["NPQ_TOKEN_FILE": "/nonexistent/token"])
        #expect {
            _ = try reader.string("NPQ_TOKEN")
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.code == .unreadableFile && error?.variable == "NPQ_TOKEN_FILE"
                && error?.value == "/nonexistent/token"
                && error?.description.hasPrefix("NPQ_TOKEN_FILE must name a readable UTF-8 file") == true
        }
    }
}
