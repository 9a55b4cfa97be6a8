import MessageContracts

/// The schools of an import sent in parts, checked as one register: every entry as a GIAS row is checked, and no
/// URN twice across the parts.
public enum SchoolRegisterAssembly {
    /// The register's schools in the order of the parts and, within each, of its entries.
    ///
    /// - Parameter parts: each part's schools, by part number from 1.
    /// - Throws: an ``EligibilityError`` whose field is the entry's path within its part (`schools[12].urn`), whose
    ///   message names the part, and with the entry's line when it has one; for a URN listed twice, both places.
    public static func schools(_ parts: [[SchoolRegisterEntry]]) throws(EligibilityError) -> [SchoolRecord] {
        var schools: [SchoolRecord] = []
        var seen: [String: (part: Int, index: Int, line: Int?)] = [:]
        for (partIndex, entries) in parts.enumerated() {
            for (index, entry) in entries.enumerated() {
                let place = "schools[\(index)]"
                let part = "in part \(partIndex + 1), "
                let school: SchoolRecord
                do {
                    school = try SchoolRecord(entry)
                } catch {
                    throw EligibilityError(
                        .schoolsRegister, line: error.line, field: "\(place).\(error.field ?? "")",
                        part + error.message)
                }
                if let first = seen[school.urn] {
                    let firstPlace = first.line.map { "line \($0)" } ?? "part \(first.part) schools[\(first.index)]"
                    throw EligibilityError(
                        .schoolsRegister, line: entry.line, field: "\(place).urn",
                        part + "\(school.urn) is listed more than once (first on \(firstPlace))")
                }
                seen[school.urn] = (partIndex + 1, index, entry.line)
                schools.append(school)
            }
        }
        return schools
    }
}
