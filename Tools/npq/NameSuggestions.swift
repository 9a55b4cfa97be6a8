/// Suggestions for a mistyped message name: what the CLI offers after "there is no message type …".
enum NameSuggestions {
    /// Up to five of `candidates` close to `name`: within a few edits (a likely typo says enough), or else sharing
    /// one of its words, nearest first.
    static func closest(to name: String, among candidates: some Sequence<String>) -> [String] {
        func words(_ text: String) -> Set<String> {
            Set(text.split(whereSeparator: { $0 == "." || $0 == "-" }).map(String.init))
        }
        let typed = words(name)
        var near: [(name: String, distance: Int)] = []
        var related: [(name: String, distance: Int)] = []
        for candidate in Set(candidates) {
            let distance = editDistance(name, candidate)
            if distance <= max(2, name.count / 4) {
                near.append((candidate, distance))
            } else if !typed.isDisjoint(with: words(candidate)) || candidate.contains(name) {
                related.append((candidate, distance))
            }
        }
        let chosen = near.isEmpty ? related : near
        return chosen.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
            .prefix(5).map { $0.name }
    }

    /// The Levenshtein distance between `a` and `b`, in characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
