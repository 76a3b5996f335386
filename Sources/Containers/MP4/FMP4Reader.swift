import MediaCore
import NIOCore

/// Reads fragmented MP4 (ISO/IEC 14496-12 §8.8) as Antenne archives it, one track per rendition:
/// the track from an init segment, the samples and their byte ranges from media segments.
///
/// Nothing is copied but the sample entry: samples point into the segment by offset, so a clip
/// writer can stream the data later.
public enum FMP4Reader {
    static let moov = fourCC("moov"), trak = fourCC("trak"), tkhd = fourCC("tkhd"), mdia = fourCC("mdia")
    static let mdhd = fourCC("mdhd"), hdlr = fourCC("hdlr"), minf = fourCC("minf"), stbl = fourCC("stbl")
    static let stsd = fourCC("stsd"), mvex = fourCC("mvex"), trex = fourCC("trex")
    static let vide = fourCC("vide"), soun = fourCC("soun")

    /// The track of an init segment (`ftyp` + `moov`; other top-level boxes are skipped).
    ///
    /// The movie must hold exactly one `trak`; its first sample entry is the one kept, and
    /// fragments that ask for another one are rejected when read.
    public static func track(initSegment buffer: ByteBuffer) throws(ContainersError) -> MP4Track {
        guard buffer.readableBytes <= MP4Limits.initSegmentBytes else {
            throw .limitExceeded(what: "init segment bytes", value: buffer.readableBytes, limit: MP4Limits.initSegmentBytes)
        }
        var top = BoxReader(buffer)
        guard let moovBox = try top.first(moov) else { throw .invalid(what: "init segment", reason: "no moov") }
        var movie = try top.children(of: moovBox)
        var track: MP4Track?
        var trexBoxes: [BoxHeader] = []
        while let box = try movie.nextBox() {
            if box.type == trak {
                guard track == nil else { throw .unsupported(what: "init segment", reason: "more than one trak") }
                track = try readTrack(movie.children(of: box))
            } else if box.type == mvex {
                var extends = try movie.children(of: box)
                while let child = try extends.nextBox() {
                    if child.type == trex { trexBoxes.append(child) }
                }
            }
        }
        guard var result = track else { throw .invalid(what: "moov", reason: "no trak") }
        for box in trexBoxes {
            var r = movie.body(of: box)
            _ = try r.versionAndFlags("trex")
            guard try r.u32("trex track_ID") == result.trackID else { continue }
            result.defaults = MP4TrackDefaults(
                sampleDescriptionIndex: try r.u32("trex"), sampleDuration: try r.u32("trex"),
                sampleSize: try r.u32("trex"), sampleFlags: try r.u32("trex"))
        }
        return result
    }

    /// `trak` → `tkhd` (§8.3.2), `mdia/mdhd` (§8.4.2), `mdia/hdlr` (§8.4.3), `stsd` (§8.5.2).
    static func readTrack(_ trackBoxes: BoxReader) throws(ContainersError) -> MP4Track {
        var boxes = trackBoxes
        var trackID: UInt32?, width: UInt32 = 0, height: UInt32 = 0
        var timescale: UInt32?, language: UInt16 = 0x55C4, handler: UInt32?, entry: [UInt8]?
        while let box = try boxes.nextBox() {
            if box.type == tkhd {
                var r = boxes.body(of: box)
                let (version, _) = try r.versionAndFlags("tkhd")
                try r.skip(version == 1 ? 16 : 8, "tkhd times")
                trackID = try r.u32("tkhd track_ID")
                // reserved, duration, reserved[2], layer, alternate_group, volume, reserved, matrix.
                try r.skip(4 + (version == 1 ? 8 : 4) + 8 + 8 + 36, "tkhd")
                width = try r.u32("tkhd width")
                height = try r.u32("tkhd height")
            } else if box.type == mdia {
                var media = try boxes.children(of: box)
                while let child = try media.nextBox() {
                    if child.type == mdhd {
                        var r = media.body(of: child)
                        let (version, _) = try r.versionAndFlags("mdhd")
                        try r.skip(version == 1 ? 16 : 8, "mdhd times")
                        timescale = try r.u32("mdhd timescale")
                        try r.skip(version == 1 ? 8 : 4, "mdhd duration")
                        language = try r.u16("mdhd language") & 0x7FFF
                    } else if child.type == hdlr {
                        var r = media.body(of: child)
                        try r.skip(8, "hdlr")
                        handler = try r.u32("hdlr handler_type")
                    } else if child.type == minf {
                        entry = try readSampleEntry(media.children(of: child))
                    }
                }
            }
        }
        guard let trackID else { throw .invalid(what: "trak", reason: "no tkhd") }
        guard let timescale, timescale > 0 else { throw .invalid(what: "trak", reason: "no mdhd or a zero timescale") }
        guard let entry else { throw .invalid(what: "trak", reason: "no stsd sample entry") }
        let mediaType: MediaType
        switch handler {
        case vide: mediaType = .video
        case soun: mediaType = .audio
        default: throw .unsupported(what: "hdlr", reason: "handler \(handler.map(fourCCName) ?? "missing") (only vide, soun)")
        }
        return MP4Track(trackID: trackID, mediaType: mediaType, timescale: timescale, sampleEntry: entry,
                        width16_16: width, height16_16: height, packedLanguage: language)
    }

    /// `minf/stbl/stsd`: the bytes of the first sample entry.
    static func readSampleEntry(_ mediaInfo: BoxReader) throws(ContainersError) -> [UInt8]? {
        var info = mediaInfo
        guard let stblBox = try info.first(stbl) else { return nil }
        var table = try info.children(of: stblBox)
        guard let stsdBox = try table.first(stsd) else { return nil }
        var r = table.body(of: stsdBox)
        _ = try r.versionAndFlags("stsd")
        guard try r.u32("stsd entry_count") >= 1 else { throw .invalid(what: "stsd", reason: "no sample entry") }
        var entries = try table.children(of: stsdBox, skip: 8)
        guard let entry = try entries.nextBox() else { throw .truncated(what: "stsd", needed: 8, available: 0) }
        return table.buffer.getBytes(at: entry.start, length: entry.end - entry.start)
    }
}
