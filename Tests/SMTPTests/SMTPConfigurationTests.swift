import Testing

@testable import SMTP

/// `NPQ_SMTP_URL`: schemes, default ports, the STARTTLS policy, credentials, options and the errors for bad URLs.
@Suite("SMTP configuration from a URL")
struct SMTPConfigurationTests {
    @Test(
        "schemes choose the port and the transport security",
        arguments: [
            ("smtp://mail.example.org", 25, SMTPConfiguration.TransportSecurity.requireSTARTTLS),
            ("smtp://mail.example.org:587", 587, .requireSTARTTLS),
            ("smtp://mail.example.org:587/", 587, .requireSTARTTLS),
            ("smtps://mail.example.org", 465, .implicitTLS),
            ("SMTPS://mail.example.org:2465", 2465, .implicitTLS),
            ("smtp://mail.example.org?starttls=opportunistic", 25, .opportunisticSTARTTLS),
            ("smtp://localhost:1025?starttls=never", 1025, .plaintext),
            ("smtp://[::1]:2525?starttls=never", 2525, .plaintext),
        ])
    func schemes(url: String, port: Int, security: SMTPConfiguration.TransportSecurity) throws {
        let configuration = try SMTPConfiguration(url: url)
        #expect(configuration.port == port)
        #expect(configuration.security == security)
        #expect(configuration.credentials == nil)
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.commandTimeout == .seconds(30))
        #expect(configuration.messageTimeout == .seconds(300))
    }

    @Test("the user and password are percent-decoded and the options read")
    func credentialsAndOptions() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://apikey%40npq.example:p%3Ass%2Fw%40rd@smtp.example.org:587"
                + "?cacertfile=/etc/npq/ca%20file.pem&helo=notifications.npq.example&connect_timeout=2.5"
                + "&command_timeout=15&message_timeout=120")
        #expect(configuration.host == "smtp.example.org")
        #expect(configuration.credentials == .init(username: "apikey@npq.example", password: "p:ss/w@rd"))
        #expect(configuration.certificateAuthorityFile == "/etc/npq/ca file.pem")
        #expect(configuration.heloName == "notifications.npq.example")
        #expect(configuration.connectTimeout == .milliseconds(2500))
        #expect(configuration.commandTimeout == .seconds(15))
        #expect(configuration.messageTimeout == .seconds(120))
        #expect(configuration.host == "smtp.example.org")
    }

    @Test("the redacted URL masks the password and keeps what differs from the defaults")
    func redacted() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://apikey:topsecret@smtp.example.org:587?starttls=opportunistic&command_timeout=15")
        #expect(
            configuration.redactedURL
                == "smtp://apikey:***@smtp.example.org:587?starttls=opportunistic&command_timeout=15")
        #expect(!configuration.redactedURL.contains("topsecret"))
        #expect(!"\(configuration.credentials!)".contains("topsecret"))
        #expect(try SMTPConfiguration(url: "smtps://[::1]").redactedURL == "smtps://[::1]:465")
    }

    @Test(
        "a bad URL is refused with a message naming the problem",
        arguments: [
            ("http://mail.example.org", "unknown scheme 'http'"),
            ("mail.example.org:25", "not a URL"),
            ("smtp://mail.example.org:0", "port '0'"),
            ("smtp://mail.example.org:99999", "port '99999'"),
            ("smtp://mail.example.org:25x", "port '25x'"),
            ("smtp://", "names no host"),
            ("smtp://user:pw@", "names no host"),
            ("smtp://mail.example.org/inbox", "a path is not allowed"),
            ("smtp://mail.example.org?tls=on", "unknown option 'tls'"),
            ("smtp://mail.example.org?starttls=maybe", "starttls must be required, opportunistic or never"),
            ("smtps://mail.example.org?starttls=never", "starttls applies to smtp:// only"),
            ("smtp://mail.example.org?starttls=never&starttls=required", "given twice"),
            ("smtp://mail.example.org?command_timeout=0", "command_timeout must be a number of seconds"),
            ("smtp://mail.example.org?connect_timeout=soon", "connect_timeout must be a number of seconds"),
            ("smtp://u%zz:p@mail.example.org", "percent-encoding in the user name"),
            ("smtp://u:p%zz@mail.example.org", "percent-encoding in the password"),
            ("smtp://mail.example.org?helo=bad%20name", "HELO name"),
            ("smtp://u:p@mail.example.org?starttls=never", "credentials would be sent unencrypted"),
            ("smtp://mail.example.org#x", "fragment"),
        ])
    func badURL(url: String, fragment: String) throws {
        let error = try #require(throws: SMTPError.self) { try SMTPConfiguration(url: url) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.stage == .configuration)
        #expect(error.isPermanent)
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test("credentials in plaintext are allowed to a loopback relay only")
    func loopbackPlaintext() throws {
        for host in ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"] {
            #expect(throws: Never.self) { try SMTPConfiguration(url: "smtp://u:p@\(host):1025?starttls=never") }
        }
        #expect(SMTPConfiguration.isLoopback(host: "127.0.0.1.example.org") == false)
        #expect(SMTPConfiguration.isLoopback(host: "10.0.0.1") == false)
    }

    @Test("the password never appears in an error about the URL")
    func passwordNotInErrors() throws {
        let error = try #require(throws: SMTPError.self) {
            try SMTPConfiguration(url: "smtp://u:hunter2@mail.example.org:notaport")
        }
        #expect(!error.description.contains("hunter2"))
    }

    @Test("a CA file that cannot be read is a configuration error when the client is made")
    func unreadableCAFile() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.org?cacertfile=/nonexistent/ca.pem")
        let error = try #require(throws: SMTPError.self) { try SMTPClient(configuration: configuration) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("cacertfile"))
    }
}
