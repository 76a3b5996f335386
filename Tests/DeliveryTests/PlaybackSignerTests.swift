import Testing
@testable import Delivery

/// Playback tokens (control plane: playback authorisation with HMAC-signed URLs).
@Suite struct PlaybackSignerTests {
    static let secretA = Array(0..<32).map(UInt8.init)
    static let secretB = Array(repeating: UInt8(0xA5), count: 48)
    static let now: Int64 = 1_700_000_000

    static func signer(_ keys: [(id: String, secret: [UInt8])]) throws -> PlaybackSigner {
        try PlaybackSigner(keys: PlaybackKeys(keys))
    }

    static func bytes(_ token: String) throws -> [UInt8] { try #require(Base64URL.decode(token)) }

    /// A vector computed outside Swift (Python's hmac and base64 modules over the documented
    /// layout), so an issuer in another language can check its implementation against it.
    @Test func knownAnswer() throws {
        let signer = try Self.signer([(id: "k1", secret: Self.secretA)])
        let token = try signer.sign(channel: "live", expiresAt: Self.now, session: "viewer-42")
        #expect(token == "AQJrMQRsaXZlAAAAAGVT8QAJdmlld2VyLTQyIlu3ii5fk2135ZieIbe6MD6Ca9on_6c3i0_PZJRBxow")
        #expect(signer.verify(token, channel: "live", now: Self.now - 1) == .valid)
    }

    @Test func roundTrip() throws {
        let signer = try Self.signer([(id: "2025-01", secret: Self.secretA)])
        for session in [nil, "s", String(repeating: "é", count: 32)] {
            let token = try signer.sign(channel: "tv1", expiresAt: Self.now + 60, session: session)
            #expect(token.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
            }, "base64url, no padding: \(token)")
            #expect(signer.verify(token, channel: "tv1", now: Self.now) == .valid)
            let claims = try #require(PlaybackToken.parse(try Self.bytes(token))).token
            #expect(claims == PlaybackToken(keyID: "2025-01", channel: "tv1", expiresAt: Self.now + 60, session: session))
        }
    }

    @Test func expiry() throws {
        let signer = try Self.signer([(id: "k", secret: Self.secretA)])
        let token = try signer.sign(channel: "tv1", expiresAt: Self.now)
        #expect(signer.verify(token, channel: "tv1", now: Self.now - 1) == .valid)
        #expect(signer.verify(token, channel: "tv1", now: Self.now) == .expired, "refused from the expiry second on")
        #expect(signer.verify(token, channel: "tv1", now: Self.now + 86_400) == .expired)
    }

    /// Changing any signed byte, or the MAC, is caught; so is moving the expiry.
    /// A token is verified once and then remembered: the remembered grant is still checked for
    /// its channel and expiry on every use, and a tampered copy is verified on its own.
    @Test func rememberedTokensAreStillCheckedOnEveryUse() throws {
        let signer = try Self.signer([(id: "k", secret: Self.secretA)])
        let token = try signer.sign(channel: "tv1", expiresAt: Self.now + 10)
        for _ in 0..<3 {
            #expect(signer.verify(token, channel: "tv1", now: Self.now) == .valid)
            #expect(signer.verify(token, channel: "tv2", now: Self.now) == .invalid(.wrongChannel))
            #expect(signer.verify(token, channel: "tv1", now: Self.now + 10) == .expired)
        }
        var tampered = Array(token.utf8)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(signer.verify(String(decoding: tampered, as: UTF8.self), channel: "tv1", now: Self.now) != .valid)
        // Another signer (other keys) does not share what this one remembered.
        let other = try Self.signer([(id: "k", secret: Self.secretB)])
        #expect(other.verify(token, channel: "tv1", now: Self.now) == .invalid(.badSignature))
    }

    @Test func tampering() throws {
        let signer = try Self.signer([(id: "k", secret: Self.secretA)])
        let token = try signer.sign(channel: "tv1", expiresAt: Self.now + 60, session: "abc")
        let original = try Self.bytes(token)
        for index in original.indices {
            var bytes = original
            bytes[index] ^= 0x01
            let result = signer.verify(Base64URL.encode(bytes), channel: "tv1", now: Self.now)
            #expect(result != .valid, "flipping byte \(index) must not verify")
            if index >= original.count - 32 { #expect(result == .invalid(.badSignature), "MAC byte \(index)") }
        }
        // The expiry pushed a day later, layout intact: the MAC no longer matches.
        let claims = try #require(PlaybackToken.parse(original)).token
        var later = claims
        later.expiresAt += 86_400
        let forged = try later.payload() + original.suffix(32)
        #expect(signer.verify(Base64URL.encode(forged), channel: "tv1", now: Self.now) == .invalid(.badSignature))
        // Re-signed for another channel with the right layout but no key: still the MAC.
        var moved = claims
        moved.channel = "tv2"
        #expect(signer.verify(Base64URL.encode(try moved.payload() + original.suffix(32)), channel: "tv2", now: Self.now)
            == .invalid(.badSignature))
    }

    @Test func wrongChannel() throws {
        let signer = try Self.signer([(id: "k", secret: Self.secretA)])
        let token = try signer.sign(channel: "tv1", expiresAt: Self.now + 60)
        #expect(signer.verify(token, channel: "tv2", now: Self.now) == .invalid(.wrongChannel))
        #expect(signer.verify(token, channel: "TV1", now: Self.now) == .invalid(.wrongChannel))
    }

    @Test func wrongKey() throws {
        let a = try Self.signer([(id: "a", secret: Self.secretA)])
        let token = try a.sign(channel: "tv1", expiresAt: Self.now + 60)
        // A server that does not hold key "a".
        let b = try Self.signer([(id: "b", secret: Self.secretA)])
        #expect(b.verify(token, channel: "tv1", now: Self.now) == .invalid(.unknownKey))
        // A server whose key "a" has another secret.
        let other = try Self.signer([(id: "a", secret: Self.secretB)])
        #expect(other.verify(token, channel: "tv1", now: Self.now) == .invalid(.badSignature))
        // The key id rewritten to one the server holds: the MAC was made with another key.
        var claims = try #require(PlaybackToken.parse(try Self.bytes(token))).token
        claims.keyID = "b"
        let relabelled = Base64URL.encode(try claims.payload() + (try Self.bytes(token)).suffix(32))
        let both = try Self.signer([(id: "a", secret: Self.secretA), (id: "b", secret: Self.secretB)])
        #expect(both.verify(relabelled, channel: "tv1", now: Self.now) == .invalid(.badSignature))
    }

    /// Key rotation: the newest key signs; an older key verifies while it is configured.
    @Test func keyRotation() throws {
        let before = try Self.signer([(id: "old", secret: Self.secretA)])
        let oldToken = try before.sign(channel: "tv1", expiresAt: Self.now + 60)
        let during = try Self.signer([(id: "old", secret: Self.secretA), (id: "new", secret: Self.secretB)])
        let newToken = try during.sign(channel: "tv1", expiresAt: Self.now + 60)
        #expect(try #require(PlaybackToken.parse(try Self.bytes(newToken))).token.keyID == "new")
        #expect(during.verify(oldToken, channel: "tv1", now: Self.now) == .valid)
        #expect(during.verify(newToken, channel: "tv1", now: Self.now) == .valid)
        let after = try Self.signer([(id: "new", secret: Self.secretB)])
        #expect(after.verify(oldToken, channel: "tv1", now: Self.now) == .invalid(.unknownKey))
        #expect(after.verify(newToken, channel: "tv1", now: Self.now) == .valid)
    }

    /// The length bound is exact: the longest token there can be verifies, one character more is
    /// refused before decoding.
    @Test func lengthBound() throws {
        let longestID = String(repeating: "k", count: PlaybackKey.idLength.upperBound)
        let signer = try Self.signer([(id: longestID, secret: Self.secretA)])
        let channel = String(repeating: "c", count: PlaybackToken.channelLength.upperBound)
        let longest = try signer.sign(channel: channel, expiresAt: Self.now + 60,
                                      session: String(repeating: "s", count: PlaybackToken.maximumSessionBytes))
        #expect(longest.utf8.count == PlaybackToken.maximumLength)
        #expect(signer.verify(longest, channel: channel, now: Self.now) == .valid)
        #expect(signer.verify(longest + "A", channel: channel, now: Self.now) == .invalid(.tooLong))
        #expect(signer.verify(String(repeating: "A", count: 100_000), channel: channel, now: Self.now) == .invalid(.tooLong))
        let shortest = try Self.signer([(id: "k", secret: Self.secretA)]).sign(channel: "c", expiresAt: 0)
        #expect(shortest.utf8.count == PlaybackToken.minimumLength)
    }

    @Test func malformed() throws {
        let signer = try Self.signer([(id: "k", secret: Self.secretA)])
        let token = try signer.sign(channel: "tv1", expiresAt: Self.now + 60, session: "abc")
        var bytes = try Self.bytes(token)
        var wrongVersion = bytes
        wrongVersion[0] = 2
        // One stray byte between the session and the MAC.
        let trailing = Array(bytes.dropLast(32)) + [0] + bytes.suffix(32)
        bytes.removeLast()
        for bad in ["", "AAAA", token + "=", "+" + token.dropFirst(), " " + token, String(token.dropLast()) + "%",
                    Base64URL.encode(wrongVersion), Base64URL.encode(bytes), Base64URL.encode(trailing),
                    String(repeating: "A", count: PlaybackToken.maximumLength)] {
            #expect(signer.verify(bad, channel: "tv1", now: Self.now) == .invalid(.malformed), "\(bad)")
        }
    }

    @Test func signingRefusesBadClaims() throws {
        let signer = try Self.signer([(id: "k", secret: Self.secretA)])
        #expect(throws: DeliveryError.invalidChannelName("a/b")) { try signer.sign(channel: "a/b", expiresAt: Self.now) }
        #expect(throws: DeliveryError.invalidChannelName("")) { try signer.sign(channel: "", expiresAt: Self.now) }
        #expect(throws: DeliveryError.sessionTooLong(bytes: 65)) {
            try signer.sign(channel: "tv1", expiresAt: Self.now, session: String(repeating: "x", count: 65))
        }
        #expect(throws: DeliveryError.invalidExpiry(-1)) { try signer.sign(channel: "tv1", expiresAt: -1) }
        #expect(throws: DeliveryError.noPlaybackKeys) { try PlaybackSigner(keys: PlaybackKeys()) }
    }

    @Test func keys() throws {
        let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        #expect(try PlaybackKey(spec: "k1:\(hex)") == PlaybackKey(id: "k1", secret: Self.secretA))
        #expect(try PlaybackKey(spec: "k1:\(hex.uppercased())") == PlaybackKey(id: "k1", secret: Self.secretA))
        #expect(try PlaybackKey(spec: "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=") == PlaybackKey(id: "k1", secret: Self.secretA))
        #expect(try PlaybackKey(spec: "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8") == PlaybackKey(id: "k1", secret: Self.secretA))
        let standard = "paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWl" // 0xA5 x 48
        #expect(try PlaybackKey(spec: "b:\(standard)").secret == Self.secretB)
        #expect(throws: DeliveryError.secretLength(keyID: "k1", bytes: 16)) { try PlaybackKey(spec: "k1:\(hex.prefix(32))") }
        #expect(throws: DeliveryError.unreadableSecret(keyID: "k1")) { try PlaybackKey(spec: "k1:not base64!") }
        #expect(throws: DeliveryError.malformedKeySpec) { try PlaybackKey(spec: hex) }
        #expect(throws: DeliveryError.invalidKeyID("k 1")) { try PlaybackKey(spec: "k 1:\(hex)") }
        #expect(throws: DeliveryError.invalidKeyID("")) { try PlaybackKey(spec: ":\(hex)") }
        #expect(throws: DeliveryError.duplicateKeyID("k1")) { try PlaybackKeys(specs: ["k1:\(hex)", "k1:\(standard)"]) }
        let rotation = try PlaybackKeys(environmentValue: "old:\(hex), new:\(standard)")
        #expect(rotation.keys.map(\.id) == ["old", "new"])
        #expect(rotation.newest?.id == "new")
        // A key printed by mistake shows no secret.
        let shown = "\(try PlaybackKey(spec: "k1:\(hex)")) \(rotation)"
        #expect(!shown.contains(hex) && !shown.contains(standard), "\(shown)")
    }

    @Test func base64URL() throws {
        var generator = SystemRandomNumberGenerator()
        for count in 0...40 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
        #expect(Base64URL.decode("A") == nil, "one character cannot end a byte string")
        #expect(Base64URL.decode("AB") == nil, "unused bits must be zero: one text per byte string")
        #expect(Base64URL.decode("AA") == [0])
        #expect(Base64URL.decode("AA==") == nil)
    }
}
