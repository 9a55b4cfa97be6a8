import Foundation

/// The reference lists one assessment consults, one of each ``ReferenceListKind``.
public struct EligibilityLists: Sendable, Equatable {
    public var pp50Schools: ReferenceList
    public var pp50FurtherEducation: ReferenceList
    public var riseSchools: ReferenceList
    public var childminders: ReferenceList
    /// Kept for policy: used by the 2025 version's early years rules, not by 2026's.
    public var laNurseries: ReferenceList
    /// Kept for policy: used by the 2024 and 2025 versions' early years rules, not by 2026's.
    public var disadvantagedEarlyYears: ReferenceList

    /// Lists with the identifiers given; the others empty.
    public init(
        pp50Schools: [String] = [], pp50FurtherEducation: [String] = [], riseSchools: [String] = [],
        childminders: [String] = [], laNurseries: [String] = [], disadvantagedEarlyYears: [String] = []
    ) {
        self.pp50Schools = ReferenceList(.pp50Schools, identifiers: pp50Schools)
        self.pp50FurtherEducation = ReferenceList(.pp50FurtherEducation, identifiers: pp50FurtherEducation)
        self.riseSchools = ReferenceList(.riseSchools, identifiers: riseSchools)
        self.childminders = ReferenceList(.childminders, identifiers: childminders)
        self.laNurseries = ReferenceList(.laNurseries, identifiers: laNurseries)
        self.disadvantagedEarlyYears = ReferenceList(.disadvantagedEarlyYears, identifiers: disadvantagedEarlyYears)
    }

    /// The list of `kind`.
    public subscript(kind: ReferenceListKind) -> ReferenceList {
        get {
            switch kind {
            case .pp50Schools: pp50Schools
            case .pp50FurtherEducation: pp50FurtherEducation
            case .riseSchools: riseSchools
            case .childminders: childminders
            case .laNurseries: laNurseries
            case .disadvantagedEarlyYears: disadvantagedEarlyYears
            }
        }
        set {
            precondition(newValue.kind == kind, "a \(newValue.kind) list cannot replace the \(kind) list")
            switch kind {
            case .pp50Schools: pp50Schools = newValue
            case .pp50FurtherEducation: pp50FurtherEducation = newValue
            case .riseSchools: riseSchools = newValue
            case .childminders: childminders = newValue
            case .laNurseries: laNurseries = newValue
            case .disadvantagedEarlyYears: disadvantagedEarlyYears = newValue
            }
        }
    }

    /// Reads every list from its file's contents (`files[kind]`, e.g. as read from a lists directory).
    ///
    /// - Parameter directory: how to name the files in errors, e.g. `reference/eligibility`.
    /// - Throws: an ``EligibilityError`` for a missing file, or the first problem of the first bad file.
    public static func parse(
        _ files: [ReferenceListKind: Data], directory: String
    ) throws(EligibilityError)
        -> EligibilityLists
    {
        var lists = EligibilityLists()
        for kind in ReferenceListKind.allCases {
            let name = directory.isEmpty ? kind.fileName : "\(directory)/\(kind.fileName)"
            guard let data = files[kind] else {
                throw EligibilityError(
                    .referenceList, file: name,
                    "missing: the \(kind.title) list is needed (a CSV with the column \"\(kind.header)\")")
            }
            lists[kind] = try ReferenceList.parse(data, kind: kind, file: name)
        }
        return lists
    }
}
