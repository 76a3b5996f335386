/// The bounds the REST API puts on what arrives over HTTP, before anything reaches the store
/// (ARCHITECTURE.md: everything read off the wire has a named limit).
public struct APILimits: Sendable, Hashable {
    /// The largest request body read, in bytes. The largest legitimate body is a channel with a
    /// custom ladder: ``ControlLimits/ladderLength`` allows 16 KiB of ladder JSON, which JSON
    /// escaping can at most double (quotes and backslashes become two bytes each) to 32 KiB;
    /// 64 KiB leaves room for the other fields. A bigger body is refused with 413 before more of
    /// it is buffered.
    public var requestBodyBytes: Int

    /// The longest `Authorization` header value looked at. Our tokens are at most
    /// 128 characters (`SecretFormat.maximumPresentedLength`); an operator's admin token can be
    /// longer, and 1 KiB covers any sensible one. A longer header is refused as 401 without
    /// hashing it.
    public var authorizationHeaderBytes: Int

    public init(requestBodyBytes: Int = 65_536, authorizationHeaderBytes: Int = 1_024) {
        self.requestBodyBytes = requestBodyBytes
        self.authorizationHeaderBytes = authorizationHeaderBytes
    }

    /// The defaults above.
    public static let standard = APILimits()
}
