import Archive
import Codecs
import Containers

/// What encoders carry beside the picture and sound: SCTE-35 cues (in RTMP `onCuePoint`, base64
/// decoded) and CEA-608/708 captions in the SEI of H.264 and HEVC samples; and the markers the archive keeps
/// beside its segments.
extension FuzzTarget {
    /// The segment whose markers' object the `archive-markers` target reads.
    static let markedSegment = 42

    static let markers: [FuzzTarget] = [
        FuzzTarget(name: "archive-markers") { bytes in
            // A segment's `{msn}.markers.json`, as the archive reads it back.
            guard let markers = try? SegmentMarkers.decode(buffer(bytes), msn: markedSegment) else { return false }
            let again = try? SegmentMarkers.decode(SegmentMarkers.encoded(markers), msn: markedSegment)
            check(again == markers, "archived markers changed through encode and decode")
            return true
        },
        FuzzTarget(name: "scte35") { bytes in
            guard let section = try? SpliceInfoSection(parsing: bytes) else { return false }
            // What parsed writes back to a section that parses to the same value.
            let again = try? SpliceInfoSection(parsing: section.encoded())
            check(again == section, "a splice_info_section changed through encode and parse")
            return true
        },
        FuzzTarget(name: "h264-captions") { bytes in
            // A sample of length-prefixed NAL units (4-byte lengths), as the packager scans it.
            (try? VideoCaptions.channels(inSample: bytes, codec: .h264, lengthSize: 4).isEmpty) == false
        },
        FuzzTarget(name: "hevc-captions") { bytes in
            (try? VideoCaptions.channels(inSample: bytes, codec: .hevc, lengthSize: 4).isEmpty) == false
        },
    ]
}
