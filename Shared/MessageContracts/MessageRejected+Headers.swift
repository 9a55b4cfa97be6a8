extension MessageRejected {
    /// The `x-npq-rejection` headers to put on the parked copy of the refused message, so an
    /// operator looking at the parked queue sees the same explanation the publisher received.
    public var rejectionHeaders: [String: String] {
        [
            EnvelopeHeader.rejectionReason: reason.rawValue,
            EnvelopeHeader.rejectionDetail: detail,
            EnvelopeHeader.rejectedBy: service,
        ]
    }
}
