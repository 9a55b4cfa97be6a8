import MessageContracts
import PropertyBased

/// Generators of message bodies made from one valid body: broken ones (a member dropped, added or repeated, a value of
/// the wrong type, a hostile string or number, deep nesting, flipped or inserted bytes, a cut), rewritten ones that
/// mean the same (keys reordered, whitespace, whole numbers respelled, escapes), and wholly random JSON.
struct BodyMutator: Sendable {
    /// The valid body, as a tree to mutate.
    let document: RawJSON

    /// A mutator of `example`, a valid body.
    init(example: JSONValue) {
        document = RawJSON(example)
    }

    // MARK: Generators

    /// Bodies broken in one to four ways, or replaced by random JSON, with the mutations named.
    var brokenBodies: Generator<MutatedBody, AnySequence<(index: Int, value: MutatedBody)>> {
        let document = document
        let once = Generator { rng in Self.structural(document, steps: 1, using: &rng) }
        let several = Generator { rng in
            Self.structural(document, steps: Int.random(in: 2...4, using: &rng), using: &rng)
        }
        let bytewise = Generator { rng in Self.bytewise(document, using: &rng) }
        let random = Generator { rng in
            let value = Self.randomValue(depth: 3, using: &rng)
            return MutatedBody(bytes: value.bytes(), mutation: "random JSON")
        }
        return Gen<MutatedBody>.frequency([
            (6, once.eraseToAnySequence()), (2, several.eraseToAnySequence()), (3, bytewise.eraseToAnySequence()),
            (1, random.eraseToAnySequence()),
        ])
    }

    /// Bodies that say exactly what the valid one says, written differently: members in another order, any amount of
    /// JSON whitespace, whole numbers with a fraction or exponent (`5.0`, `5e0`, `50E-1`), and characters of strings
    /// written as `\u` escapes (surrogate pairs beyond the BMP) or `\/`.
    var equivalentBodies: Generator<MutatedBody, Shrink.None<MutatedBody>> {
        let document = document
        return Generator { rng in
            let shuffled = Self.shufflingMembers(document, using: &rng)
            let respelled = Self.respellingWholeNumbers(shuffled, using: &rng)
            let escaped = Self.escapingStrings(respelled, using: &rng)
            let indent: Int? = Bool.random(using: &rng) ? nil : Int.random(in: 0...4, using: &rng)
            let space = [" ", "\t", "\n", "\r\n", ""].map { Array($0.utf8) }
            let bytes =
                space.randomElement(using: &rng)! + escaped.bytes(indent: indent) + space.randomElement(using: &rng)!
            return MutatedBody(
                bytes: bytes, mutation: "reordered, indent \(indent.map(String.init) ?? "none"), escaped")
        }
    }

    // MARK: Structural mutations

    /// `document` with `steps` random structural mutations, then written compactly or pretty-printed.
    static func structural(
        _ document: RawJSON, steps: Int, using rng: inout some RandomNumberGenerator
    ) -> MutatedBody {
        var mutated = document
        var names: [String] = []
        for _ in 0..<steps {
            let (next, name) = mutateOnce(mutated, using: &rng)
            mutated = next
            names.append(name)
        }
        let pretty = Int.random(in: 0..<4, using: &rng) == 0
        return MutatedBody(bytes: mutated.bytes(indent: pretty ? 2 : nil), mutation: names.joined(separator: "; "))
    }

