import MessageContracts

extension LeadProvider {
    /// The shape of an entry in `lead-providers.json`.
    static var referenceSchema: JSONSchema {
        .object(
            [
                "identifier": JSONSchema.leadProviderIdentifier,
                "name": .string(minLength: 1, maxLength: 120),
                "historic": .boolean,
            ],
            required: ["identifier", "name", "historic"])
    }
}
