import Foundation
import MessageContracts
import Mustache
import Synchronization

/// The templates notices are rendered with: for each ``NotificationKind``, `<kind>.txt` (required) and `<kind>.html`
/// (optional) in one folder, Mustache templates an operator can edit.
///
/// A text template starts with its subject line, `Subject: …`, then an empty line, then the body; nothing in a text
/// template is escaped. An HTML template is the HTML body; its values are HTML-escaped.
///
/// Every template is checked when loaded: it must parse, and use only the placeholders of its kind
/// (``NotificationPlaceholders``), so a misspelt placeholder stops the service at start instead of leaving a blank in
/// an email.
public struct NotificationTemplates: Sendable {
    struct Pair: Sendable {
        var subject: MustacheTemplate
        var text: MustacheTemplate
        var html: MustacheTemplate?
    }

    private let templates: [NotificationKind: Pair]

    /// Loads and checks every kind's templates in `directory`.
    ///
    /// - Throws: a ``NotificationTemplateError`` naming the file and what is wrong: missing, no subject line, a
    ///   Mustache syntax error, or placeholders the kind does not have (with the ones it has).
    public static func load(directory: String) throws(NotificationTemplateError) -> NotificationTemplates {
        var templates: [NotificationKind: Pair] = [:]
        for kind in NotificationKind.allCases {
            let textFile = "\(directory)/\(kind.rawValue).txt"
            guard let data = FileManager.default.contents(atPath: textFile) else {
                throw NotificationTemplateError(file: textFile, "missing: every kind of notice needs a text template")
            }
            let htmlFile = "\(directory)/\(kind.rawValue).html"
            templates[kind] = try parse(
                kind: kind, text: String(decoding: data, as: UTF8.self), textFile: textFile,
                html: FileManager.default.contents(atPath: htmlFile).map { String(decoding: $0, as: UTF8.self) },
                htmlFile: htmlFile)
        }
        return NotificationTemplates(templates: templates)
    }

    /// Checks and keeps templates given as text (`html` optional), e.g. in tests.
    public static func parse(
        kind: NotificationKind, text: String, textFile: String = "text", html: String?, htmlFile: String = "html"
    ) throws(NotificationTemplateError) -> NotificationTemplates {
        NotificationTemplates(templates: [
            kind: try parse(kind: kind, text: text, textFile: textFile, html: html, htmlFile: htmlFile)
        ])
    }

    private init(templates: [NotificationKind: Pair]) {
        self.templates = templates
    }

    private static func parse(
        kind: NotificationKind, text: String, textFile: String, html: String?, htmlFile: String
    ) throws(NotificationTemplateError) -> Pair {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        let lines = normalised.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("Subject:") else {
            throw NotificationTemplateError(
                file: textFile, line: 1, "the first line must be the subject, as \"Subject: …\"")
        }
        var body = lines.count > 1 ? String(lines[1]) : ""
        guard body.hasPrefix("\n") || body.isEmpty else {
            throw NotificationTemplateError(
                file: textFile, line: 2, "the subject line must be followed by an empty line")
        }
        body.removeFirst(min(1, body.count))
        let subjectText = first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces)
        let placeholders = NotificationPlaceholders.of(kind)
        // Text templates escape nothing; HTML templates keep Mustache's HTML escaping.
        let pair = Pair(
            subject: try template("{{% CONTENT_TYPE: TEXT}}" + subjectText, file: textFile),
            text: try template("{{% CONTENT_TYPE: TEXT}}" + body, file: textFile),
            html: try html.map { html throws(NotificationTemplateError) in try template(html, file: htmlFile) })
        for (template, file) in [(pair.subject, textFile), (pair.text, textFile)]
            + (pair.html.map { [($0, htmlFile)] } ?? [])
        {
            let unknown = unknownNames(in: template, placeholders: placeholders)
            guard unknown.isEmpty else {
                throw NotificationTemplateError(
                    file: file,
                    "uses \(unknown.map { "{{\($0)}}" }.joined(separator: ", ")), which a \(kind.rawValue) notice "
                        + "does not have; it has \(placeholders.all.joined(separator: ", "))")
            }
        }
        return pair
    }

    private static func template(_ text: String, file: String) throws(NotificationTemplateError) -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: text)
        } catch {
            throw NotificationTemplateError(file: file, "is not a valid Mustache template: \(error)")
        }
    }

    /// The names `template` looks up that are not placeholders: it is rendered twice, with every flag and optional
    /// value present and then absent, so that names inside `{{#…}}` and `{{^…}}` sections are all reached.
    private static func unknownNames(in template: MustacheTemplate, placeholders: NotificationPlaceholders) -> [String]
    {
        var unknown: Set<String> = []
        for present in [true, false] {
            var values = NotificationValues()
            for name in placeholders.texts where present { values.texts[name] = "x" }
            for name in placeholders.flags { values.flags[name] = present }
            let context = TemplateContext(values, known: placeholders)
            _ = template.render(context)
            unknown.formUnion(context.unknown)
        }
        return unknown.sorted()
    }

    /// Renders the notice of `kind` with `values`.
    public func render(_ kind: NotificationKind, _ values: NotificationValues) -> RenderedNotification {
        guard let pair = templates[kind] else {
            preconditionFailure("no template for \(kind.rawValue): load(directory:) loads every kind")
        }
        let placeholders = NotificationPlaceholders.of(kind)
        let context = TemplateContext(values, known: placeholders)
        let subject = pair.subject.render(context).split(whereSeparator: \.isNewline).joined(separator: " ")
        return RenderedNotification(
            subject: subject.trimmingCharacters(in: .whitespaces), text: pair.text.render(context),
            html: pair.html.map { $0.render(context) })
    }
}

/// A rendered notice.
public struct RenderedNotification: Sendable, Equatable, Codable {
    public var subject: String
    public var text: String
    public var html: String?

    public init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// A template that cannot be used, with the file and, when known, the line.
public struct NotificationTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        [file, line.map { "line \($0)" }, message].compactMap { $0 }.joined(separator: ": ")
    }
}

/// The root object templates are rendered with: answers the placeholders from the values, and records any other
/// name looked up.
final class TemplateContext: MustacheParent, @unchecked Sendable {
    private let values: NotificationValues
    private let known: NotificationPlaceholders
    private let asked = Mutex<Set<String>>([])

    init(_ values: NotificationValues, known: NotificationPlaceholders) {
        self.values = values
        self.known = known
    }

    var unknown: Set<String> { asked.withLock { $0 } }

    func child(named name: String) -> Any? {
        if known.flags.contains(name) { return values.flags[name] ?? false }
        if known.texts.contains(name) { return values.texts[name] }
        asked.withLock { _ = $0.insert(name) }
        return nil
    }
}
