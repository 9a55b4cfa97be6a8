import Foundation
import MessageContracts

extension RegulatoryParameterSet {
    /// Reads `regulation.json`: an object with an optional `about` and the array `versions`.
    ///
    /// - Throws: a ``ReferenceFileError`` naming the file and what is wrong.
    public static func parse(
        _ data: Data, file: String = "regulation.json"
    ) throws(ReferenceFileError)
        -> RegulatoryParameterSet
    {
        struct Document: Decodable { var versions: [RegulatoryParameters] }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReferenceFileError(file: file, "\(path(context.codingPath + [key])): missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            throw ReferenceFileError(file: file, "\(path(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw ReferenceFileError(file: file, "\(error)")
        }
        guard !document.versions.isEmpty else {
            throw ReferenceFileError(file: file, "versions: at least one is needed")
        }
        let versions = document.versions.map(\.version)
        guard Set(versions).count == versions.count else {
            throw ReferenceFileError(file: file, "versions: each version name must be unique")
        }
        return RegulatoryParameterSet(versions: document.versions)
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(
            in: CharacterSet(charactersIn: "."))
    }
}
