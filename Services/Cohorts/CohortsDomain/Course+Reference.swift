import MessageContracts

extension Course {
    /// The shape of an entry in `courses.json`.
    static var referenceSchema: JSONSchema {
        .object(
            [
                "identifier": JSONSchema.courseIdentifier.described("The course identifier."),
                "shortCode": .string(
                    minLength: 2, maxLength: 16, pattern: "^[A-Z]+$", patternDescription: "capital letters"),
                "name": .string(minLength: 1, maxLength: 120),
                "group": .enumeration(of: CourseGroup.self),
                "taughtMonths": JSONSchema.integer(minimum: 1, maximum: 60).nullable(),
                "monthsToOutcome": JSONSchema.integer(minimum: 1, maximum: 72).nullable(),
                "hidden": .boolean,
                "sameCourseAs": JSONSchema.courseIdentifier.nullable(),
            ],
            required: ["identifier", "shortCode", "name", "group", "taughtMonths", "monthsToOutcome", "hidden"])
    }
}
