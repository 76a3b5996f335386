import NIOCore

/// A STUN Binding request (RFC 8489 §3, §5): the only STUN message Antenne answers. Parsed
/// strictly: a 20-byte header with the magic cookie, a length that is the rest of the datagram
/// and a multiple of 4, attributes that fill it exactly, none of them comprehension-required
/// (§14: 0x0000-0x7FFF) since Antenne understands none. What does not parse gets no answer.
public struct STUNBindingRequest: Equatable, Sendable {
    /// The 96-bit transaction id (§6), echoed in the response.
    public var transactionID: [UInt8]

    /// RFC 8489 §5: the magic cookie, fixed.
    public static let magicCookie: UInt32 = 0x2112_A442
    /// §6: Binding (method 0x001) in the request class.
    static let bindingRequest: UInt16 = 0x0001
    static let headerBytes = 20
    /// Largest datagram read: §6.1 keeps STUN over UDP within the path MTU, and 1500 is
    /// Ethernet's. Anything longer is not a request a browser sends.
    public static let maximumBytes = 1500
    /// Attributes looked at: a browser's binding request carries none to a few (SOFTWARE,
    /// FINGERPRINT); more is not a request Antenne answers.
    static let maximumAttributes = 16

    public init(transactionID: [UInt8]) {
        self.transactionID = transactionID
    }

    public init(parsing datagram: ByteBuffer) throws(TrackerError) {
        var buffer = datagram
        guard buffer.readableBytes <= Self.maximumBytes else { throw .malformedSTUN("\(buffer.readableBytes) bytes") }
        guard let type = buffer.readInteger(as: UInt16.self), let length = buffer.readInteger(as: UInt16.self),
              let cookie = buffer.readInteger(as: UInt32.self), let id = buffer.readBytes(length: 12)
        else { throw .malformedSTUN("shorter than a header") }
        // §5: the two most significant bits of every STUN message are zero.
        guard type & 0xC000 == 0, cookie == Self.magicCookie else { throw .malformedSTUN("not STUN") }
        guard type == Self.bindingRequest else { throw .malformedSTUN("not a binding request (type \(type))") }
        guard Int(length) == buffer.readableBytes, length % 4 == 0 else { throw .malformedSTUN("length \(length) for \(buffer.readableBytes) bytes") }
        var attributes = 0
        while buffer.readableBytes > 0 {
            attributes += 1
            guard attributes <= Self.maximumAttributes else { throw .malformedSTUN("more than \(Self.maximumAttributes) attributes") }
            guard let attribute = buffer.readInteger(as: UInt16.self), let valueLength = buffer.readInteger(as: UInt16.self) else {
                throw .malformedSTUN("truncated attribute header")
            }
            // §14: padded to a multiple of 4 bytes.
            let padded = (Int(valueLength) + 3) & ~3
            guard buffer.readableBytes >= padded else { throw .malformedSTUN("attribute \(attribute) longer than the message") }
            guard attribute >= 0x8000 else { throw .malformedSTUN("comprehension-required attribute \(attribute)") }
            buffer.moveReaderIndex(forwardBy: padded)
        }
        transactionID = id
    }
}
