import Foundation
import MessageContracts
import Testing

/// The catalog of contracts, and what every contract in it must satisfy.
@Suite("Message catalog")
struct MessageCatalogTests {
    static let typeNames = MessageCatalog.all.map { $0.typeName }.sorted()

    @Test("Type names are unique and look up their contract")
    func uniqueTypeNames() {
        #expect(Set(Self.typeNames).count == MessageCatalog.all.count)
        for typeName in Self.typeNames {
            #expect(MessageCatalog.contract(forTypeName: typeName)?.typeName == typeName)
        }
        #expect(MessageCatalog.contract(forTypeName: "npq.nothing.v1") == nil)
        #expect(MessageCatalog.contracts(ofKind: .event).map { $0.typeName }.contains("npq.message.rejected.v1"))
    }

    @Test(
        "Each contract's example validates against its own schema and survives encode and decode", arguments: typeNames)
    func exampleValidatesAndRoundTrips(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        #expect(try roundTrips(contract))
    }

    @Test("Each contract is documented and its schema is well formed", arguments: typeNames)
    func contractIsWellFormed(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        #expect(MessageType(typeName: typeName) == contract.messageType)
        #expect(!contract.summary.isEmpty && contract.summary.hasSuffix("."))
        #expect(contract.schema.uncompilablePatterns == [])
        guard case .object = contract.schema.shape else {
            Issue.record("\(typeName) must have an object schema")
            return
        }
    }

    @Test(
        "No property is both required and nullable: an absent optional is left out, never sent as null",
        arguments: typeNames)
    func requiredPropertiesAreNotNullable(typeName: String) throws {
        let contract = try #require(MessageCatalog.contract(forTypeName: typeName))
        #expect(Self.requiredNullable(contract.schema, path: "") == [])
    }

    /// The paths of properties that are required but accept `null`, anywhere in `schema`.
    static func requiredNullable(_ schema: JSONSchema, path: String) -> [String] {
        switch schema.shape {
        case .object(let properties, let required, _):
            return properties.keys.sorted().flatMap { name -> [String] in
                let property = properties[name]!
                let here = path.isEmpty ? name : "\(path).\(name)"
                return (required.contains(name) && property.isNullable ? [here] : [])
                    + requiredNullable(property, path: here)
            }
        case .array(let items, _, _): return requiredNullable(items, path: path + "[]")
        case .oneOf(let schemas): return schemas.flatMap { requiredNullable($0, path: path) }
        default: return []
        }
    }

    /// Encodes the example, validates it, decodes it and compares, for one concrete contract.
    private func roundTrips<M: MessageContract>(_ contract: M.Type) throws -> Bool {
        let body = ContractEncoder.encode(M.example)
        let errors = M.schema.validate(try JSONValue(parsing: body))
        #expect(errors == [], "\(M.typeName) example breaks its own schema")
        let decoded = try ContractDecoder.decode(M.self, from: body)
        #expect(decoded == M.example)
        #expect(ContractEncoder.encode(decoded) == body)
        return errors.isEmpty && decoded == M.example
    }
}
