import Foundation
import MessageContracts
import SENCODomain

/// One JSON object of a case, read member by member; every problem names the member's full path.
struct CaseObject {
    let members: [String: JSONValue]
    /// The object's own path: empty at the top level, else e.g. `enrolment` or `priorSpells[0]`.
    let path: String

    /// Checks that `value` is an object with no members outside `allowed`; `what` names it in messages.
    init(_ value: JSONValue, path: String, allowed: [String], what: String) throws(CaseError) {
        guard case .object(let members) = value else {
            throw CaseError(field: path, "must be an object, not \(value.kindDescription)")
        }
        self.members = members
        self.path = path
        if let unknown = members.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw CaseError(
                field: field(unknown),
                "not a field of \(what); use \(allowed.dropLast().joined(separator: ", ")) or \(allowed.last!)")
        }
    }

    /// The full path of the member `key`.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member `key`, `nil` when absent or `null`.
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// `value`, or a "missing" problem for `key`.
    func required<T>(_ key: String, _ value: T?) throws(CaseError) -> T {
        guard let value else { throw CaseError(field: field(key), "missing") }
        return value
    }

    func string(_ key: String) throws(CaseError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw CaseError(field: field(key), "must be a string, not \(value.kindDescription)")
        }
        // Not blank: a byte check, since this runs for every field of every line.
        guard text.utf8.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
            throw CaseError(field: field(key), "must not be empty")
        }
        return text
    }

    func requiredString(_ key: String) throws(CaseError) -> String {
        try required(key, try string(key))
    }

    func bool(_ key: String) throws(CaseError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw CaseError(field: field(key), "must be true or false, not \(value.kindDescription)")
        }
        return flag
    }

    /// A `YYYY-MM-DD` date; with `allowingMonth`, `YYYY-MM` too, read as the month's 1st.
    func date(_ key: String, allowingMonth: Bool = false) throws(CaseError) -> CalendarDate? {
        guard let text = try string(key) else { return nil }
        if let date = CalendarDate(text) { return date }
        if text.utf8.count == 7, let month = CalendarDate(text + "-01") {
            guard allowingMonth else {
                throw CaseError(
                    field: field(key),
                    "\"\(text)\" gives only the month: write the day (YYYY-MM-DD), or set datePrecision to \"month\"")
            }
            return month
        }
        throw CaseError(
            field: field(key),
            "\"\(text)\" is not a real date written YYYY-MM-DD\(allowingMonth ? " or YYYY-MM" : "")")
    }

    /// One of the raw values of `E`.
    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(CaseError) -> E?
    where E.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = E(rawValue: text) else {
            throw CaseError(
                field: field(key),
                "\"\(text)\" is not allowed; use one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func object(_ key: String, allowed: [String], what: String) throws(CaseError) -> CaseObject? {
        guard let value = value(key) else { return nil }
        return try CaseObject(value, path: field(key), allowed: allowed, what: what)
    }

    /// A list of objects, each read by `read`.
    func objects<T>(
        _ key: String, allowed: [String], what: String, _ read: (CaseObject) throws(CaseError) -> T
    ) throws(CaseError) -> [T] {
        guard let value = value(key) else { return [] }
        guard case .array(let elements) = value else {
            throw CaseError(field: field(key), "must be a list, not \(value.kindDescription)")
        }
        var result: [T] = []
        for (index, element) in elements.enumerated() {
            result.append(try read(CaseObject(element, path: "\(field(key))[\(index)]", allowed: allowed, what: what)))
        }
        return result
    }
}
