extension MessageRejected {
    /// The `x-npq-rejection` headers to put on the parked copy of the refused message, so an
    /// operator looking at the parked queue sees the same explanation the publisher received.
    public var rejectionHeaders: [String: String] {
        var headers = [
            EnvelopeHeader.rejectionReason: reason.rawValue,
            EnvelopeHeader.rejectionDetail: detail,
            EnvelopeHeader.rejectedBy: service,
        ]
        if !fieldErrors.isEmpty,
            let json = try? ContractEncoder.makeJSONEncoder().encode(Array(fieldErrors.prefix(Self.headerFieldErrors)))
        {
            headers[EnvelopeHeader.rejectionFields] = String(decoding: json, as: UTF8.self)
        }
        return headers
    }

    /// How many field errors the parked copy's header keeps (the event itself keeps up to ``maxFieldErrors``).
    static let headerFieldErrors = 20
}
