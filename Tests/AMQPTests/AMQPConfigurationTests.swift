import AMQP
import Testing

@Suite("AMQP URL parsing")
struct AMQPConfigurationTests {
    @Test("defaults: guest on localhost:5672, vhost /")
    func defaults() throws {
        let configuration = try AMQPConfiguration(url: "amqp://")
        #expect(configuration.host == "localhost")
        #expect(configuration.port == 5672)
        #expect(configuration.user == "guest")
        #expect(configuration.password == "guest")
        #expect(configuration.virtualHost == "/")
        #expect(configuration.tls == nil)
    }

    @Test("user, password and vhost are percent-decoded; %2F is a slash in the vhost")
    func decoding() throws {
        let configuration = try AMQPConfiguration(url: "amqp://lead%40provider:p%3Ass@broker.example:5673/npq%2Fprod")
        #expect(configuration.user == "lead@provider")
        #expect(configuration.password == "p:ss")
        #expect(configuration.host == "broker.example")
        #expect(configuration.port == 5673)
        #expect(configuration.virtualHost == "npq/prod")
        #expect(configuration.redactedURL == "amqp://lead@provider@broker.example:5673/npq%2Fprod")
        #expect(!configuration.redactedURL.contains("p:ss"))
    }

    @Test("amqps defaults to 5671 with peer verification and takes TLS files from the query")
    func tls() throws {
        let configuration = try AMQPConfiguration(
            url: "amqps://u:p@localhost/?cacertfile=/ca.pem&certfile=/c.pem&keyfile=/k.pem&heartbeat=5")
        #expect(configuration.port == 5671)
        #expect(
            configuration.tls
                == .init(caFile: "/ca.pem", certificateFile: "/c.pem", keyFile: "/k.pem", verifyPeer: true))
        #expect(configuration.heartbeat == .seconds(5))
    }

    @Test(
        "bad URLs are refused with the reason",
        arguments: [
            ("http://localhost", "scheme must be amqp or amqps"),
            ("amqp://localhost:0/", "port 0"),
            ("amqp://localhost/a/b", "one path segment"),
            ("amqp://localhost/?heartbeat=x", "heartbeat must be an integer"),
            ("amqp://localhost/?cacertfile=/ca.pem", "needs the amqps scheme"),
            ("amqp://localhost/?colour=blue", "unknown query parameter 'colour'"),
        ])
    func refused(url: String, reason: String) {
        #expect {
            _ = try AMQPConfiguration(url: url)
        } throws: { error in
            guard let error = error as? AMQPError else { return false }
            return error.code == .invalidConfiguration && error.description.contains(reason)
        }
    }
}