    /// One structural mutation of `document` and its description.
    private static func mutateOnce(
        _ document: RawJSON, using rng: inout some RandomNumberGenerator
    ) -> (RawJSON, String) {
        let nodes = document.nodes
        let path = nodes.randomElement(using: &rng)!.path
        let memberPaths = nodes.compactMap { node in if case .member = node.path.last { node.path } else { nil } }
        let objectPaths = nodes.compactMap { $0.value.kind == "object" ? $0.path : nil }
        let stringPaths = nodes.compactMap { $0.value.kind == "string" ? $0.path : nil }
        let numberPaths = nodes.compactMap { $0.value.kind == "number" ? $0.path : nil }
        let place = { (path: [RawJSON.Step]) in document.describe(path) }

        switch Int.random(in: 0..<12, using: &rng) {
        case 10... where !stringPaths.isEmpty:
            let target = stringPaths.randomElement(using: &rng)!
            guard case .string(let original)? = document[target] else { return (document, "nothing") }
            let text = NearMissStrings.near(original, using: &rng)
            return (
                document.replacing(target) { _ in .string(text) },
                "set \(place(target)) to \(bytesLiteral(Array(text.utf8), limit: 80))"
            )
        case 0 where !memberPaths.isEmpty:
            let target = memberPaths.randomElement(using: &rng)!
            return (document.replacing(target) { _ in nil }, "drop \(place(target))")
        case 1 where !objectPaths.isEmpty:
            let target = objectPaths.randomElement(using: &rng)!
            let name =
                Bool.random(using: &rng)
                ? HostileValues.memberNames.randomElement(using: &rng)! : randomText(maxLength: 12, using: &rng)
            let value = randomValue(depth: 1, using: &rng)
            let mutated = document.replacing(target) { node in
                guard case .object(var members) = node else { return node }
                members.insert(
                    RawJSON.Member(name, value), at: Int.random(in: 0...members.count, using: &rng))
                return .object(members)
            }
            return (mutated, "add member \(bytesLiteral(Array(name.utf8), limit: 20)) to \(place(target))")
        case 2 where !objectPaths.isEmpty:
            let target = objectPaths.randomElement(using: &rng)!
            var description = "repeat a member of \(place(target))"
            let mutated = document.replacing(target) { node in
                guard case .object(var members) = node, let member = members.randomElement(using: &rng) else {
                    return node
                }
                var copy = member
                if Bool.random(using: &rng) { copy.value = randomValue(depth: 0, using: &rng) }
                members.insert(copy, at: Int.random(in: 0...members.count, using: &rng))
                description = "repeat member \(bytesLiteral(member.name.bytes(), limit: 40)) of \(place(target))"
                return .object(members)
            }
            return (mutated, description)
        case 3:
            let original = document[path]!
            let replacement = otherKind(than: original, using: &rng)
            return (
                document.replacing(path) { _ in replacement },
                "make \(place(path)) \(replacement.kind) instead of \(original.kind)"
            )
        case 4, 5:
            let target =
                stringPaths.isEmpty || Int.random(in: 0..<5, using: &rng) == 0
                ? path : stringPaths.randomElement(using: &rng)!
            let (replacement, what) = hostileString(near: document[target]!, using: &rng)
            return (document.replacing(target) { _ in replacement }, "set \(place(target)) to \(what)")
        case 6:
            let target =
                numberPaths.isEmpty || Bool.random(using: &rng)
                ? path : numberPaths.randomElement(using: &rng)!
            let number = HostileValues.numbers.randomElement(using: &rng)!
            return (document.replacing(target) { _ in .literal(number) }, "set \(place(target)) to \(number)")
        case 7:
            let depth = [1, 2, 30, 31, 32, 33, 64, 600].randomElement(using: &rng)!
            let useArrays = Bool.random(using: &rng)
            let mutated = document.replacing(path) { node in
                (0..<depth).reduce(node) { inner, _ in
                    useArrays ? .array([inner]) : .object([RawJSON.Member("a", inner)])
                }
            }
            return (mutated, "nest \(place(path)) \(depth) \(useArrays ? "arrays" : "objects") deep")
        case 8:
            // Written as raw bytes a kilobyte at a time: building a megabyte string scalar by scalar is slow.
            let length = [1_048_577, 100_000, 2_049, 255].randomElement(using: &rng)!
            let filler = Array(["a", "é", "😀", "\\u0000"].randomElement(using: &rng)!.utf8)
            let chunk = Array([[UInt8]](repeating: filler, count: 1_024 / filler.count).joined())
            var content: [UInt8] = []
            content.reserveCapacity(length + chunk.count)
            while content.count + chunk.count <= length { content += chunk }
            while content.count < length { content += filler }
            return (
                document.replacing(path) { _ in .rawString(content) },
                "set \(place(path)) to \(content.count) bytes of \(bytesLiteral(filler))"
            )
        default:
            let original = document[path]!
            return (document.replacing(path) { _ in .array([original]) }, "wrap \(place(path)) in a list")
        }
    }

