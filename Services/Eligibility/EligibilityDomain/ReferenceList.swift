/// One reference list as loaded: which list it is and the identifiers on it.
///
/// A list is replaced as a whole when an operator loads a new file; membership is all the rules ask of it.
public struct ReferenceList: Sendable, Equatable {
    public var kind: ReferenceListKind
    /// The distinct identifiers, normalised as ``IdentifierFormat/normalise(_:)`` does.
    public internal(set) var identifiers: Set<String>
    /// The data rows the file had (a repeated identifier counts each time it appears).
    public var rowCount: Int

    /// A list of `identifiers`; any that do not have the list's shape are left out.
    public init(_ kind: ReferenceListKind, identifiers: some Sequence<String> = [String](), rowCount: Int? = nil) {
        self.kind = kind
        let kept = identifiers.compactMap { kind.format.normalise($0) }
        self.identifiers = Set(kept)
        self.rowCount = rowCount ?? kept.count
    }

    /// The number of distinct identifiers on the list.
    public var count: Int { identifiers.count }

    /// Whether `identifier` (in any accepted spelling, e.g. `ey123456`) is on the list; `nil` never is.
    public func contains(_ identifier: String?) -> Bool {
        guard let identifier, let key = kind.format.normalise(identifier) else { return false }
        return identifiers.contains(key)
    }
}
