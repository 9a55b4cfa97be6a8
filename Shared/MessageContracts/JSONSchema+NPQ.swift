/// Schemas of the identifiers the NPQ messages share, so that each is spelled once.
extension JSONSchema {
    /// A cohort identifier: start year and one lowercase letter, e.g. `2026b`.
    public static var cohortIdentifier: JSONSchema {
        .string(pattern: "^[0-9]{4}[a-z]$", patternDescription: "a start year and one lowercase letter, e.g. 2026b")
    }

    /// A course identifier, e.g. `npq-headship`.
    public static var courseIdentifier: JSONSchema {
        .string(
            maxLength: 64, pattern: "^npq-[a-z]+(-[a-z]+)*$",
            patternDescription: "a course identifier such as npq-headship")
    }

    /// A lead provider identifier, e.g. `ambition-institute`.
    public static var leadProviderIdentifier: JSONSchema {
        .string(
            maxLength: 64, pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
            patternDescription: "a lead provider identifier in lowercase words joined by hyphens, e.g. teach-first")
    }

    /// A schedule identifier, e.g. `npq-leadership-autumn`.
    public static var scheduleIdentifier: JSONSchema {
        .string(
            maxLength: 64, pattern: "^npq-[a-z]+(-[a-z]+)*$",
            patternDescription: "a schedule identifier such as npq-leadership-autumn")
    }

    /// A teacher reference number: 7 digits.
    public static var trn: JSONSchema {
        .string(pattern: "^[0-9]{7}$", patternDescription: "7 digits")
    }

    /// A school's unique reference number in Get Information about Schools: 6 digits.
    public static var urn: JSONSchema {
        .string(pattern: "^[0-9]{6}$", patternDescription: "a school URN of 6 digits")
    }
}

extension JSONSchema {
    /// The same schema with every object in it open to added properties: how an event embeds a structure that a
    /// command defines strictly, so that a field added later within the version does not break its consumers.
    public func openForAdditions() -> JSONSchema {
        var copy = self
        switch shape {
        case .object(let properties, let required, _):
            copy.shape = .object(
                properties: properties.mapValues { $0.openForAdditions() }, required: required,
                additionalProperties: true)
        case .array(let items, let minItems, let maxItems):
            copy.shape = .array(items: items.openForAdditions(), minItems: minItems, maxItems: maxItems)
        case .oneOf(let schemas):
            copy.shape = .oneOf(schemas.map { $0.openForAdditions() })
        default:
            break
        }
        return copy
    }
}
