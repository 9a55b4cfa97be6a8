extension JSONSchema {
    /// A service's name as its queue carries it (`npq.<service>`): lowercase words joined by hyphens, e.g.
    /// `applications`.
    public static var serviceName: JSONSchema {
        .string(
            minLength: 1, maxLength: 60, pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
            patternDescription: "a service name in lowercase words joined by hyphens, e.g. applications")
    }

    /// A message id as a publisher gave it (AMQP `message_id`, at most 255 bytes).
    public static var messageID: JSONSchema { .string(minLength: 1, maxLength: 255) }
}
