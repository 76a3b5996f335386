extension MP4ClipWriter {
    /// `trak` (§8.3.1) with `tkhd`, `edts` and `mdia`. Returns the buffer index of the first
    /// chunk offset entry, patched once the `moov` size is known.
    static func writeTrack(_ w: inout BoxWriter, _ plan: TrackPlan, movieTimescale: UInt32, wideOffsets: Bool) -> Int {
        let track = plan.clip.track
        let isVideo = track.mediaType == .video
        var offsetTable = 0
        w.box("trak") { w in
            let wide = plan.trackDuration > Int64(UInt32.max)
            // §8.3.2, flags track_enabled | track_in_movie.
            w.fullBox("tkhd", version: wide ? 1 : 0, flags: 0x000003) { w in
                if wide {
                    w.u64(0)
                    w.u64(0)
                } else {
                    w.u32(0)
                    w.u32(0)
                }
                w.u32(plan.trackID)
                w.u32(0)  // reserved
                if wide { w.u64(UInt64(plan.trackDuration)) } else { w.u32(UInt32(plan.trackDuration)) }
                w.zeros(8)
                w.u16(0)  // layer
                w.u16(0)  // alternate_group
                w.u16(isVideo ? 0 : 0x0100)  // volume
                w.u16(0)
                w.unityMatrix()
                w.u32(track.width16_16)
                w.u32(track.height16_16)
            }
            writeEditList(&w, plan)
            w.box("mdia") { w in
                let wideMedia = plan.mediaDuration > Int64(UInt32.max)
                w.fullBox("mdhd", version: wideMedia ? 1 : 0) { w in  // §8.4.2
                    writeTimes(&w, wide: wideMedia, timescale: track.timescale, duration: plan.mediaDuration)
                    w.u16(track.packedLanguage)
                    w.u16(0)
                }
                w.handler(video: isVideo)
                w.box("minf") { w in
                    w.mediaInformationHeaders(video: isVideo)
                    offsetTable = writeSampleTable(&w, plan, wideOffsets: wideOffsets)
                }
            }
        }
        return offsetTable
    }

    /// `edts/elst` (§8.6.5, §8.6.6): an empty edit for a track that starts after movie time 0,
    /// then the presented media from its earliest presentation time, at rate 1.
    static func writeEditList(_ w: inout BoxWriter, _ plan: TrackPlan) {
        let wide = plan.trackDuration > Int64(UInt32.max) || plan.presentationStart > Int64(Int32.max)
        w.box("edts") { w in
            w.fullBox("elst", version: wide ? 1 : 0) { w in
                var edits: [(duration: Int64, mediaTime: Int64)] = []
                if plan.delay > 0 { edits.append((plan.delay, -1)) }
                edits.append((plan.span, plan.presentationStart))
                w.u32(UInt32(edits.count))
                for edit in edits {
                    if wide {
                        w.u64(UInt64(edit.duration))
                        w.u64(UInt64(bitPattern: edit.mediaTime))
                    } else {
                        w.u32(UInt32(edit.duration))
                        w.i32(Int32(edit.mediaTime))
                    }
                    w.u32(0x0001_0000)  // media_rate_integer 1, media_rate_fraction 0
                }
            }
        }
    }
}
