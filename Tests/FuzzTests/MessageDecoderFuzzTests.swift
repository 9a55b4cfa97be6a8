import Foundation
import MessageContracts
import PropertyBased
import Testing

/// Property-based fuzzing of every message type's decoder, from its golden example: broken bodies are refused with
/// field errors that name a path and a rule (or accepted and round-trip), bodies rewritten without changing their
/// meaning decode to the example, the size and depth limits hold to the byte and the level, no cut-short body is
/// accepted, random bytes are refused as undecodable, and type names resolve only to catalog contracts.
///
/// Each property runs a fixed number of cases per type from a fixed seed (``FuzzSeed``), so CI checks the same inputs
/// every run; `NPQ_FUZZ_SEED` and `NPQ_FUZZ_SCALE` explore further locally.
@Suite("Fuzzing the decoder of every message type")
struct MessageDecoderFuzzTests {
    @Test(
        "Broken bodies are refused with field errors naming a path and a rule, or accepted and round-trip",
        arguments: GoldenExamples.typeNames)
    func brokenBodies(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        let example = try #require(GoldenExamples.example(typeName), "no golden fixture for \(typeName)")
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("broken bodies of \(typeName)"), count: 300, input: BodyMutator(example: example).brokenBodies,
            describe: \.description,
            shrink: { body in
                let mutation = body.mutation.hasSuffix(", shrunk") ? body.mutation : body.mutation + ", shrunk"
                return byteShrinkCandidates(body.bytes).map { MutatedBody(bytes: $0, mutation: mutation) }
            },
            check: { body in DecoderProperty.verdict(contract, body: body.bytes) })
        // The generator must reach past the parser into the schema check, not only break the syntax.
        #expect(summary.count("invalid_fields/") > 0, "\(summary.outcomes)")
        #expect(summary.count("undecodable/") > 0, "\(summary.outcomes)")
    }

    @Test(
        "Reordered members, whitespace, respelled whole numbers and escapes decode to the same value as the example",
        arguments: GoldenExamples.typeNames)
    func equivalentBodies(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        let example = try #require(GoldenExamples.example(typeName), "no golden fixture for \(typeName)")
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("equivalent bodies of \(typeName)"), count: 40,
            input: BodyMutator(example: example).equivalentBodies, describe: \.description,
            check: { body in Self.decodesLikeExample(contract, example: example, body: body.bytes) })
        #expect(summary.outcomes == ["accepted": summary.cases])
    }

    @Test("Size and depth limits refuse exactly the bodies beyond them, up to the deepest limit allowed")
    func limits() {
        let input = Generator { rng in
            let typeName = GoldenExamples.typeNames.randomElement(using: &rng)!
            let document = RawJSON(GoldenExamples.example(typeName) ?? .null)
            let path = document.nodes.randomElement(using: &rng)!.path
            let nesting = Int.random(in: 0...600, using: &rng)
            let nested = document.replacing(path) { node in
                (0..<nesting).reduce(node) { inner, _ in
                    Bool.random(using: &rng) ? .array([inner]) : .object([RawJSON.Member("a", inner)])
                }
            }
            let bytes = nested.bytes()
            let depth = nested.depth
            let maxDepth = min(
                JSONParsingLimits.deepestAllowed,
                max(
                    1,
                    [depth - 1, depth, depth + 1, Int.random(in: 1...JSONParsingLimits.deepestAllowed, using: &rng)]
                        .randomElement(using: &rng)!))
            let maxBytes = max(1, [bytes.count - 1, bytes.count, 1 << 20].randomElement(using: &rng)!)
            return (typeName, bytes, depth, JSONParsingLimits(maxBytes: maxBytes, maxDepth: maxDepth))
        }
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("limits"), count: 400, input: input,
            describe: { typeName, bytes, depth, limits in
                "\(typeName), depth \(depth), \(limits): \(bytesLiteral(bytes, limit: 200))"
            },
            check: { typeName, bytes, depth, limits in
                let contract = MessageCatalog.contract(forTypeName: typeName)!
                var verdict = DecoderProperty.verdict(contract, body: bytes, limits: limits)
                let outcome = verdict.outcome
                if bytes.count > limits.maxBytes {
                    verdict.require(outcome == "too_large/size", "\(bytes.count) bytes refused as \(outcome)")
                } else if depth > limits.maxDepth {
                    verdict.require(outcome == "undecodable/depth", "depth \(depth) refused as \(outcome)")
                } else {
                    verdict.require(
                        outcome == "accepted" || outcome.hasPrefix("invalid_fields/"),
                        "within the limits but judged \(outcome)")
                }
                return verdict
            })
        #expect(summary.count("undecodable/depth") > 0, "\(summary.outcomes)")
        #expect(summary.count("invalid_fields/") > 0, "\(summary.outcomes)")
    }

    @Test(
        "No cut-short valid body is accepted, and each is refused as undecodable", arguments: GoldenExamples.typeNames)
    func truncatedBodies(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        let example = try #require(GoldenExamples.example(typeName), "no golden fixture for \(typeName)")
        for bytes in [RawJSON(example).bytes(), RawJSON(example).bytes(indent: 2)] {
            var failures = 0
            for length in 0..<bytes.count {
                let prefix = Array(bytes.prefix(length))
                // A prefix that is complete JSON on its own (only possible for a scalar body) may be judged as such.
                if (try? JSONValue(parsing: Data(prefix))) != nil { continue }
                var verdict = DecoderProperty.verdict(contract, body: prefix)
                let outcome = verdict.outcome
                verdict.require(outcome.hasPrefix("undecodable/"), "refused as \(outcome)")
                if !verdict.violations.isEmpty {
                    failures += 1
                    if failures <= 3 {
                        let violations = verdict.violations.joined(separator: "; ")
                        Issue.record("the first \(length) bytes: \(violations)\ninput: \(bytesLiteral(prefix))")
                    }
                }
            }
            #expect(failures == 0, "\(failures) of \(bytes.count) prefixes of \(typeName)'s body broke the property")
        }
    }

    @Test("Random bytes, and random bytes from JSON's alphabet, are refused as undecodable or too large")
    func randomBytes() {
        let jsonAlphabet: [UInt8] = Array("{}[]\":,0123456789-+.eEtrufalsn \t\r\n\\/u".utf8) + [0x00, 0x80, 0xC3, 0xFF]
        let input = zip(
            Gen<String?>.element(of: GoldenExamples.typeNames).map { $0! },
            Gen<Bool>.bool,
            Gen<UInt8>.value(in: 0...255).array(of: 0...300),
            Gen<UInt8?>.element(of: jsonAlphabet).map { $0! }.array(of: 0...300))
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("random bytes"), count: 1_500, input: input,
            describe: { typeName, fromAlphabet, random, alphabet in
                "\(typeName): \(bytesLiteral(fromAlphabet ? alphabet : random))"
            },
            check: { typeName, fromAlphabet, random, alphabet in
                let contract = MessageCatalog.contract(forTypeName: typeName)!
                return DecoderProperty.verdict(contract, body: fromAlphabet ? alphabet : random)
            })
        #expect(summary.count("undecodable/") > 0, "\(summary.outcomes)")
    }

    @Test("A type name the catalog does not have is refused as unknown_type; one it has decodes as that type")
    func typeNames() {
        let example = GoldenExamples.example("npq.application.submit.v1") ?? .null
        let body = RawJSON(example).bytes()
        let names = Gen<String?>.element(of: GoldenExamples.typeNames).map { $0! }
        let input = zip(names, Gen<Int>.int(in: 0..<8), Gen<Character>.ascii.string(of: 0...30))
        let summary = fixedSeedPropertyCheck(
            FuzzSeed("type names"), count: 500, input: input,
            describe: { name, edit, text in "\(Self.editedTypeName(name, edit: edit, text: text))" },
            check: { name, edit, text in
                let typeName = Self.editedTypeName(name, edit: edit, text: text)
                let known = MessageCatalog.contract(forTypeName: typeName)
                do throws(ContractViolation) {
                    let message = try ContractDecoder.decode(typeName: typeName, from: Data(body))
                    var verdict = FuzzVerdict("accepted")
                    verdict.require(
                        known.map { type(of: message) == $0 } ?? false, "\(typeName) decoded as \(type(of: message))")
                    return verdict
                } catch {
                    var verdict = FuzzVerdict(error.reason.rawValue)
                    verdict.require(
                        (known == nil) == (error.reason == .unknownType),
                        "\(typeName) is \(known == nil ? "unknown" : "known") but was refused as "
                            + error.reason.rawValue)
                    verdict.require(!error.detail.isEmpty, "unknown_type without a detail")
                    return verdict
                }
            })
        #expect(summary.count("unknown_type") > 0, "\(summary.outcomes)")
        #expect(summary.count("accepted") > 0, "\(summary.outcomes)")
    }

    // MARK: Helpers

    /// The property for bodies that mean the same as the example: accepted, round-tripping, and equal to the example.
    private static func decodesLikeExample<M: MessageContract>(
        _ contract: M.Type, example: JSONValue, body: [UInt8]
    ) -> FuzzVerdict {
        var verdict = DecoderProperty.verdict(contract, body: body)
        guard verdict.outcome == "accepted" else {
            do {
                _ = try ContractDecoder.decode(M.self, from: Data(body))
            } catch {
                verdict.violations.append("a rewrite of the example was refused: \(error)")
            }
            return verdict
        }
        let expected = try? ContractDecoder.decode(M.self, from: example.jsonData())
        let actual = try? ContractDecoder.decode(M.self, from: Data(body))
        verdict.require(expected != nil && actual == expected, "decodes to a value other than the example's")
        return verdict
    }

    /// A catalog name changed by `edit`: kept, upper-cased, without `npq.`, with another version, padded, cut short,
    /// with random text appended, or replaced by random text.
    private static func editedTypeName(_ name: String, edit: Int, text: String) -> String {
        switch edit {
        case 0: name
        case 1: name.uppercased()
        case 2: String(name.dropFirst(4))
        case 3: String(name.dropLast(2)) + "v9"
        case 4: " \(name) "
        case 5: String(name.prefix(text.count))
        case 6: name + text
        default: text
        }
    }
}
