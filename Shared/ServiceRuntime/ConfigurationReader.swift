import Foundation

/// Reads typed settings from environment variables, so that every service validates its configuration the same way
/// and a wrong value stops it at start with a message that names the variable.
///
/// Every getter also honours `NAME_FILE`: when it is set, the value is read from that file (one trailing newline
/// trimmed), which is how container secrets are mounted. Setting both `NAME` and `NAME_FILE` is an error, because it
/// is unclear which one the operator meant. An empty variable counts as unset, so a compose file can blank a setting.
public struct ConfigurationReader: Sendable {
    /// The variables this reader looks values up in.
    public let environment: [String: String]

    /// Creates a reader over `environment`, the process environment unless a test passes its own.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    // MARK: Strings

    /// The value of `name`, or `nil` when neither it nor `name_FILE` is set.
    public func string(_ name: String) throws(ConfigurationError) -> String? {
        try lookUp(name)?.text
    }

    /// The value of `name`, or `default` when it is unset.
    public func string(_ name: String, default defaultValue: String) throws(ConfigurationError) -> String {
        try lookUp(name)?.text ?? defaultValue
    }

    /// A comma-separated list of broker user names in `name` (or `default`), blanks dropped, e.g. the operators
    /// allowed to run a command.
    public func userList(_ name: String, default defaultValue: String) throws(ConfigurationError) -> Set<String> {
        Set(
            try string(name, default: defaultValue).split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// The value of `name`; an error when neither it nor `name_FILE` is set.
    public func requiredString(_ name: String) throws(ConfigurationError) -> String {
        guard let value = try lookUp(name) else {
            throw ConfigurationError(
                code: .missing, variable: name, value: nil, rule: "is required (set it or \(name)_FILE)")
        }
        return value.text
    }

    // MARK: Numbers and flags

    /// The integer value of `name` within `range`, or `default` when it is unset.
    public func int(
        _ name: String, default defaultValue: Int, range: ClosedRange<Int>
    ) throws(ConfigurationError)
        -> Int
    {
        guard let value = try lookUp(name) else { return defaultValue }
        guard let number = Int(value.text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw invalid(name, value, rule: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The boolean value of `name` (`true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`), or `default` when unset.
    public func bool(_ name: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let value = try lookUp(name) else { return defaultValue }
        switch value.text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw invalid(name, value, rule: "must be true or false")
        }
    }

    /// The duration in `name`, or `default` when unset.
    ///
    /// Accepts a number with an optional unit: `10` (seconds), `2.5s`, `500ms`, `2m`, `1h`. A bare number means
    /// seconds because that is what variables named `…_SECONDS` promise.
    public func duration(
        _ name: String, default defaultValue: Duration, range: ClosedRange<Duration>? = nil
    ) throws(ConfigurationError) -> Duration {
        guard let value = try lookUp(name) else { return defaultValue }
        var rule = "must be a duration such as 10, 10s, 500ms, 2m or 1h"
        if let range {
            rule += ", from \(Self.describe(range.lowerBound)) to \(Self.describe(range.upperBound))"
        }
        guard let parsed = Self.parseDuration(value.text), range?.contains(parsed) ?? true else {
            throw invalid(name, value, rule: rule)
        }
        return parsed
    }

    /// The case of `E` whose raw value matches `name` (ignoring case), or `default` when unset.
    public func `enum`<E: RawRepresentable & CaseIterable>(
        _ name: String, default defaultValue: E
    )
        throws(ConfigurationError) -> E where E.RawValue == String
    {
        guard let value = try lookUp(name) else { return defaultValue }
        let wanted = value.text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = E.allCases.first(where: { $0.rawValue.lowercased() == wanted }) else {
            let choices = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw invalid(name, value, rule: "must be one of \(choices)")
        }
        return match
    }

    // MARK: URLs and paths

    /// The URL in `name` (or `default` when unset), which must have a host and one of `schemes`.
    public func url(
        _ name: String, default defaultValue: String? = nil, schemes: Set<String>
    )
        throws(ConfigurationError) -> URL
    {
        let looked = try lookUp(name)
        guard let value = looked ?? defaultValue.map({ Value(text: $0, file: nil) }) else {
            throw ConfigurationError(code: .missing, variable: name, value: nil, rule: "is required")
        }
        let rule = "must be a URL with a host and scheme \(schemes.sorted().joined(separator: " or "))"
        guard let url = URL(string: value.text), let scheme = url.scheme?.lowercased(), schemes.contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw invalid(name, value, rule: rule)
        }
        return url
    }

    /// The file system path in `name`, or `default` when unset; with `mustExist`, the path must name a readable file.
    public func path(
        _ name: String, default defaultValue: String, mustExist: Bool = false
    ) throws(ConfigurationError)
        -> String
    {
        try optionalPath(name, mustExist: mustExist) ?? defaultValue
    }

    /// The file system path in `name`, or `nil` when unset; with `mustExist`, the path must name a readable file.
    public func optionalPath(_ name: String, mustExist: Bool = false) throws(ConfigurationError) -> String? {
        guard let value = try lookUp(name) else { return nil }
        if value.text.contains("\0") {
            throw invalid(name, value, rule: "must be a file system path")
        }
        if mustExist && !FileManager.default.isReadableFile(atPath: value.text) {
            throw invalid(name, value, rule: "must name a readable file")
        }
        return value.text
    }

    // MARK: Masking

    /// `value` as it may appear in an error or a log: `***` for secrets, and URLs with their password hidden.
    ///
    /// A variable is a secret when its name contains PASSWORD, PASS, SECRET, TOKEN, KEY or CREDENTIAL; other values
    /// are shown as they are, except that the password part of anything shaped like `scheme://user:password@host`
    /// becomes `***`.
    public static func masked(_ value: String, variable: String) -> String {
        let upper = variable.uppercased()
        if ["PASS", "SECRET", "TOKEN", "CREDENTIAL"].contains(where: upper.contains)
            || (upper.contains("KEY") && !upper.hasSuffix("_FILE"))
        {
            return "***"
        }
        return maskingURLPassword(value)
    }

    /// `text` with the password of a `scheme://user:password@host…` URL replaced by `***`.
    ///
    /// Works on the raw text rather than a parsed URL, because the values we most need to mask are the malformed
    /// ones that fail to parse.
    static func maskingURLPassword(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let authorityStart = schemeEnd.upperBound
        // The last '@' of the whole rest, not of the authority: a password may hold '/', '?' or '#' unencoded,
        // which would end a parsed authority early and leave the password in view.
        let rest = text[authorityStart...]
        guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else {
            return text
        }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    // MARK: Lookup

    /// A raw value and where it came from.
    struct Value {
        /// The text as set (or as read from the file, one trailing newline trimmed).
        var text: String
        /// The `NAME_FILE` variable, when the text came from a file.
        var file: String?
    }

    /// The raw value of `name`, reading `name_FILE` when that is set instead.
    func lookUp(_ name: String) throws(ConfigurationError) -> Value? {
        let fileVariable = name + "_FILE"
        let direct = environment[name].flatMap { $0.isEmpty ? nil : $0 }
        let path = environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        switch (direct, path) {
        case (nil, nil):
            return nil
        case (let direct?, nil):
            return Value(text: direct, file: nil)
        case (_?, _?):
            throw ConfigurationError(
                code: .conflictingSources, variable: name, value: nil,
                rule: "and \(fileVariable) are both set; set only one of them")
        case (nil, let path?):
            let contents: String
            do {
                contents = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError(
                    code: .unreadableFile, variable: fileVariable, value: path,
                    rule: "must name a readable UTF-8 file (\(error.localizedDescription))")
            }
            return Value(text: Self.trimmingOneTrailingNewline(contents), file: fileVariable)
        }
    }

    /// `text` without one final `\n` or `\r\n`: editors add one, and it is never part of a secret.
    static func trimmingOneTrailingNewline(_ text: String) -> String {
        // Scalars, not Characters: "\r\n" is a single Character, which `hasSuffix("\n")` would not match.
        var scalars = Substring(text).unicodeScalars
        if scalars.last == "\n" { scalars.removeLast() } else { return text }
        if scalars.last == "\r" { scalars.removeLast() }
        return String(scalars)
    }

    /// An invalid-value error for `name`, with the value masked; file contents are always treated as secrets.
    func invalid(_ name: String, _ value: Value, rule: String) -> ConfigurationError {
        let shown = value.file == nil ? Self.masked(value.text, variable: name) : "***"
        return ConfigurationError(code: .invalidValue, variable: name, file: value.file, value: shown, rule: rule)
    }

    /// Parses `10`, `2.5s`, `500ms`, `2m`, `1h` into a duration; `nil` for anything else, including negatives.
    static func parseDuration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(trimmed)
        var scale = 1.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = trimmed.dropLast(unit.suffix.count)
            scale = unit.seconds
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let amount = Double(number),
            amount.isFinite, amount >= 0
        else { return nil }
        let milliseconds = (amount * scale * 1000).rounded()
        guard milliseconds < Double(Int64.max) else { return nil }
        return .milliseconds(Int64(milliseconds))
    }

    /// A duration the way an operator would type it, for rules: `10s`, `500ms`.
    static func describe(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
