import Foundation
import PropertyBased

/// Where a fuzz property's random inputs come from: a fixed 64-bit seed, mixed with the name of what is fuzzed, from
/// which each case gets its own generator.
///
/// `propertyCheck` draws a fresh system-random seed on every run and its `.fixedSeed` trait runs one case and always
/// reports an issue, so neither gives CI the same few hundred cases each time. Here every case `k` has a generator
/// derived from `(seed, subject, k)` alone, so a failure report's seed and case number replay exactly that input
/// (``rng(forCase:)``) without replaying the cases before it.
///
/// The base seed is ``ciSeed`` unless `NPQ_FUZZ_SEED` (a decimal or `0x` hex number) says otherwise, to explore other
/// inputs locally; `NPQ_FUZZ_SCALE` multiplies every property's case count for a longer run.
struct FuzzSeed: Sendable, CustomStringConvertible {
    /// The seed CI uses; changing it changes every generated case.
    static let ciSeed: UInt64 = 0x4E50_5121_F022_0008

    /// The base seed of this run.
    static let base: UInt64 = {
        guard let text = ProcessInfo.processInfo.environment["NPQ_FUZZ_SEED"] else { return ciSeed }
        return text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) ?? ciSeed : UInt64(text) ?? ciSeed
    }()

    /// How many times more cases than the committed counts to run (at least 1).
    static let scale: Int = {
        let text = ProcessInfo.processInfo.environment["NPQ_FUZZ_SCALE"] ?? ""
        return max(1, Int(text) ?? 1)
    }()

    /// The seed for `subject`, e.g. a property's name and a message type.
    let value: UInt64
    /// What the seed was made for, for failure reports.
    let subject: String

    /// The seed of `subject` under the run's base seed.
    init(_ subject: String) {
        self.subject = subject
        // FNV-1a: unlike `Hasher`, the same on every run and platform.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in subject.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        value = Self.base ^ hash
    }

    /// The generator of case `index`: xoshiro256** seeded through splitmix64, so neighbouring cases are unrelated.
    func rng(forCase index: Int) -> Xoshiro {
        var state = value ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
        return Xoshiro(seed: (splitMix(), splitMix(), splitMix(), splitMix()))
    }

    /// `0x…` for `subject`, as a failure report prints it.
    var description: String {
        "seed 0x\(String(Self.base, radix: 16)) for \"\(subject)\""
    }
}
