import MessageContracts
import Testing

/// W3C trace context values.
@Suite("Trace context")
struct TraceParentTests {
    @Test("A valid traceparent parses and formats back unchanged")
    func parsesAndFormats() throws {
        let text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let trace = try #require(TraceParent(text))
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.spanID == "00f067aa0ba902b7")
        #expect(trace.isSampled)
        #expect(trace.description == text)
    }

    @Test(
        "Malformed traceparents are refused",
        arguments: [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
        ])
    func refusesMalformed(text: String) {
        #expect(TraceParent(text) == nil)
    }

    @Test("A later version is read by its first four fields")
    func laterVersionIsRead() throws {
        let trace = try #require(TraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-future"))
        #expect(trace.description == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
        #expect(!trace.isSampled)
    }

    @Test("Random traces are valid and children keep the trace id with a new span")
    func randomAndChild() throws {
        let trace = TraceParent.random()
        #expect(TraceParent(trace.description) == trace)
        #expect(trace.isSampled)
        let child = trace.child()
        #expect(child.traceID == trace.traceID)
        #expect(child.spanID != trace.spanID)
        #expect(TraceParent(child.description) == child)
    }
}
