/// The shipped definitions loaded once per test process, shared by the tests that only log in and try things
/// (``DeployedBroker/load()`` makes a fresh virtual host for a test that needs one to itself).
public actor DeployedDefinitions {
    public static let shared = DeployedDefinitions()
    private var loading: Task<DeployedBroker, any Error>?

    /// The shared broker, loaded on first use.
    public func broker() async throws -> DeployedBroker {
        if let loading { return try await loading.value }
        let task = Task { try await DeployedBroker.load() }
        loading = task
        return try await task.value
    }
}
