/// Values that have broken JSON readers, validators and the code behind them elsewhere, for the body mutator to put
/// where a message's values go: edge-case numbers, impossible dates and times, malformed identifiers, injection text,
/// awkward Unicode and bytes that are not UTF-8 at all.
enum HostileValues {
    /// Number spellings: beyond `Double` (`1e309`), beyond `Int` (`2^63`, `2^64`), negative zero, subnormals, whole
    /// numbers written with a fraction or exponent, and spellings JSON does not allow (`01`, `+1`, `.5`, `NaN`).
    static let numbers = [
        "1e309", "-1e309", "1E400", "-0", "-0.0", "0", "0.0", "1.0", "1e0", "1E2", "5e-1", "1e-400", "4.9e-324",
        "2.2250738585072014e-308", "1.7976931348623157e308", "18446744073709551616", "18446744073709551615",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "0.1", "-1", "2147483648", "1.5", "100000", "99999999999999999999e-20",
        "1e15", "9007199254740993", "01", "+1", ".5", "1.", "1e", "-", "NaN", "Infinity", "-Infinity", "0x10",
        "1_000", "1e+", "--1",
    ]

    /// Dates and instants that do not exist, sit at the edges of the years `CalendarDate` and `RFC3339` allow, or
    /// carry more precision than the encoder writes.
    static let dates = [
        "2024-02-30", "2023-02-29", "2024-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "0000-01-01",
        "0001-01-01", "9999-12-31", "10000-01-01", "2024-9-1", "2024/09/01", " 2024-09-01", "2024-09-01 ",
        "２０２４-09-01", "2024-09-01T24:00:00Z", "2024-09-01T23:59:60Z", "2024-09-01T09:30:00",
        "2024-09-01T09:30:00+24:00", "2024-09-01T09:30:00.Z", "2024-09-01T09:30Z", "2024-09-01 09:30:00Z",
        "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59.9999Z",
        "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00.0001-00:00",
        "2024-09-01T09:30:00.0005Z", "2024-09-01T09:30:00.123456789012345678901234567890Z",
        "2024-09-01t09:30:00z", "2024-09-01T09:30:00.000-00:00", "1970-01-01T00:00:00Z", "2024-02-30T09:30:00Z",
        "2024-09", "2024-99", "0000-00",
    ]

    /// Identifiers, emails, URIs and UUIDs just inside and just outside their formats.
    static let identifiers = [
        "00000000-0000-0000-0000-000000000000", "3F2B8C1E-9D4A-4C55-8F0E-2A7B6C1D9E04",
        "3f2b8c1e9d4a4c558f0e2a7b6c1d9e04", "{3f2b8c1e-9d4a-4c55-8f0e-2a7b6c1d9e04}",
        "3f2b8c1e-9d4a-4c55-8f0e-2a7b6c1d9e0g", "a@b.co", "a@b", "@b.co", "a..b@c.co", "a@-b.co", "a@b.c0",
        String(repeating: "x", count: 64) + "@b.co", String(repeating: "x", count: 65) + "@b.co",
        "head@school.example.org ", "https://x", "http://", "javascript:alert(1)", "file:///etc/passwd",
        "https://a b", "1234567", "123456", "12345678", "1234567 ", "１２３４５６７", "EY123456", "ey123456",
        "npq-senco", "NPQ-SENCO", "2026b", "teach-first", "open", "a_school", "england", "yes",
    ]

    /// Text aimed at whatever later stores, renders or logs a value: SQL, HTML, templates, paths, format strings.
    static let injections = [
        "'; DROP TABLE applications; --", "\" OR 1=1 --", "<script>alert(1)</script>", "{{7*7}}", "{{{body}}}",
        "${jndi:ldap://x/a}", "../../../etc/passwd", "%s%s%s%n", "\\", "null", "true", "[]", "{}",
        "\r\nX-Injected: 1", "a\u{0}b",
    ]

    /// Unicode that trips up lengths, comparisons and terminals: controls, bidi overrides, zero-width and
    /// non-characters, combining marks, astral scalars.
    static let unicode = [
        "", " ", "\u{0}", "\t\n\r", "\u{7F}", "\u{1B}[31mred", "\u{FEFF}", "\u{200B}", "\u{202E}abc", "\u{FFFD}",
        "\u{FFFF}", "\u{10FFFF}", "😀", "👩‍👩‍👧‍👦", "e\u{301}", "\u{301}", "ﷺ", "İ", "ß",
    ]

    /// String contents that are not valid inside a JSON string: bytes that are not UTF-8 (lone continuation, overlong,
    /// surrogate, beyond U+10FFFF, cut short), raw control characters and bad escapes.
    static let rawStringContents: [[UInt8]] = [
        [0xFF], [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        [0xF0, 0x9F, 0x98], [0x61, 0xFE, 0x62], [0x00], [0x0A], [0x1F], [0x09],
        Array("\\x41".utf8), Array("\\u12".utf8), Array("\\uD800".utf8), Array("\\uD800\\u0041".utf8),
        Array("\\uDC00".utf8), Array("\\uD83D\\uDE00".utf8), Array("\\'".utf8), Array("\\".utf8),
        Array("\\u0000".utf8), Array("\\uFFFF".utf8), Array("\\U0041".utf8),
    ]

    /// Every hostile string above.
    static let strings = dates + identifiers + injections + unicode

    /// Member names to add to an object: plausible typos, prototype-pollution names and odd characters.
    static let memberNames = [
        "type", "__proto__", "constructor", "", " ", "id", "ID", "extra", "é", "a.b", "a[0]", "\"", "\u{0}",
        "applicant ", "Applicant", String(repeating: "k", count: 300),
    ]

    /// Bytes to insert into a body: JSON's structural characters, a backslash, and bytes that cannot start UTF-8.
    static let insertedBytes: [UInt8] = [
        UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["),
        UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "0"), UInt8(ascii: "-"),
        UInt8(ascii: "e"), UInt8(ascii: " "), 0x00, 0x0A, 0x0D, 0x7F, 0x80, 0xBF, 0xC0, 0xED, 0xEF, 0xF4, 0xFF,
    ]
}
