extension MessageContract {
    /// The `$id` of the contract's schema document, e.g. `"urn:npq:schema:npq.message.rejected.v1"`.
    public static var schemaID: String {
        "urn:npq:schema:\(typeName)"
    }

    /// The payload schema as a standalone JSON Schema document titled with the type name and
    /// described by ``summary`` (unless the schema has its own description), as golden fixtures
    /// and the AsyncAPI document show it.
    public static var schemaDocument: JSONValue {
        guard case .object(var members) = schema.document(title: typeName, id: schemaID) else {
            return schema.document(title: typeName, id: schemaID)
        }
        if members["description"] == nil {
            members["description"] = .string(summary)
        }
        return .object(members)
    }

    /// The ``example`` encoded as the body a publisher would send, as a JSON value.
    public static var exampleJSON: JSONValue {
        // The encoder's own output always parses; the fallback only satisfies the type checker.
        (try? JSONValue(parsing: ContractEncoder.encode(example))) ?? .null
    }
}
