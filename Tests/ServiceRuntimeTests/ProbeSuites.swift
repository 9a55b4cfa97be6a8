import Testing

/// Every suite that runs the runtime probe, one test at a time: each probe binds the same command routing key, so
/// two probes running at once would both receive each other's commands.
@Suite("Runtime probe", .serialized, .timeLimit(.minutes(3)))
enum ProbeSuites {}
