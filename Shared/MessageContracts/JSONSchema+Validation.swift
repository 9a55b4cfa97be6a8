import Foundation

extension JSONSchema {
    /// Every way `value` breaks this schema, in a stable order, each with a JSON path and a
    /// plain-English message; empty when the value is valid.
    ///
    /// All violations are collected rather than the first, so a publisher can fix a message in
    /// one go. Values are never quoted in messages, because rejections are published as events
    /// and bodies may hold personal data.
    public func validate(_ value: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        check(value, at: "", named: "the body", into: &errors)
        return errors
    }

    /// Whether `value` is valid.
    public func accepts(_ value: JSONValue) -> Bool {
        validate(value).isEmpty
    }

    private func check(_ value: JSONValue, at path: String, named name: String, into errors: inout [FieldError]) {
        if value == .null, isNullable {
            return
        }
        func fail(_ rule: String, _ message: String) {
            errors.append(FieldError(field: path, rule: rule, message: message))
        }
        func wrongType(_ expected: String) {
            fail("type", "\(name) must be \(expected)\(isNullable ? " or null" : ""), but was \(value.kindDescription)")
        }

        switch shape {
        case .any:
            return

        case .string(let rules):
            guard case .string(let text) = value else { return wrongType("a string") }
            checkString(text, rules: rules, name: name, fail: fail)

        case .integer(let minimum, let maximum):
            // Compared as integers: as Doubles, 1e300 would pass for a whole number and 2^53 + 1 for 2^53.
            guard let number = value.intValue else { return wrongType("a whole number") }
            if let minimum, number < minimum {
                fail("minimum", "\(name) must be at least \(minimum)")
            }
            if let maximum, number > maximum {
                fail("maximum", "\(name) must be at most \(maximum)")
            }

        case .number(let minimum, let maximum):
            guard let number = value.doubleValue else { return wrongType("a number") }
            if let minimum, number < minimum {
                fail("minimum", "\(name) must be at least \(JSONValue.number(minimum).jsonString())")
            }
            if let maximum, number > maximum {
                fail("maximum", "\(name) must be at most \(JSONValue.number(maximum).jsonString())")
            }

        case .boolean:
            guard case .bool = value else { return wrongType("true or false") }

        case .array(let items, let minItems, let maxItems):
            guard case .array(let elements) = value else { return wrongType("a list") }
            if let minItems, elements.count < minItems {
                fail("minItems", "\(name) must have at least \(Self.count(minItems, "item"))")
            }
            if let maxItems, elements.count > maxItems {
                fail("maxItems", "\(name) must have at most \(Self.count(maxItems, "item"))")
            }
            for (position, element) in elements.enumerated() {
                let elementPath = "\(path)[\(position)]"
                items.check(element, at: elementPath, named: Self.lastSegment(of: elementPath), into: &errors)
            }

        case .object(let properties, let required, let additionalProperties):
            guard case .object(let members) = value else { return wrongType("an object") }
            let requiredNames = Set(required)
            for key in properties.keys.sorted() {
                let memberPath = Self.path(path, key)
                if let member = members[key] {
                    properties[key]!.check(member, at: memberPath, named: key, into: &errors)
                } else if requiredNames.contains(key) {
                    errors.append(FieldError(field: memberPath, rule: "required", message: "\(key) is required"))
                }
            }
            if !additionalProperties {
                for key in members.keys.sorted() where properties[key] == nil {
                    errors.append(
                        FieldError(
                            field: Self.path(path, key), rule: "additionalProperties",
                            message: "\(key) is not a field of this message; remove it or check its spelling"))
                }
            }

        case .enumeration(let allowed):
            guard case .string(let text) = value, allowed.contains(text) else {
                let choices = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
                return fail("enum", "\(name) must be one of \(choices)\(isNullable ? " or null" : "")")
            }

        case .constant(let expected):
            guard value == expected else {
                return fail("const", "\(name) must be \(expected.jsonString())")
            }

        case .oneOf(let schemas):
            let matches = schemas.filter { $0.accepts(value) }.count
            guard matches == 1 else {
                return fail(
                    "oneOf",
                    matches == 0
                        ? "\(name) does not match any of the allowed forms"
                        : "\(name) matches more than one of the allowed forms, so its meaning is ambiguous")
            }
        }
    }

    private func checkString(
        _ text: String, rules: StringRules, name: String, fail: (_ rule: String, _ message: String) -> Void
    ) {
        // JSON Schema counts length in Unicode scalars, not bytes or grapheme clusters.
        let length = text.unicodeScalars.count
        if let minLength = rules.minLength, length < minLength {
            fail(
                "minLength",
                minLength == 1
                    ? "\(name) must not be empty"
                    : "\(name) must be at least \(Self.count(minLength, "character")) long"
            )
        }
        if let maxLength = rules.maxLength, length > maxLength {
            fail("maxLength", "\(name) must be at most \(Self.count(maxLength, "character")) long")
        }
        if let pattern = rules.pattern, !PatternCache.shared.matches(pattern, text) {
            fail("pattern", "\(name) must be \(rules.patternDescription ?? "text matching the pattern \(pattern)")")
        }
        if let format = rules.format, !format.matches(text) {
            fail("format", "\(name) must be \(format.expectation)")
        }
    }

    /// `parent.key`, or `parent["odd key"]` when the key is not a plain identifier, so paths stay
    /// unambiguous.
    private static func path(_ parent: String, _ key: String) -> String {
        let plain =
            !key.isEmpty
            && key.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: "-")
            }
        if plain {
            return parent.isEmpty ? key : "\(parent).\(key)"
        }
        return "\(parent)[\(JSONValue.string(key).jsonString())]"
    }

    /// The part of a path after its last dot, e.g. `items[2]` from `order.items[2]`, used to name
    /// a value in a message.
    private static func lastSegment(of path: String) -> String {
        guard let dot = path.lastIndex(of: ".") else { return path }
        return String(path[path.index(after: dot)...])
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

/// Compiled regular expressions for schema patterns, kept because the same few patterns are
/// checked on every message.
private final class PatternCache: @unchecked Sendable {
    static let shared = PatternCache()

    // Guards `compiled`; NSLock rather than a Mutex so the module needs only Foundation.
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    /// Whether `text` contains a match of `pattern`; an invalid pattern matches nothing, and the
    /// catalog tests check that every contract's patterns compile.
    func matches(_ pattern: String, _ text: String) -> Bool {
        guard let expression = expression(for: pattern) else { return false }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }

    func expression(for pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = compiled[pattern] {
            return cached
        }
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
        compiled[pattern] = expression
        return expression
    }
}

extension JSONSchema {
    /// The patterns anywhere in this schema that are not valid regular expressions; a contract
    /// test expects none, since an invalid pattern would reject every value.
    public var uncompilablePatterns: [String] {
        switch shape {
        case .string(let rules):
            guard let pattern = rules.pattern, PatternCache.shared.expression(for: pattern) == nil else { return [] }
            return [pattern]
        case .array(let items, _, _):
            return items.uncompilablePatterns
        case .object(let properties, _, _):
            return properties.keys.sorted().flatMap { properties[$0]!.uncompilablePatterns }
        case .oneOf(let schemas):
            return schemas.flatMap(\.uncompilablePatterns)
        case .any, .integer, .number, .boolean, .enumeration, .constant:
            return []
        }
    }
}
