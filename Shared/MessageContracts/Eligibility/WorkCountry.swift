/// Where an applicant works: only work in England can be funded.
public enum WorkCountry: String, Codable, Sendable, CaseIterable {
    case england
    case scotland
    case wales
    case northernIreland = "northern_ireland"
    case jerseyGuernseyIsleOfMan = "jersey_guernsey_isle_of_man"
    case anotherCountry = "another_country"
}
