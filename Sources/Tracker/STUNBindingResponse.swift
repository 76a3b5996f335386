import NIOCore

/// A Binding success response (RFC 8489 §6.3.1) carrying the request's source address as
/// XOR-MAPPED-ADDRESS (§14.2): what a browser gathers as its server-reflexive ICE candidate.
public enum STUNBindingResponse {
    /// §6: Binding (0x001) in the success-response class.
    static let bindingSuccess: UInt16 = 0x0101
    /// §18.3: XOR-MAPPED-ADDRESS.
    static let xorMappedAddress: UInt16 = 0x0020

    /// The response to `request` from `source`; nil for an address that is neither IPv4 nor IPv6.
    public static func encode(_ request: STUNBindingRequest, source: SocketAddress) -> ByteBuffer? {
        let cookie = STUNBindingRequest.magicCookie
        var key: [UInt8] = withUnsafeBytes(of: cookie.bigEndian, Array.init)
        let family: UInt8
        let address: [UInt8]
        switch source {
        case .v4(let v4):
            family = 0x01
            address = withUnsafeBytes(of: v4.address.sin_addr.s_addr) { Array($0) }
        case .v6(let v6):
            family = 0x02
            address = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            key += request.transactionID
        default:
            return nil
        }
        guard let port = source.port else { return nil }
        var buffer = ByteBuffer()
        buffer.writeInteger(bindingSuccess)
        buffer.writeInteger(UInt16(4 + 4 + address.count))
        buffer.writeInteger(cookie)
        buffer.writeBytes(request.transactionID)
        buffer.writeInteger(xorMappedAddress)
        buffer.writeInteger(UInt16(4 + address.count))
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(family)
        // §14.2: the port XORed with the cookie's most significant 16 bits, the address with the
        // cookie (and, for IPv6, the transaction id), all in network order.
        buffer.writeInteger(UInt16(port) ^ UInt16(cookie >> 16))
        buffer.writeBytes(zip(address, key).map { $0 ^ $1 })
        return buffer
    }
}
