import ArgumentParser
import Foundation
import MessageContracts

extension PublishCommand {
    /// The body in `file` (`-` for standard input), checked as the service will check it: parsed within the
    /// suite's limits, validated against the contract's schema, then decoded as the contract's Swift type.
    ///
    /// - Throws: a ``CLIError`` when the file cannot be read; when the body breaks the contract, prints every
    ///   problem on standard error and throws ``Status/invalidBody``.
    static func checkedBody(file: String, contract: any MessageContract.Type) throws -> Data {
        let source = file == "-" ? "standard input" : file
        let body: Data
        if file == "-" {
            body = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                body = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError("cannot read --file \(file): \((error as NSError).localizedDescription)")
            }
        }
        do {
            _ = try ContractDecoder.decode(typeName: contract.typeName, from: body)
        } catch {
            FileHandle.standardError.write(Data(invalidBodyText(error, source: source, contract: contract).utf8))
            throw Status.invalidBody
        }
        return body
    }

    /// Every problem with the body, one a line, each naming its field path and the rule it breaks.
    static func invalidBodyText(
        _ violation: ContractViolation, source: String, contract: any MessageContract.Type
    ) -> String {
        let count = violation.fieldErrors.count == 1 ? "1 problem" : "\(violation.fieldErrors.count) problems"
        var lines = [
            "Error: the body in \(source) is not a valid \(contract.typeName) (\(violation.reason.rawValue)), so "
                + "nothing was published. \(violation.fieldErrors.isEmpty ? violation.detail : "\(count):")"
        ]
        lines += violation.fieldErrors.map { "  \($0)" }
        lines.append("See the contract with: npq publish \(contract.name) --schema (and --example).")
        return lines.joined(separator: "\n") + "\n"
    }
}
