import Archive
import Containers
import Logging
import MediaCore
import NIOCore
import Packager

/// Encrypted channels (``ContentEncryption``): their keys at `hls/{channel}/keys/{period}`, and
/// their segments and parts encrypted when served, once per object (``EncryptedObjects``), so
/// that the live window, the archive and the edges pulling from here all get the same bytes.
extension PlaybackRoutes {
    /// The key period a `keys/` file name asks for: digits only, as media sequence numbers.
    static func keyPeriod(_ name: String) -> Int? {
        guard !name.isEmpty, name.utf8.count <= MediaFileName.maximumDigits, name.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        return Int(name)
    }

    /// `hls/{channel}/keys/{period}`: the 16 key bytes, behind the channel's playback access (a
    /// token channel's key URIs carry the viewer's token), never kept by a shared cache. A live
    /// channel gives no key beyond the period after its newest segment's, so a token cannot
    /// collect the keys of media that does not exist yet.
    func contentKey(channel: String, period: Int, request: PlaybackRequest) -> PlaybackAnswer {
        let serve = { @Sendable (_: PlaybackGrant) -> PlaybackAnswer in
            guard let encryption = protection.encryption(channel) else { return .now(.notFound("this channel is not encrypted")) }
            if let newest = packagers.channel(named: channel)?.listedRenditions.lazy.compactMap({ $0.snapshot()?.segments.last?.msn }).max(),
               period > encryption.period(ofMSN: newest) + 1 {
                return .now(.notFound("no such key yet"))
            }
            guard let keys = protection.keys else { return .now(Self.keyUnavailable) }
            if let key = keys.availableKey(channel: channel, period: period, encryption: encryption) { return .now(Self.key(key)) }
            return .later {
                await keys.key(channel: channel, period: period, encryption: encryption).map(Self.key) ?? Self.keyUnavailable
            }
        }
        if packagers.channel(named: channel) != nil || archive == nil { return authorized(channel, request) { serve($0) } }
        return authorizedArchive(channel, request) { await serve($0).response() }
    }

    static func key(_ bytes: [UInt8]) -> PlaybackResponse {
        PlaybackResponse(
            status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: CachePolicy.contentKey],
            body: .buffers([ByteBuffer(bytes: bytes)]))
    }

    static var keyUnavailable: PlaybackResponse {
        .text(.serviceUnavailable, "the content key is not available yet")
    }

    /// How a segment or part of `channel` is served: as it is, or encrypted with the key of its
    /// period (cached per object); nil when the channel is clear or its media arrives encrypted.
    func sealing(channel: String) -> Sealing? {
        guard !protection.arrivesSealed, let encryption = protection.encryption(channel) else { return nil }
        return Sealing(channel: channel, encryption: encryption, keys: protection.keys, objects: protection.objects, logger: logger)
    }

    /// An init segment as served: with its sample entry protected on a `cbcs` channel whose
    /// media is encrypted here; as it is otherwise (init segments are clear under AES-128).
    func sealedInit(_ data: ByteBuffer, channel: String) -> PlaybackResponse {
        guard let sealing = sealing(channel: channel), sealing.encryption.scheme == .cbcs else {
            return .fragment([data], contentType: PlaybackResponse.mp4)
        }
        do {
            let track = try CENCTrack(FMP4Reader.track(initSegment: data))
            let sealed = try CommonEncryption.protect(
                initSegment: data, track: track, default: sealing.encryption.protection(channel: channel, period: 0))
            return .fragment([sealed], contentType: PlaybackResponse.mp4)
        } catch {
            logger.error("an init segment cannot be protected with cbcs", metadata: ["channel": "\(channel)", "error": "\(error)"])
            return Self.cannotProtect
        }
    }

    static var cannotProtect: PlaybackResponse {
        .text(.internalServerError, "this rendition cannot be encrypted with cbcs")
    }

    /// Serves one channel's media encrypted.
    struct Sealing: Sendable {
        let channel: String
        let encryption: ContentEncryption
        /// nil: the server has no keys (every object is a 503).
        let keys: ContentKeys?
        let objects: EncryptedObjects
        let logger: Logger

        /// The answer for `buffers`, the clear bytes of one object: `object` names it within
        /// `owner` (a live rendition; nil for the archive, whose names are unique). `layout`
        /// says which of its bytes `cbcs` leaves clear (nil: under `cbcs`, the object cannot be
        /// served).
        func answer(
            _ buffers: [ByteBuffer], msn: Int, object: String, owner: (any AnyObject & Sendable)?, layout: CENCTrack?
        ) -> PlaybackAnswer {
            guard let keys else { return .now(PlaybackRoutes.keyUnavailable) }
            let encryption = self.encryption
            let id = EncryptedObjects.Key(owner: owner.map(ObjectIdentifier.init), object: "\(channel)/\(object)", encryption: encryption)
            if let sealed = objects.bytes(id, owner: owner) { return .now(.fragment([sealed])) }
            let period = encryption.period(ofMSN: msn)
            if encryption.scheme == .cbcs, layout == nil { return .now(PlaybackRoutes.cannotProtect) }
            let (channel, objects, logger) = (channel, objects, logger)
            return .later {
                let sealed = await objects.sealed(id, owner: owner) {
                    guard let key = await keys.key(channel: channel, period: period, encryption: encryption) else { return nil }
                    do {
                        switch encryption.scheme {
                        case .aes128:
                            return try SegmentCipher.encrypt(buffers, key: key, iv: encryption.iv(period: period))
                        case .cbcs:
                            guard let layout else { return nil }
                            return try encryption.protect(buffers, channel: channel, period: period, key: key, layout: layout)
                        }
                    } catch {
                        // AES-128 fails only on a key or IV of the wrong size, which `ContentKeys`
                        // never gives; `cbcs` on fragments it cannot read.
                        logger.error("a media object cannot be encrypted", metadata: ["object": "\(channel)/\(object)", "error": "\(error)"])
                        return nil
                    }
                }
                return sealed.map { .fragment([$0]) } ?? PlaybackRoutes.keyUnavailable
            }
        }

        /// What `cbcs` needs to know of a live rendition's samples (``answer(_:msn:object:owner:layout:)``);
        /// nil under AES-128, which needs nothing, and, with a log line, for a codec `cbcs` cannot
        /// protect here (AV1).
        func layout(of track: TrackInfo?) -> CENCTrack? {
            guard encryption.scheme == .cbcs, let track else { return nil }
            do {
                return try CENCTrack(track)
            } catch {
                logger.error("a rendition cannot be protected with cbcs", metadata: ["channel": "\(channel)", "error": "\(error)"])
                return nil
            }
        }
    }
}

