extension FieldError {
    /// The JSON Schema of a field error inside a rejection event or reply.
    public static var schema: JSONSchema {
        .object(
            [
                "field": .string(maxLength: 512).described(
                    "The JSON path of the problem, like applicant.trn or items[2].urn; empty for the whole body."),
                "rule": .string(minLength: 1, maxLength: 64).described(
                    "The rule broken, like required, pattern or a domain rule name."),
                "message": .string(minLength: 1, maxLength: 1_000).described("What to change, in plain English."),
            ],
            required: ["field", "rule", "message"],
            additionalProperties: true)
    }
}
