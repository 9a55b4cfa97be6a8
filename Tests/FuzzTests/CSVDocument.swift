/// A table of cells and the choices a CSV writer makes for it (line ends row by row, which cells to quote, a
/// byte-order mark, a final line end), written by RFC 4180's rules: the independent model the CSV readers are checked
/// against.
///
/// A cell is quoted when it must be (it holds a quote, a comma, a CR or an LF, or starts with U+FEFF, which a reader
/// would take for a byte-order mark) or when the writer chooses to. Two choices would make the text mean another
/// table, and the writer avoids them by quoting a row's one empty cell: at the very end of a file without a final line
/// end (where it would vanish), and after a CR when the row's line end is an LF (where the CR and LF would read as
/// one CRLF).
struct CSVDocument: Sendable, CustomStringConvertible {
    /// The rows, each a list of cells.
    var rows: [[String]]
    /// Each row's line end: `"\r\n"`, `"\n"` or `"\r"`.
    var lineEnds: [String]
    /// Whether each cell is quoted even when it need not be, row by row.
    var quotedByChoice: [[Bool]]
    var byteOrderMark: Bool
    var finalLineEnd: Bool

    /// The document as bytes, and the 1-based line each row starts on (CRLF, LF and a lone CR each end a line).
    func written() -> (bytes: [UInt8], lines: [Int]) {
        var bytes: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        var lines: [Int] = []
        var line = 1
        for (index, row) in rows.enumerated() {
            lines.append(line)
            // A row of no cells is written as a row of one empty cell, which is what a reader sees in an empty line.
            let cells = row.isEmpty ? [""] : row
            let isLast = index == rows.count - 1
            let previousEnd = index > 0 ? lineEnds[index - 1] : ""
            let lineEnd = isLast && !finalLineEnd ? "" : lineEnds[index]
            let loneEmptyCell =
                cells == [""] && ((isLast && !finalLineEnd) || (previousEnd == "\r" && lineEnd.hasPrefix("\n")))
            var text = ""
            for (position, cell) in cells.enumerated() {
                if position > 0 { text += "," }
                let chosen = quotedByChoice[index].indices.contains(position) && quotedByChoice[index][position]
                if loneEmptyCell || chosen || Self.mustQuote(cell) {
                    text += "\"" + Self.doublingQuotes(cell) + "\""
                } else {
                    text += cell
                }
            }
            text += lineEnd
            line += Self.lineBreaks(in: text.utf8)
            bytes += Array(text.utf8)
        }
        return (bytes, lines)
    }

    /// The cells as a reader should give them: without surrounding spaces and tabs.
    var expectedCells: [[String]] {
        rows.map { $0.map(Self.trimmed) }
    }

    /// The cells, the line ends and the file as written.
    var description: String {
        "\(rows.count) rows \(rows), line ends \(lineEnds), BOM \(byteOrderMark), final line end \(finalLineEnd): "
            + bytesLiteral(written().bytes)
    }

    /// Whether RFC 4180 requires `cell` to be quoted (or a reader would mistake its start for a byte-order mark).
    static func mustQuote(_ cell: String) -> Bool {
        cell.unicodeScalars.contains { $0 == "\"" || $0 == "," || $0 == "\r" || $0 == "\n" }
            || cell.unicodeScalars.first == "\u{FEFF}"
    }

    /// `cell` with each quote written twice, scalar by scalar: as characters, a quote followed by a combining mark is
    /// one character that is not a quote, and would be left single.
    static func doublingQuotes(_ cell: String) -> String {
        var doubled = String.UnicodeScalarView()
        for scalar in cell.unicodeScalars {
            if scalar == "\"" { doubled.append(scalar) }
            doubled.append(scalar)
        }
        return String(doubled)
    }

    /// How many lines `bytes` end: each CRLF, LF and lone CR.
    static func lineBreaks(in bytes: some Sequence<UInt8>) -> Int {
        var count = 0
        var previousWasCR = false
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !previousWasCR { count += 1 }
            } else if byte == UInt8(ascii: "\r") {
                count += 1
            }
            previousWasCR = byte == UInt8(ascii: "\r")
        }
        return count
    }

    /// `cell` without leading and trailing spaces and tabs.
    static func trimmed(_ cell: String) -> String {
        var scalars = Substring(cell).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
