import NIOCore
import Testing
@testable import Tracker

/// RFC 5769's test vectors (§2.1 request, §2.2 and §2.3 responses) and what must be refused.
@Suite struct STUNTests {
    /// RFC 5769 §2.2/§2.3: the transaction id of the sample responses.
    let transaction: [UInt8] = [0xB7, 0xE7, 0xA7, 0x01, 0xBC, 0x34, 0xD6, 0x86, 0xFA, 0x87, 0xDF, 0xAE]

    func header(type: UInt16 = 0x0001, length: UInt16, cookie: UInt32 = 0x2112_A442) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(type)
        b.writeInteger(length)
        b.writeInteger(cookie)
        b.writeBytes(transaction)
        return b
    }

    @Test func aBindingRequestWithOptionalAttributesParses() throws {
        // SOFTWARE (0x8022) of 3 bytes, padded to 4, then FINGERPRINT (0x8028).
        var b = header(length: 16)
        b.writeBytes([0x80, 0x22, 0x00, 0x03, 0x61, 0x62, 0x63, 0x00, 0x80, 0x28, 0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF])
        #expect(try STUNBindingRequest(parsing: b) == STUNBindingRequest(transactionID: transaction))
        #expect(try STUNBindingRequest(parsing: header(length: 0)).transactionID == transaction)
    }

    @Test func theXORMappedAddressOfRFC5769ForIPv4() throws {
        let response = try #require(STUNBindingResponse.encode(
            STUNBindingRequest(transactionID: transaction), source: try SocketAddress(ipAddress: "192.0.2.1", port: 32853)))
        #expect(Array(response.readableBytesView) == Array(header(type: 0x0101, length: 12).readableBytesView)
            + [0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xA1, 0x47, 0xE1, 0x12, 0xA6, 0x43])
    }

    @Test func theXORMappedAddressOfRFC5769ForIPv6() throws {
        let response = try #require(STUNBindingResponse.encode(
            STUNBindingRequest(transactionID: transaction),
            source: try SocketAddress(ipAddress: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853)))
        #expect(Array(response.readableBytesView.dropFirst(20)) == [
            0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xA1, 0x47,
            0x01, 0x13, 0xA9, 0xFA, 0xA5, 0xD3, 0xF1, 0x79, 0xBC, 0x25, 0xF4, 0xB5, 0xBE, 0xD2, 0xB9, 0xD9,
        ])
    }

    @Test func whatIsNotABindingRequestIsRefused() {
        var truncated = header(length: 0)
        truncated.moveWriterIndex(to: 19)
        var wrongLength = header(length: 8)
        wrongLength.writeBytes([0x80, 0x22, 0x00, 0x00])
        var required = header(length: 8)
        required.writeBytes([0x00, 0x06, 0x00, 0x04, 0x61, 0x62, 0x63, 0x64])  // USERNAME
        var overrun = header(length: 4)
        overrun.writeBytes([0x80, 0x22, 0x00, 0x08])
        var many = header(length: UInt16(4 * (STUNBindingRequest.maximumAttributes + 1)))
        for _ in 0...STUNBindingRequest.maximumAttributes { many.writeBytes([0x80, 0x22, 0x00, 0x00]) }
        for datagram in [
            truncated, wrongLength, required, overrun, many,
            header(length: 0, cookie: 0x2112_A443),
            header(type: 0x0101, length: 0),
            header(type: 0xC001, length: 0),
            ByteBuffer(repeating: 0, count: STUNBindingRequest.maximumBytes + 1),
        ] {
            #expect(throws: TrackerError.self) { try STUNBindingRequest(parsing: datagram) }
        }
    }
}