    /// A value of another JSON kind than `value`: null, a boolean, a number, a string, or an empty or one-element list
    /// or object.
    private static func otherKind(than value: RawJSON, using rng: inout some RandomNumberGenerator) -> RawJSON {
        let choices: [RawJSON] = [
            .literal("null"), .literal("true"), .literal("false"), .literal("0"), .literal("1.5"), .string(""),
            .string("x"), .array([]), .array([value]), .object([]), .object([RawJSON.Member("value", value)]),
        ]
        return choices.filter { $0.kind != value.kind }.randomElement(using: &rng)!
    }

    /// A string to replace `value` with: a hostile one, a near miss of `value` if it is a string (see
    /// ``NearMissStrings``), random text, or raw bytes that are not valid in a JSON string.
    private static func hostileString(
        near value: RawJSON, using rng: inout some RandomNumberGenerator
    ) -> (RawJSON, String) {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0, 1:
            let text = HostileValues.strings.randomElement(using: &rng)!
            return (.string(text), bytesLiteral(Array(text.utf8), limit: 80))
        case 2:
            let content = HostileValues.rawStringContents.randomElement(using: &rng)!
            return (.rawString(content), "raw \(bytesLiteral(content))")
        case 3:
            let text = randomText(maxLength: 40, using: &rng)
            return (.string(text), bytesLiteral(Array(text.utf8), limit: 80))
        default:
            guard case .string(let original) = value else {
                return (.string(" "), "\" \"")
            }
            let text = NearMissStrings.near(original, using: &rng)
            return (.string(text), bytesLiteral(Array(text.utf8), limit: 80))
        }
    }

    // MARK: Byte mutations

    /// The valid body's bytes with one to three byte-level changes: bits flipped, bytes inserted, replaced, deleted or
    /// duplicated, the body cut short, or a byte-order mark or trailing text added.
    static func bytewise(_ document: RawJSON, using rng: inout some RandomNumberGenerator) -> MutatedBody {
        var bytes = document.bytes(indent: Bool.random(using: &rng) ? nil : 2)
        var names: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0:
                let bit = Int.random(in: 0..<8, using: &rng)
                bytes[at] ^= 1 << bit
                names.append("flip bit \(bit) of byte \(at)")
            case 1:
                let byte = HostileValues.insertedBytes.randomElement(using: &rng)!
                bytes.insert(byte, at: at)
                names.append("insert 0x\(String(byte, radix: 16)) at \(at)")
            case 2:
                let byte = UInt8.random(in: 0...255, using: &rng)
                bytes[at] = byte
                names.append("set byte \(at) to 0x\(String(byte, radix: 16))")
            case 3:
                let end = min(bytes.count, at + Int.random(in: 1...16, using: &rng))
                bytes.removeSubrange(at..<end)
                names.append("delete bytes \(at)..<\(end)")
            case 4:
                let end = min(bytes.count, at + Int.random(in: 1...16, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: end)
                names.append("repeat bytes \(at)..<\(end)")
            case 5:
                bytes = Array(bytes.prefix(at))
                names.append("cut after \(at) bytes")
            case 6:
                bytes = [0xEF, 0xBB, 0xBF] + bytes
                names.append("prefix a byte-order mark")
            default:
                let tail = ["x", "}", "\u{0}", " {}", ",", "\n\n", " null"].randomElement(using: &rng)!
                bytes += Array(tail.utf8)
                names.append("append \(bytesLiteral(Array(tail.utf8)))")
            }
        }
        return MutatedBody(bytes: bytes, mutation: names.joined(separator: "; "))
    }

    // MARK: Rewrites that keep the meaning

    /// `document` with every object's members in a random order.
    static func shufflingMembers(_ document: RawJSON, using rng: inout some RandomNumberGenerator) -> RawJSON {
        switch document {
        case .literal, .string, .rawString: document
        case .array(let elements): .array(elements.map { shufflingMembers($0, using: &rng) })
        case .object(let members):
            .object(
                members.shuffled(using: &rng).map {
                    RawJSON.Member(name: $0.name, value: shufflingMembers($0.value, using: &rng))
                })
        }
    }

    /// `document` with some whole numbers written with a fraction or an exponent, which JSON (and JSON Schema's
    /// `integer`) reads as the same number.
    static func respellingWholeNumbers(_ document: RawJSON, using rng: inout some RandomNumberGenerator) -> RawJSON {
        switch document {
        case .literal(let text):
            guard let number = Int(text), Int.random(in: 0..<3, using: &rng) == 0 else { return document }
            // `00E-1` would have a leading zero, which JSON does not allow.
            let spellings = ["\(number).0", "\(number)e0", "\(number).000"] + (number == 0 ? [] : ["\(number)0E-1"])
            return .literal(spellings.randomElement(using: &rng)!)
        case .string, .rawString: return document
        case .array(let elements): return .array(elements.map { respellingWholeNumbers($0, using: &rng) })
        case .object(let members):
            return .object(
                members.map { RawJSON.Member(name: $0.name, value: respellingWholeNumbers($0.value, using: &rng)) })
        }
    }

    /// `document` with some strings (names included) rewritten with escapes that mean the same characters.
    static func escapingStrings(_ document: RawJSON, using rng: inout some RandomNumberGenerator) -> RawJSON {
        switch document {
        case .literal, .rawString: return document
        case .string(let text): return Bool.random(using: &rng) ? .rawString(escaped(text, using: &rng)) : document
        case .array(let elements): return .array(elements.map { escapingStrings($0, using: &rng) })
        case .object(let members):
            return .object(
                members.map {
                    RawJSON.Member(
                        name: escapingStrings($0.name, using: &rng), value: escapingStrings($0.value, using: &rng))
                })
        }
    }

    /// The content of a JSON string literal for `text`, each character written as itself or as an escape at random;
    /// quotes, backslashes and control characters are always escaped.
    static func escaped(_ text: String, using rng: inout some RandomNumberGenerator) -> [UInt8] {
        func unicodeEscape(_ value: UInt32) -> [UInt8] {
            let digits = String(value, radix: 16, uppercase: Bool.random(using: &rng))
            return Array(("\\u" + String(repeating: "0", count: 4 - digits.count) + digits).utf8)
        }
        var content: [UInt8] = []
        for scalar in text.unicodeScalars {
            let mustEscape = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
            guard mustEscape || Int.random(in: 0..<3, using: &rng) == 0 else {
                content += Array(String(scalar).utf8)
                continue
            }
            if scalar == "/" {
                content += Array("\\/".utf8)
            } else if scalar.value > 0xFFFF {
                let offset = scalar.value - 0x10000
                content += unicodeEscape(0xD800 + (offset >> 10)) + unicodeEscape(0xDC00 + (offset & 0x3FF))
            } else {
                content += unicodeEscape(scalar.value)
            }
        }
        return content
    }

    // MARK: Random values

    /// Random JSON up to `depth` levels of arrays and objects below the top.
    static func randomValue(depth: Int, using rng: inout some RandomNumberGenerator) -> RawJSON {
        switch Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &rng) {
        case 0: return .literal(["null", "true", "false"].randomElement(using: &rng)!)
        case 1: return .literal(HostileValues.numbers.randomElement(using: &rng)!)
        case 2: return .literal(String(Int.random(in: -1_000_000...1_000_000, using: &rng)))
        case 3: return .string(HostileValues.strings.randomElement(using: &rng)!)
        case 4: return .string(randomText(maxLength: 20, using: &rng))
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(depth: depth - 1, using: &rng) })
        default:
            return .object(
                (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    RawJSON.Member(randomText(maxLength: 8, using: &rng), randomValue(depth: depth - 1, using: &rng))
                })
        }
    }

    /// Up to `maxLength` random Unicode scalars, mostly ASCII, some from the rest of the BMP and beyond.
    static func randomText(maxLength: Int, using rng: inout some RandomNumberGenerator) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &rng) {
            let value: UInt32 =
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: UInt32.random(in: 0...0x1F, using: &rng)
                case 1: UInt32.random(in: 0x80...0xD7FF, using: &rng)
                case 2: UInt32.random(in: 0xE000...0x10FFFF, using: &rng)
                default: UInt32.random(in: 0x20...0x7E, using: &rng)
                }
            text.append(Unicode.Scalar(value) ?? "?")
        }
        return String(text)
    }
}
