/// A synchronous broker operation carried out on the connection's control channel.
enum AMQPOperation: Sendable, CustomStringConvertible {
    case declare(AMQPTopology)
    case deleteQueue(String)
    case purgeQueue(String)
    case inspectQueue(String)
    case deleteExchange(String)

    var description: String {
        switch self {
        case .declare: return "declare topology"
        case .deleteQueue(let name): return "delete queue \(name)"
        case .purgeQueue(let name): return "purge queue \(name)"
        case .inspectQueue(let name): return "inspect queue \(name)"
        case .deleteExchange(let name): return "delete exchange \(name)"
        }
    }
}

/// What an ``AMQPOperation`` returns.
enum AMQPOperationResult: Sendable {
    case done
    case messageCount(Int)
    case queue(messages: Int, consumers: Int)
}
