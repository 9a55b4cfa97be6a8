import EligibilityDomain

/// What a reader of a reference file should give for a generated file: the result, or the error's line and field.
///
/// Built from the generated table (never from the reader's output), row by row, by the documented rules: rows whose
/// cells are all empty or padding are skipped, the first other row is the header, and the first data row that breaks a
/// rule is the error, on the line the writer put it.
enum ExpectedImport<Value: Equatable & Sendable>: Equatable, Sendable {
    case parsed(Value)
    case error(line: Int?, field: String?)
}

/// One identifier cell of a generated file: its text, and the identifier the reader should keep (`nil` when the text
/// is not an identifier of the list's shape).
struct IdentifierCell: Sendable {
    var text: String
    var normalised: String?

    /// A cell for `format`: mostly a valid identifier (padded, Ofsted letters in either case), sometimes one a digit
    /// short or long, with a letter, a space or a full-width digit inside, or empty.
    static func random(_ format: IdentifierFormat, using rng: inout some RandomNumberGenerator) -> IdentifierCell {
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character("\(Int.random(in: 0...9, using: &rng))") })
        }
        let padding = ["", "", "", " ", "\t", "  "]
        if Int.random(in: 0..<8, using: &rng) == 0 {
            let length = format == .ukprn ? 8 : 6
            let broken = [
                "", digits(length - 1), digits(length + 2), digits(length - 2) + "a1", digits(3) + " " + digits(3),
                "１" + digits(length - 1), "-" + digits(length - 1), digits(length - 1) + "\u{0}",
            ]
            return IdentifierCell(text: broken.randomElement(using: &rng)!, normalised: nil)
        }
        let identifier: String
        let kept: String
        switch format {
        case .urn:
            identifier = digits(6)
            kept = identifier
        case .ukprn:
            identifier = digits(8)
            kept = identifier
        case .ofstedURN:
            if Bool.random(using: &rng) {
                identifier = digits(Bool.random(using: &rng) ? 6 : 7)
                kept = identifier
            } else {
                let letters = String((0..<2).map { _ in "EYCASCeycasc".randomElement(using: &rng)! })
                identifier = letters + digits(6)
                kept = identifier.uppercased()
            }
        }
        let text = padding.randomElement(using: &rng)! + identifier + padding.randomElement(using: &rng)!
        return IdentifierCell(text: text, normalised: kept)
    }
}

/// A header as a person might type it: each letter in either case, with spaces or a tab around it.
func respelledHeader(_ header: String, using rng: inout some RandomNumberGenerator) -> String {
    let body = String(header.map { Bool.random(using: &rng) ? Character($0.uppercased()) : Character($0.lowercased()) })
    let padding = ["", "", " ", "\t"]
    return padding.randomElement(using: &rng)! + body + padding.randomElement(using: &rng)!
}

/// Whether every cell of `row` is empty once padding is removed: a row readers skip.
func isBlankRow(_ row: [String]) -> Bool {
    row.allSatisfy { CSVDocument.trimmed($0).isEmpty }
}
