import EligibilityDomain
import PropertyBased

/// Generators of CSV input: cells full of what CSV must escape, documents of them written with mixed line ends and
/// quoting, and the shipped reference files broken at the byte level.
enum CSVGenerators {
    /// Pieces cells are made of: plain text, padding, the characters CSV must quote, line ends of every kind, and
    /// Unicode that is easy to mishandle (a BOM character, combining marks, astral scalars, NUL).
    static let cellPieces = [
        "a", "Z", "7", "100001", "St Mary's", " ", "  ", "\t", ",", "\"", "\"\"", "\r", "\n", "\r\n", "é", "😀",
        "\u{FEFF}", "e\u{301}", "\u{301}", "\u{0}", "\u{7F}", "\u{A0}", ";", "'", "=1+2",
    ]

    /// A cell: usually a few pieces, sometimes empty, sometimes 20,000 characters long.
    static var cell: Generator<String, Shrink.None<String>> {
        Generator { rng in
            switch Int.random(in: 0..<40, using: &rng) {
            case 0: return String(repeating: ["x", "\"", ",", "é"].randomElement(using: &rng)!, count: 20_000)
            case 1...6: return ""
            default:
                return (0..<Int.random(in: 1...5, using: &rng)).map { _ in cellPieces.randomElement(using: &rng)! }
                    .joined()
            }
        }
    }

    /// A document of `rows` whose cells are drawn by `cell`, written with random line ends, quoting, BOM and final
    /// line end.
    static func document(
        rows: [[String]], using rng: inout some RandomNumberGenerator
    ) -> CSVDocument {
        let lineEndStyle = Int.random(in: 0..<4, using: &rng)
        let lineEnds = rows.map { _ in
            switch lineEndStyle {
            case 0: "\r\n"
            case 1: "\n"
            case 2: "\r"
            default: ["\r\n", "\n", "\r"].randomElement(using: &rng)!
            }
        }
        let quoteRate = [0.0, 0.2, 1.0].randomElement(using: &rng)!
        return CSVDocument(
            rows: rows, lineEnds: lineEnds,
            quotedByChoice: rows.map { $0.map { _ in Double.random(in: 0..<1, using: &rng) < quoteRate } },
            byteOrderMark: Int.random(in: 0..<4, using: &rng) == 0,
            finalLineEnd: Int.random(in: 0..<4, using: &rng) != 0)
    }

    /// Tables of up to 12 rows of 1 to 6 random cells (rows may differ in length), written as a document.
    static var tables: Generator<CSVDocument, Shrink.None<CSVDocument>> {
        let cell = cell
        return Generator { rng in
            let columns = Int.random(in: 1...6, using: &rng)
            let rows = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                let width = Int.random(in: 0..<5, using: &rng) == 0 ? Int.random(in: 1...7, using: &rng) : columns
                return (0..<width).map { _ in cell.run(using: &rng) }
            }
            return document(rows: rows, using: &rng)
        }
    }

    /// Characters Windows-1252 has (and GIAS's extracts use), with their bytes in that encoding.
    static let windows1252: [Unicode.Scalar: UInt8] = [
        "é": 0xE9, "ñ": 0xF1, "£": 0xA3, "\u{A0}": 0xA0, "Ÿ": 0x9F, "€": 0x80, "’": 0x92, "“": 0x93, "”": 0x94,
        "–": 0x96, "…": 0x85,
    ]

    /// Tables like ``tables`` whose cells mix ASCII with the characters of ``windows1252``, for files written in that
    /// encoding.
    static var windows1252Tables: Generator<CSVDocument, Shrink.None<CSVDocument>> {
        let pieces =
            ["a", "7", " ", "\t", ",", "\"", "\r\n", "\n", "St Mary’s"] + windows1252.keys.map { String($0) }.sorted()
        return Generator { rng in
            let columns = Int.random(in: 1...4, using: &rng)
            let rows = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                (0..<columns).map { _ in
                    (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
                }
            }
            var document = document(rows: rows, using: &rng)
            document.byteOrderMark = false
            return document
        }
    }

    /// `original` with one to four byte-level changes that matter to CSV: a quote, comma, CR, LF, NUL, stray UTF-8
    /// byte or BOM inserted; a byte replaced or deleted; a line repeated, dropped or swapped with another; every line
    /// end changed to CR or CRLF; the file cut short.
    static func brokenFile(
        _ original: [UInt8], using rng: inout some RandomNumberGenerator
    ) -> (bytes: [UInt8], mutation: String) {
        var bytes = original
        var names: [String] = []
        let inserted: [UInt8] = [
            UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " "), 0x00,
            0x80, 0xE9, 0xFF, 0xEF,
        ]
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<9, using: &rng) {
            case 0, 1:
                let byte = inserted.randomElement(using: &rng)!
                bytes.insert(byte, at: at)
                names.append("insert 0x\(String(byte, radix: 16)) at \(at)")
            case 2 where !bytes.isEmpty:
                let byte = UInt8.random(in: 0...255, using: &rng)
                bytes[at] = byte
                names.append("set byte \(at) to 0x\(String(byte, radix: 16))")
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int.random(in: 1...8, using: &rng))
                bytes.removeSubrange(at..<end)
                names.append("delete bytes \(at)..<\(end)")
            case 4:
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
                let line = Int.random(in: 0..<lines.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    lines.insert(lines[line], at: line)
                    names.append("repeat line \(line + 1)")
                case 1:
                    lines.remove(at: line)
                    names.append("drop line \(line + 1)")
                default:
                    let other = Int.random(in: 0..<lines.count, using: &rng)
                    lines.swapAt(line, other)
                    names.append("swap lines \(line + 1) and \(other + 1)")
                }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            case 5:
                let lineEnd: [UInt8] = Bool.random(using: &rng) ? [0x0D] : [0x0D, 0x0A]
                bytes = Array(
                    bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).joined(
                        separator: lineEnd))
                names.append("line ends \(lineEnd.count == 1 ? "CR" : "CRLF")")
            case 6:
                bytes = [0xEF, 0xBB, 0xBF] + bytes
                names.append("prefix a byte-order mark")
            case 7:
                bytes = Array(bytes.prefix(at))
                names.append("cut after \(at) bytes")
            default:
                let end = min(bytes.count, at + Int.random(in: 1...30, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
                names.append("repeat bytes \(at)..<\(end)")
            }
        }
        return (bytes, names.joined(separator: "; "))
    }
}
