import AMQP
import Foundation
import NPQTestSupport
import Testing

/// TLS to the test broker, whose certificate `make test` signs with a CA made for the run.
@Suite("AMQP over TLS", .timeLimit(.minutes(2)))
struct AMQPTLSTests {
    @Test("amqps:// with the right CA file connects, publishes and consumes")
    func verifiedConnection() async throws {
        var configuration = try TestBroker.configuration(url: TestBroker.variable("NPQ_TEST_AMQPS_URL"))
        configuration.tls?.caFile = try TestBroker.variable("NPQ_TEST_TLS_CA")
        let connection = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        let queue = TestBroker.uniqueName("tls")
        try await connection.declare(AMQPTopology(queues: [.init(queue, durable: false)]))
        try await connection.publish(AMQPMessage(exchange: "", routingKey: queue, body: Data("secret".utf8)))
        let consumer = try await connection.consume(queue: queue, prefetch: 1)
        var iterator = consumer.makeAsyncIterator()
        let delivery = try #require(try await iterator.next())
        #expect(String(decoding: delivery.body, as: UTF8.self) == "secret")
        try await delivery.ack()
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test("a client certificate signed by the CA is accepted")
    func clientCertificate() async throws {
        var configuration = try TestBroker.configuration(url: TestBroker.variable("NPQ_TEST_AMQPS_URL"))
        configuration.tls = .init(
            caFile: try TestBroker.variable("NPQ_TEST_TLS_CA"),
            certificateFile: try TestBroker.variable("NPQ_TEST_TLS_CLIENT_CERT"),
            keyFile: try TestBroker.variable("NPQ_TEST_TLS_CLIENT_KEY"))
        let connection = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        #expect(connection.state == .connected)
        await connection.close()
    }

    @Test("a server whose certificate another CA signed is refused")
    func wrongAuthority() async throws {
        var configuration = try TestBroker.configuration(url: TestBroker.variable("NPQ_TEST_AMQPS_URL"))
        configuration.tls?.caFile = try TestBroker.variable("NPQ_TEST_TLS_WRONG_CA")
        let error = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        }
        #expect(error?.code == .tlsFailed)
    }

    @Test("a certificate for another host name is refused")
    func wrongHostName() async throws {
        // rabbitmq-c checks the host name against the certificate's DNS names (it ignores IP address entries). The
        // test broker's certificate is for localhost; 127.0.0.1 reaches the same listener under another name.
        var configuration = try TestBroker.configuration(url: TestBroker.variable("NPQ_TEST_AMQPS_URL"))
        configuration.host = "127.0.0.1"
        configuration.tls?.caFile = try TestBroker.variable("NPQ_TEST_TLS_CA")
        let error = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(configuration, logger: TestBroker.logger)
        }
        #expect(error?.code == .tlsFailed)
    }
}
