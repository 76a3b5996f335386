import MediaCore

extension FMP4Writer {
    /// Brands: `iso6` (ISO/IEC 14496-12 edition 6 features such as `tfdt` v1 and signed `trun`
    /// offsets), `cmfc` (CMAF, ISO/IEC 23000-19 §7.2), `mp41` for older readers.
    static let brands = ["iso6", "cmfc", "mp41"]

    /// Movie timescale for the (empty) movie header; the track's own timescale lives in `mdhd`.
    static let movieTimescale: UInt32 = 1000

    /// `ftyp` (§4.3).
    static func writeFileType(_ w: inout BoxWriter, track: TrackInfo) {
        w.box("ftyp") { w in
            w.fourCC("iso6")
            w.u32(0)
            for brand in brands { w.fourCC(brand) }
            if track.codec == .av1 { w.fourCC("av01") }
        }
    }

    /// `moov` with `mvhd`, one `trak` and `mvex`/`trex` (§8.2, §8.8.1).
    static func writeMovie(_ w: inout BoxWriter, track: TrackInfo, trackID: UInt32) {
        w.box("moov") { w in
            w.fullBox("mvhd") { w in  // §8.2.2
                w.u32(0)  // creation_time
                w.u32(0)  // modification_time
                w.u32(movieTimescale)
                w.u32(0)  // duration: unknown for fragmented movies
                w.u32(0x0001_0000)  // rate 1.0
                w.u16(0x0100)  // volume 1.0
                w.zeros(2 + 8)
                w.unityMatrix()
                w.zeros(6 * 4)  // pre_defined
                w.u32(trackID &+ 1)  // next_track_ID
            }
            writeTrack(&w, track: track, trackID: trackID)
            w.box("mvex") { w in
                w.fullBox("trex") { w in  // §8.8.3: defaults are overridden in every trun
                    w.u32(trackID)
                    w.u32(1)  // default_sample_description_index
                    w.u32(0)
                    w.u32(0)
                    w.u32(0)
                }
            }
        }
    }

    static func writeTrack(_ w: inout BoxWriter, track: TrackInfo, trackID: UInt32) {
        let isVideo = track.mediaType == .video
        w.box("trak") { w in
            // §8.3.2, flags track_enabled | track_in_movie | track_in_preview.
            w.fullBox("tkhd", flags: 0x000007) { w in
                w.u32(0)
                w.u32(0)
                w.u32(trackID)
                w.u32(0)  // reserved
                w.u32(0)  // duration
                w.zeros(8)
                w.u16(0)  // layer
                w.u16(0)  // alternate_group
                w.u16(isVideo ? 0 : 0x0100)  // volume
                w.u16(0)
                w.unityMatrix()
                let width = UInt32(clamping: track.video?.width ?? 0)
                let height = UInt32(clamping: track.video?.height ?? 0)
                w.u32(min(width, 0xFFFF) << 16)  // 16.16 fixed point
                w.u32(min(height, 0xFFFF) << 16)
            }
            w.box("mdia") { w in
                w.fullBox("mdhd") { w in  // §8.4.2
                    w.u32(0)
                    w.u32(0)
                    w.u32(track.timescale)
                    w.u32(0)
                    w.u16(Self.packedLanguage(track.language))
                    w.u16(0)
                }
                w.handler(video: isVideo)
                w.box("minf") { w in
                    w.mediaInformationHeaders(video: isVideo)
                    w.box("stbl") { w in
                        w.fullBox("stsd") { w in  // §8.5.2
                            w.u32(1)
                            writeSampleEntry(&w, track: track)
                        }
                        w.fullBox("stts") { w in w.u32(0) }
                        w.fullBox("stsc") { w in w.u32(0) }
                        w.fullBox("stsz") { w in
                            w.u32(0)
                            w.u32(0)
                        }
                        w.fullBox("stco") { w in w.u32(0) }
                    }
                }
            }
        }
    }

    /// `mdhd.language` (ISO/IEC 14496-12 §8.4.2.3): three 5-bit letters offset by 0x60 (ISO
    /// 639-2/T), the track's language when it is such a code, else "und".
    static func packedLanguage(_ language: LanguageTag?) -> UInt16 {
        guard let code = language?.value.utf8, code.count == 3 else { return 0x55C4 }
        return code.reduce(0) { $0 << 5 | UInt16($1 - 0x60) }
    }
}
