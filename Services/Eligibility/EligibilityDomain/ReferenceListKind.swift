/// The reference lists DfE publishes for the funding decision, each a CSV file whose identifier column is found by its
/// header; other columns (names, local authority, notes) are ignored.
///
/// | list | file (in the lists directory) | header | identifier |
/// |---|---|---|---|
/// | PP50 schools | `pp50-schools.csv` | `PP50 School URN` | URN |
/// | PP50 further education | `pp50-fe.csv` | `FE UKPRN` | UKPRN |
/// | RISE schools | `rise-schools.csv` | `RISE School URN` | URN |
/// | childminders | `childminders.csv` | `Childminder URN` | Ofsted URN |
/// | LA nurseries (kept for policy) | `la-nurseries.csv` | `LA Nursery URN` | URN |
/// | disadvantaged early years (kept) | `disadvantaged-early-years.csv` | `Disadvantaged EY School URN` | Ofsted URN |
///
/// "Kept" lists are kept for policy: not used by the 2026 rules. The disadvantaged early years list names schools and
/// private providers alike, so its identifiers have the Ofsted URN shape, which a school's 6-digit URN also has.
///
/// The headers are DfE's own (npq-registration's eligibility list uploads), so their files load unchanged.
public enum ReferenceListKind: String, Sendable, CaseIterable, Hashable {
    case pp50Schools = "pp50_schools"
    case pp50FurtherEducation = "pp50_further_education"
    case riseSchools = "rise_schools"
    case childminders
    case laNurseries = "la_nurseries"
    case disadvantagedEarlyYears = "disadvantaged_early_years"

    /// The header of the identifier column.
    public var header: String {
        switch self {
        case .pp50Schools: "PP50 School URN"
        case .pp50FurtherEducation: "FE UKPRN"
        case .riseSchools: "RISE School URN"
        case .childminders: "Childminder URN"
        case .laNurseries: "LA Nursery URN"
        case .disadvantagedEarlyYears: "Disadvantaged EY School URN"
        }
    }

    /// The shape of the identifiers.
    public var format: IdentifierFormat {
        switch self {
        case .pp50Schools, .riseSchools, .laNurseries: .urn
        case .pp50FurtherEducation: .ukprn
        case .childminders, .disadvantagedEarlyYears: .ofstedURN
        }
    }

    /// The file's name in a lists directory.
    public var fileName: String {
        switch self {
        case .pp50Schools: "pp50-schools.csv"
        case .pp50FurtherEducation: "pp50-fe.csv"
        case .riseSchools: "rise-schools.csv"
        case .childminders: "childminders.csv"
        case .laNurseries: "la-nurseries.csv"
        case .disadvantagedEarlyYears: "disadvantaged-early-years.csv"
        }
    }

    /// The list's name in words, e.g. "PP50 schools".
    public var title: String {
        switch self {
        case .pp50Schools: "PP50 schools"
        case .pp50FurtherEducation: "PP50 further education"
        case .riseSchools: "RISE schools"
        case .childminders: "childminders"
        case .laNurseries: "LA nurseries"
        case .disadvantagedEarlyYears: "disadvantaged early years"
        }
    }
}
