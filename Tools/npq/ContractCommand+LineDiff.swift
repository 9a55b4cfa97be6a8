extension ContractCommand {
    /// The line edits that turn one text into another, by Myers' O(ND) algorithm, and their grouping into hunks.
    struct LineDiff {
        /// One step of the edit script: a line kept (its index in both texts), removed from the old text, or added
        /// from the new.
        enum Edit: Equatable {
            case same(Int, Int)
            case removed(Int)
            case added(Int)
        }

        /// Consecutive edits around a change, with the 1-based line numbers where they start.
        struct Hunk {
            var oldStart: Int
            var newStart: Int
            var edits: [Edit]

            /// `@@ -12,5 +12,7 @@`, as unified diffs write it.
            var header: String {
                let oldCount = edits.filter { if case .added = $0 { false } else { true } }.count
                let newCount = edits.filter { if case .removed = $0 { false } else { true } }.count
                return "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@"
            }
        }

        /// The shortest edit script from `old` to `new`, or `nil` when it needs more than `limit` insertions and
        /// deletions (the texts are unrelated, and the script would cost much time and memory for nothing useful).
        static func edits(from old: [Substring], to new: [Substring], limit: Int = 4000) -> [Edit]? {
            // Lines the texts share at their start and end need no search (an appended block costs nothing).
            var prefix = 0
            while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
            var suffix = 0
            while suffix < old.count - prefix, suffix < new.count - prefix,
                old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
            {
                suffix += 1
            }
            let oldMiddle = Array(old[prefix..<(old.count - suffix)])
            let newMiddle = Array(new[prefix..<(new.count - suffix)])
            let middle: [Edit]
            if oldMiddle.isEmpty || newMiddle.isEmpty {
                middle = oldMiddle.indices.map { .removed($0) } + newMiddle.indices.map { .added($0) }
            } else if oldMiddle.count * newMiddle.count <= tableLimit {
                // Lopsided middles (a file cut short) are cheap for a table but would need a long search.
                middle = table(from: oldMiddle, to: newMiddle)
            } else {
                guard let found = search(from: oldMiddle, to: newMiddle, limit: limit) else { return nil }
                middle = found
            }
            let shifted = middle.map { edit -> Edit in
                switch edit {
                case .same(let a, let b): .same(a + prefix, b + prefix)
                case .removed(let a): .removed(a + prefix)
                case .added(let b): .added(b + prefix)
                }
            }
            let head = (0..<prefix).map { Edit.same($0, $0) }
            let tail = (0..<suffix).map { Edit.same(old.count - suffix + $0, new.count - suffix + $0) }
            return head + shifted + tail
        }

        /// The most cells ``table(from:to:)`` fills (16 MB).
        static let tableLimit = 4_000_000

        /// The edit script from the table of longest common subsequences of every pair of suffixes: O(n × m).
        private static func table(from old: [Substring], to new: [Substring]) -> [Edit] {
            let n = old.count
            let m = new.count
            // common[i * (m + 1) + j]: the length of the longest common subsequence of old[i...] and new[j...].
            var common = [Int32](repeating: 0, count: (n + 1) * (m + 1))
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    common[i * (m + 1) + j] =
                        old[i] == new[j]
                        ? common[(i + 1) * (m + 1) + j + 1] + 1
                        : max(common[(i + 1) * (m + 1) + j], common[i * (m + 1) + j + 1])
                }
            }
            var edits: [Edit] = []
            var i = 0
            var j = 0
            while i < n, j < m {
                if old[i] == new[j] {
                    edits.append(.same(i, j))
                    i += 1
                    j += 1
                } else if common[(i + 1) * (m + 1) + j] >= common[i * (m + 1) + j + 1] {
                    edits.append(.removed(i))
                    i += 1
                } else {
                    edits.append(.added(j))
                    j += 1
                }
            }
            return edits + (i..<n).map { .removed($0) } + (j..<m).map { .added($0) }
        }

        /// Myers' search for the shortest edit script, giving up beyond `limit` edits.
        private static func search(from old: [Substring], to new: [Substring], limit: Int) -> [Edit]? {
            let n = old.count
            let m = new.count
            // v[k] is the furthest x reached on diagonal k (x - y = k), stored at k + offset.
            let offset = n + m + 1
            var v = [Int](repeating: 0, count: 2 * offset + 1)
            // trace[d] keeps v for k in -(d + 1)...(d + 1) as it was before step d, for walking back.
            var trace: [[Int]] = []
            for d in 0...min(n + m, limit) {
                trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
                for k in stride(from: -d, through: d, by: 2) {
                    var x =
                        (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                        ? v[offset + k + 1] : v[offset + k - 1] + 1
                    var y = x - k
                    while x < n, y < m, old[x] == new[y] {
                        x += 1
                        y += 1
                    }
                    v[offset + k] = x
                    if x >= n, y >= m {
                        return walkBack(trace: trace, n: n, m: m)
                    }
                }
            }
            return nil
        }

        /// The edit script, from the end of both texts back to their start through the saved states.
        private static func walkBack(trace: [[Int]], n: Int, m: Int) -> [Edit] {
            var edits: [Edit] = []
            var x = n
            var y = m
            for d in stride(from: trace.count - 1, through: 1, by: -1) {
                let saved = trace[d]
                func furthest(_ k: Int) -> Int { saved[k + d + 1] }
                let k = x - y
                let down = k == -d || (k != d && furthest(k - 1) < furthest(k + 1))
                let previousK = down ? k + 1 : k - 1
                let previousX = furthest(previousK)
                let previousY = previousX - previousK
                // Back along the diagonal to just after the step that added or removed a line.
                while x > (down ? previousX : previousX + 1), y > (down ? previousY + 1 : previousY) {
                    edits.append(.same(x - 1, y - 1))
                    x -= 1
                    y -= 1
                }
                edits.append(down ? .added(previousY) : .removed(previousX))
                x = previousX
                y = previousY
            }
            while x > 0, y > 0 {
                edits.append(.same(x - 1, y - 1))
                x -= 1
                y -= 1
            }
            return edits.reversed()
        }

        /// The changes with up to `context` unchanged lines around each, merged when they are close.
        static func hunks(_ edits: [Edit], context: Int) -> [Hunk] {
            let changed = edits.indices.filter { if case .same = edits[$0] { false } else { true } }
            var ranges: [ClosedRange<Int>] = []
            for index in changed {
                let range = max(0, index - context)...min(edits.count - 1, index + context)
                if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
                    ranges[ranges.count - 1] = last.lowerBound...range.upperBound
                } else {
                    ranges.append(range)
                }
            }
            return ranges.map { range in
                // Line numbers where the hunk starts: count what precedes it in each text.
                let before = edits[..<range.lowerBound]
                let oldStart = before.filter { if case .added = $0 { false } else { true } }.count + 1
                let newStart = before.filter { if case .removed = $0 { false } else { true } }.count + 1
                return Hunk(oldStart: oldStart, newStart: newStart, edits: Array(edits[range]))
            }
        }
    }
}
