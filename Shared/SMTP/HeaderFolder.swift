/// Writes one header field, folding it (RFC 5322 §2.2.3) so lines stay within 78 characters where the content
/// allows, and RFC 2047 encoded-words within 76.
///
/// Words are appended one at a time; a fold (CRLF and a space) replaces the space before a word, so unfolding gives
/// back exactly the text that was appended.
struct HeaderFolder {
    /// RFC 5322's recommended limit for a line without its CRLF.
    static let preferredLineLength = 78
    /// RFC 2047's limit for a line that contains an encoded-word.
    static let encodedWordLineLength = 76
    static let encodedWordPrefix = "=?utf-8?q?"
    static let encodedWordSuffix = "?="
    /// The longest encoded text of one encoded-word: 75 characters in all (RFC 2047 §2).
    static let maximumEncodedText = 75 - encodedWordPrefix.utf8.count - encodedWordSuffix.utf8.count

    private var lines: [String] = []
    private var current: String
    /// Whether the current line has a word on it (a fold before the first word would leave an empty line).
    private var currentHasWord = false

    init(name: String) {
        current = name + ":"
    }

    /// Appends a space and `word`, folding first when the line would pass 78 characters.
    mutating func append(_ word: String) {
        if currentHasWord, current.utf8.count + 1 + word.utf8.count > Self.preferredLineLength {
            fold()
        }
        current += " " + word
        currentHasWord = true
    }

    /// Appends `text` as a sequence of RFC 2047 "Q" encoded-words in UTF-8, each within 75 characters and each
    /// line that holds them within 76. A character is never split across two encoded-words; readers ignore the
    /// folding white space between adjacent encoded-words, so the text decodes back exactly.
    mutating func appendEncoded(_ text: String) {
        var encoded = ""
        func room() -> Int {
            min(
                Self.maximumEncodedText,
                Self.encodedWordLineLength - current.utf8.count - 1 - Self.encodedWordPrefix.utf8.count
                    - Self.encodedWordSuffix.utf8.count)
        }
        for scalar in text.unicodeScalars {
            let chunk = Self.qEncoded(scalar)
            if encoded.utf8.count + chunk.utf8.count > room() {
                if encoded.isEmpty {
                    if currentHasWord { fold() }
                } else {
                    current += " " + Self.encodedWordPrefix + encoded + Self.encodedWordSuffix
                    currentHasWord = true
                    encoded = ""
                    fold()
                }
            }
            encoded += chunk
        }
        if !encoded.isEmpty {
            current += " " + Self.encodedWordPrefix + encoded + Self.encodedWordSuffix
            currentHasWord = true
        }
    }

    /// Appends `text` as words separated by single spaces when it can be written as is (printable ASCII, no
    /// leading, trailing or double spaces, no "=?" that a reader could take for an encoded-word, no word longer than
    /// `longestWord`), as encoded-words otherwise.
    mutating func appendText(_ text: String, longestWord: Int = 66) {
        if Self.canWritePlain(text, longestWord: longestWord) {
            for word in text.split(separator: " ") { append(String(word)) }
        } else {
            appendEncoded(text)
        }
    }

    /// Appends a display name (an RFC 5322 phrase): words that can be atoms as they are, each run of the other words
    /// as encoded-words, so that every encoded-word has a plain atom or the address beside it.
    ///
    /// Readers disagree about the white space between two adjacent encoded-words in a phrase: RFC 2047 §6.2 says to
    /// drop it, Python's `email` package keeps it. With atoms between them, both read the same text. Only a run of
    /// non-ASCII words too long for one encoded-word is split into adjacent ones (and read as RFC 2047 says).
    mutating func appendPhrase(_ text: String) {
        let singleSpaced =
            !text.isEmpty && !text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.contains("  ")
            && !text.unicodeScalars.contains { $0.properties.isWhitespace && $0 != " " }
        guard singleSpaced else {
            appendEncoded(text)
            return
        }
        var run: [Substring] = []
        for word in text.split(separator: " ") {
            if Self.isAtom(word) {
                if !run.isEmpty { appendEncoded(run.joined(separator: " ")) }
                run = []
                append(String(word))
            } else {
                run.append(word)
            }
        }
        if !run.isEmpty { appendEncoded(run.joined(separator: " ")) }
    }

    /// Whether `word` can stand in a phrase as it is: RFC 5322 atext only, not looking like an encoded-word, short.
    static func isAtom(_ word: Substring) -> Bool {
        let atext = "!#$%&'*+-/=?^_`{|}~"
        return !word.isEmpty && word.utf8.count <= 66 && !word.contains("=?")
            && word.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || atext.unicodeScalars.contains($0))
            }
    }

    /// Ends the current line; the next word starts a continuation line.
    private mutating func fold() {
        lines.append(current)
        current = ""
        currentHasWord = false
    }

    /// The header field with CRLF after each line.
    var field: String {
        (lines + [current]).map { $0 + "\r\n" }.joined()
    }

    static func canWritePlain(_ text: String, longestWord: Int) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x20...0x7E).contains($0) } && !text.contains("=?")
            && !text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.contains("  ")
            && text.split(separator: " ").allSatisfy { $0.utf8.count <= longestWord }
    }

    /// One character in RFC 2047 "Q" encoding for use in a phrase or unstructured text: letters, digits and
    /// `! * + - /` as they are, a space as `_`, every other octet of its UTF-8 form as `=XX`.
    static func qEncoded(_ scalar: Unicode.Scalar) -> String {
        if scalar == " " { return "_" }
        if scalar.isASCII,
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!*+-/".unicodeScalars.contains(scalar)
        {
            return String(scalar)
        }
        return String(scalar).utf8.map { "=" + hexByte($0) }.joined()
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}
