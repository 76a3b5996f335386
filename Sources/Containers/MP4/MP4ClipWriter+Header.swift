import NIOCore

extension MP4ClipWriter {
    /// `ftyp` + `moov` + `mdat` header, and the file offset of the first `mdat` payload byte.
    ///
    /// Chunk offsets depend on the size of `moov`, which depends on whether they need 64 bits:
    /// the movie is written with `stco` first, and again with `co64` only when an offset does
    /// not fit 32 bits (clips over 4 GiB).
    static func writeHeader(_ plans: [TrackPlan], movieTimescale: UInt32, movieDuration: Int64,
                            mediaBytes: Int64) -> (ByteBuffer, Int64) {
        if let header = writeHeader(plans, movieTimescale: movieTimescale, movieDuration: movieDuration,
                                    mediaBytes: mediaBytes, wideOffsets: false) {
            return header
        }
        // With 64-bit offsets every offset fits, so the second pass always returns.
        return writeHeader(plans, movieTimescale: movieTimescale, movieDuration: movieDuration,
                           mediaBytes: mediaBytes, wideOffsets: true) ?? (ByteBuffer(), 0)
    }

    static func writeHeader(_ plans: [TrackPlan], movieTimescale: UInt32, movieDuration: Int64,
                            mediaBytes: Int64, wideOffsets: Bool) -> (ByteBuffer, Int64)? {
        let tableBytes = plans.reduce(0) { $0 + 16 * $1.durations.count + 12 * $1.chunks.count + $1.clip.track.sampleEntry.count }
        var w = BoxWriter(capacity: 4096 + tableBytes)
        writeFileType(&w, plans)
        var offsetTables: [Int] = []
        w.box("moov") { w in
            writeMovieHeader(&w, timescale: movieTimescale, duration: movieDuration, nextTrackID: UInt32(plans.count + 1))
            for plan in plans {
                offsetTables.append(writeTrack(&w, plan, movieTimescale: movieTimescale, wideOffsets: wideOffsets))
            }
        }
        // mdat (§8.1.1): a 64-bit largesize when the box does not fit 32 bits (§4.2).
        let largeMdat = mediaBytes + 8 > Int64(UInt32.max)
        let base = Int64(w.buffer.writerIndex) + (largeMdat ? 16 : 8)
        let lastOffset = plans.lazy.flatMap(\.chunks).map(\.offset).max() ?? 0
        if !wideOffsets, base + lastOffset > Int64(UInt32.max) { return nil }
        for (plan, tableStart) in zip(plans, offsetTables) {
            var at = tableStart
            for chunk in plan.chunks {
                if wideOffsets {
                    w.buffer.setInteger(UInt64(base + chunk.offset), at: at)
                    at += 8
                } else {
                    w.buffer.setInteger(UInt32(base + chunk.offset), at: at)
                    at += 4
                }
            }
        }
        if largeMdat {
            w.u32(1)
            w.fourCC("mdat")
            w.u64(UInt64(mediaBytes + 16))
        } else {
            w.u32(UInt32(mediaBytes + 8))
            w.fourCC("mdat")
        }
        return (w.buffer, base)
    }

    /// `ftyp` (§4.3): `isom` with `iso2` (the edition this file needs), `avc1` when an H.264
    /// track is present (ISO/IEC 14496-15 §5.4.2) and `mp41` for older readers: the brands
    /// ffmpeg's mp4 muxer writes, which upload pipelines expect.
    static func writeFileType(_ w: inout BoxWriter, _ plans: [TrackPlan]) {
        w.box("ftyp") { w in
            w.fourCC("isom")
            w.u32(0x200)
            w.fourCC("isom")
            w.fourCC("iso2")
            if plans.contains(where: { $0.clip.track.sampleEntryType == "avc1" }) { w.fourCC("avc1") }
            w.fourCC("mp41")
        }
    }

    /// `mvhd` (§8.2.2), version 1 only when the duration needs 64 bits.
    static func writeMovieHeader(_ w: inout BoxWriter, timescale: UInt32, duration: Int64, nextTrackID: UInt32) {
        let wide = duration > Int64(UInt32.max)
        w.fullBox("mvhd", version: wide ? 1 : 0) { w in
            writeTimes(&w, wide: wide, timescale: timescale, duration: duration)
            w.u32(0x0001_0000)  // rate 1.0
            w.u16(0x0100)  // volume 1.0
            w.zeros(2 + 8)
            w.unityMatrix()
            w.zeros(6 * 4)  // pre_defined
            w.u32(nextTrackID)
        }
    }

    /// creation_time and modification_time (0: unknown), then timescale and duration, in the
    /// 32- or 64-bit layout of `mvhd`/`mdhd`.
    static func writeTimes(_ w: inout BoxWriter, wide: Bool, timescale: UInt32, duration: Int64) {
        if wide {
            w.u64(0)
            w.u64(0)
            w.u32(timescale)
            w.u64(UInt64(duration))
        } else {
            w.u32(0)
            w.u32(0)
            w.u32(timescale)
            w.u32(UInt32(duration))
        }
    }
}
