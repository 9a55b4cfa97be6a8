/// Who at a school is told: the roles a school registers contacts for.
public enum ContactRole: String, Codable, Sendable, CaseIterable {
    case head
    case senco
    /// The governor responsible for special educational needs and disabilities.
    case sendGovernor = "send_governor"
    /// The chair of governors.
    case chair
    case office
}
