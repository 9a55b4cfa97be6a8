import Foundation
import PropertyBased
import Testing

@testable import EligibilityDomain

/// Property-based fuzzing of the reference-data CSV readers: the record reader against an RFC 4180 writer (in UTF-8
/// and in Windows-1252), the list and register importers against a model of their documented rules, and both
/// importers against broken copies of the shipped files and random bytes, which they must read or refuse with an error
/// naming the file and the line.
@Suite("Fuzzing the reference-data CSV readers")
struct CSVImporterFuzzTests {
    static let referenceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../reference/eligibility", isDirectory: true).standardizedFileURL

    /// The shipped CSV files, each a valid file to break.
    static let shippedFiles =
        ((try? FileManager.default.contentsOfDirectory(atPath: referenceDirectory.path)) ?? [])
        .filter { $0.hasSuffix(".csv") }.sorted()

    @Test("Any table written as RFC 4180 CSV reads back as the same cells, each record on its line")
    func recordsRoundTrip() {
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("CSV records round trip"), count: 400, input: CSVGenerators.tables, describe: \.description
        ) { document in
            let (bytes, lines) = document.written()
            let reader = CSVReader(Data(bytes), file: "table.csv", code: .referenceList)
            var records: [(line: Int, cells: [String])] = []
            var verdict = FuzzVerdict(document.rows.isEmpty ? "empty" : "read")
            do {
                try reader.forEachRecord { record in records.append((record.line, record.fields.map(reader.text))) }
            } catch {
                verdict.violations.append("refused: \(error)")
                return verdict
            }
            let expected = document.expectedCells
            verdict.require(
                records.count == expected.count, "read \(records.count) records, expected \(expected.count)")
            for (index, record) in records.prefix(expected.count).enumerated() {
                let cells = expected[index]
                verdict.require(
                    record.cells == cells,
                    "record \(index + 1) reads as \(record.cells.map { bytesLiteral(Array($0.utf8), limit: 40) }), "
                        + "expected \(cells.map { bytesLiteral(Array($0.utf8), limit: 40) })")
                verdict.require(
                    record.line == lines[index], "record \(index + 1) is on line \(record.line), not \(lines[index])")
            }
            return verdict
        }
        #expect(summary.count("read") > 0)
    }

    @Test("A table written in Windows-1252, as GIAS writes its extracts, reads back as the same cells")
    func windows1252RoundTrip() {
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("CSV records in Windows-1252"), count: 200, input: CSVGenerators.windows1252Tables,
            describe: \.description
        ) { document in
            let (utf8, _) = document.written()
            let bytes = String(decoding: utf8, as: UTF8.self).unicodeScalars.map {
                $0.isASCII ? UInt8($0.value) : CSVGenerators.windows1252[$0]!
            }
            let reader = CSVReader(Data(bytes), file: "table.csv", code: .schoolsRegister)
            var records: [[String]] = []
            // Some Windows-1252 text is valid UTF-8 too ("é“Ÿ" is E9 93 9F, which is "铟"); the reader documents that it
            // takes such a file for UTF-8, so only its records' count can be checked.
            let alsoUTF8 = String(validating: bytes, as: UTF8.self) != nil
            var verdict = FuzzVerdict(
                bytes.allSatisfy { $0 < 0x80 } ? "ascii" : alsoUTF8 ? "also valid UTF-8" : "windows-1252")
            do {
                try reader.forEachRecord { record in records.append(record.fields.map(reader.text)) }
            } catch {
                verdict.violations.append("refused: \(error)")
                return verdict
            }
            if verdict.outcome == "also valid UTF-8" {
                verdict.require(records.count == document.rows.count, "read \(records.count) records")
            } else {
                verdict.require(
                    records == document.expectedCells, "read \(records), expected \(document.expectedCells)")
            }
            return verdict
        }
        #expect(summary.count("windows-1252") > 0, "\(summary.outcomes)")
    }

    /// The verdict on one import of a generated file: what `parse` gave against what the model expects — the same
    /// value, or an error labelled with `file` and `code` on the expected line and field.
    static func verdict<Value: Equatable & Sendable>(
        expected: ExpectedImport<Value>, file: String, code: EligibilityError.Code,
        _ parse: () throws(EligibilityError) -> Value
    ) -> FuzzVerdict {
        do throws(EligibilityError) {
            let value = try parse()
            var verdict = FuzzVerdict("parsed")
            verdict.require(.parsed(value) == expected, "read \(value), expected \(expected)")
            return verdict
        } catch {
            var verdict = FuzzVerdict(error.line == nil ? "error/file" : "error/line")
            verdict.require(error.file == file && error.code == code, "mislabelled: \(error)")
            verdict.require(
                .error(line: error.line, field: error.field) == expected, "refused with \(error), expected \(expected)")
            return verdict
        }
    }

    @Test("A made-up reference list parses to its identifiers, or fails on the line and column of its first bad row")
    func referenceListsMatchTheModel() {
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("reference lists"), count: 300, input: GeneratedReferenceList.files, describe: \.description
        ) { file in
            Self.verdict(expected: file.expected, file: "list.csv", code: .referenceList) {
                () throws(EligibilityError) in
                try ReferenceList.parse(Data(file.document.written().bytes), kind: file.kind, file: "list.csv")
            }
        }
        #expect(summary.count("parsed") > 0, "\(summary.outcomes)")
        #expect(summary.count("error/line") > 0, "\(summary.outcomes)")
    }

    @Test("A made-up GIAS extract reads to its schools and lines, or fails on the line and column of its first bad row")
    func schoolRegistersMatchTheModel() {
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("school registers"), count: 300, input: GeneratedSchoolRegister.files, describe: \.description
        ) { file in
            Self.verdict(expected: file.expected, file: "schools.csv", code: .schoolsRegister) {
                () throws(EligibilityError) in
                try SchoolRegister.rows(Data(file.document.written().bytes), file: "schools.csv")
            }
        }
        #expect(summary.count("parsed") > 0, "\(summary.outcomes)")
        #expect(summary.count("error/line") > 0, "\(summary.outcomes)")
    }

    @Test(
        "Broken copies of the shipped files are read consistently or refused with the file and line named",
        arguments: shippedFiles)
    func brokenShippedFiles(name: String) throws {
        let original = try #require(
            FileManager.default.contents(atPath: Self.referenceDirectory.appendingPathComponent(name).path))
        #expect(ImportProperty.verdict(file: name, bytes: Array(original)).outcome == "parsed")
        let input = Generator { rng in CSVGenerators.brokenFile(Array(original), using: &rng) }
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("broken \(name)"), count: 150, input: input,
            describe: { broken in "\(broken.mutation): \(bytesLiteral(broken.bytes))" },
            shrink: { broken in byteShrinkCandidates(broken.bytes).map { ($0, broken.mutation) } },
            check: { broken in ImportProperty.verdict(file: name, bytes: broken.bytes) })
        #expect(summary.count("error/line") > 0, "\(summary.outcomes)")
    }

    @Test("Random bytes, and random text from CSV's alphabet, are read consistently or refused with the line named")
    func randomBytes() {
        let alphabet = Array("\",\r\n \tURN1234567890EYab".utf8) + [0x00, 0xEF, 0xBB, 0xBF, 0xE9, 0xFF]
        let input = zip(
            Gen<String?>.element(of: Self.shippedFiles).map { $0 ?? "schools.csv" },
            Gen<Bool>.bool,
            Gen<UInt8>.value(in: 0...255).array(of: 0...200),
            Gen<UInt8?>.element(of: alphabet).map { $0 ?? 0 }.array(of: 0...200))
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("random CSV bytes"), count: 600, input: input,
            describe: { name, fromAlphabet, random, text in "\(name): \(bytesLiteral(fromAlphabet ? text : random))" },
            check: { name, fromAlphabet, random, text in
                ImportProperty.verdict(file: name, bytes: fromAlphabet ? text : random)
            })
        #expect(summary.count("error/") > 0, "\(summary.outcomes)")
    }
}
