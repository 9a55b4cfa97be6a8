/// What a new version of the schools register changes compared with the one it replaces: the schools added and
/// changed, as they are on the new version, and the URNs removed.
public struct SchoolRegisterChanges: Sendable, Equatable {
    /// Schools on the new version only, in its order.
    public var added: [SchoolRecord]
    /// Schools on both whose details differ, as they are on the new version, in its order.
    public var changed: [SchoolRecord]
    /// URNs on the old version only, sorted.
    public var removed: [String]

    /// The changes from `old` (by URN) to `new`.
    public init(from old: [String: SchoolRecord], to new: [SchoolRecord]) {
        var added: [SchoolRecord] = []
        var changed: [SchoolRecord] = []
        var kept = Set<String>()
        for school in new {
            kept.insert(school.urn)
            switch old[school.urn] {
            case nil: added.append(school)
            case let previous? where previous != school: changed.append(school)
            default: break
            }
        }
        self.added = added
        self.changed = changed
        removed = old.keys.filter { !kept.contains($0) }.sorted()
    }

    /// Whether the new version is the same register.
    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }
}
