/// The step of a delivery at which something went wrong, as ``SMTPError/stage`` reports it.
public enum SMTPStage: String, Sendable, Hashable, CustomStringConvertible {
    /// Reading the configuration (the URL, the CA file): nothing was attempted.
    case configuration
    /// Checking and rendering the email: nothing was sent.
    case composition
    /// Opening the TCP connection.
    case connect
    /// The TLS handshake of an implicit-TLS (`smtps://`) connection.
    case tls
    /// Waiting for the server's 220 greeting.
    case greeting
    /// EHLO (or its HELO fallback).
    case ehlo
    /// STARTTLS: the command, the TLS handshake and certificate verification that follow it.
    case startTLS = "starttls"
    /// AUTH PLAIN or AUTH LOGIN.
    case auth
    /// MAIL FROM.
    case mail
    /// RCPT TO, one per recipient.
    case rcpt
    /// The DATA command, before the content is sent.
    case data
    /// Sending the content and waiting for the server to accept it (the reply after the final ".").
    case message

    public var description: String { rawValue }
}