extension PlaybackRoutes {
    /// `channel`'s encryption for a playlist of `snapshot`; the keys of the periods it reaches
    /// (its newest segment's, and the next) start on their way from a key server, so that they
    /// are there when players ask.
    func encryption(of channel: String, announcing snapshot: RenditionSnapshot) -> ContentEncryption? {
        guard let encryption = protection.encryption(channel) else { return nil }
        if let keys = protection.keys, let newest = snapshot.segments.last?.msn {
            let period = encryption.period(ofMSN: newest)
            keys.prefetch(channel: channel, period: period, encryption: encryption)
            keys.prefetch(channel: channel, period: period + 1, encryption: encryption)
        }
        return encryption
    }
}

extension PlaybackRoutes {
    /// An archived file as served: an encrypted channel's archived segments encrypted like its
    /// live ones (their media sequence number leads their name, ``ArchiveURI``); init segments
    /// protected under `cbcs` (``sealedInit(_:channel:)``), clear under AES-128; refusals as
    /// they are. `cbcs` reads the layout of an archived segment's samples off the init segment
    /// it was archived with, so the archive plays encrypted while the channel is offline too.
    func sealedArchive(_ response: PlaybackResponse, channel: String, rendition: String, file: String) async -> PlaybackResponse {
        guard response.status == .ok, let sealing = sealing(channel: channel), case .buffers(let buffers) = response.body,
              let name = file.split(separator: "/").last else { return response }
        switch ArchiveURI.parse(String(name)) {
        case .initSegment? where buffers.count == 1:
            return sealedInit(buffers[0], channel: channel)
        case .segment(let day, let hour, let stored)?:
            guard let msn = Int(stored.prefix { $0 != "_" }) else { return response }
            let layout = sealing.encryption.scheme == .cbcs
                ? await archivedLayout(channel: channel, rendition: rendition, day: day, hour: hour, stored: stored) : nil
            return await sealing.answer(buffers, msn: msn, object: "archive/\(file)", owner: nil, layout: layout).response()
        default:
            return response
        }
    }
}

extension PlaybackRoutes {
    /// The `cbcs` layout of an archived segment's samples, from the init segment its record
    /// names; nil, with a log line, when that cannot be read.
    func archivedLayout(channel: String, rendition: String, day: String, hour: String, stored: String) async -> CENCTrack? {
        do {
            guard let archive, let record = SegmentRecord(ArchiveObject(key: try ArchiveKey(components: [channel, rendition, day, hour, stored]), size: 0)),
                  let initSegment = try await archive.initSegment(channel: channel, rendition: rendition, id: record.initID)
            else { return nil }
            return try CENCTrack(FMP4Reader.track(initSegment: initSegment))
        } catch {
            logger.error("an archived segment's layout cannot be read for cbcs", metadata: ["channel": "\(channel)", "error": "\(error)"])
            return nil
        }
    }
}
