/// Limits on what `FMP4Reader` accepts from archived CMAF objects.
///
/// Each bound is well above what Antenne's packager (or ffmpeg's CMAF muxer) writes, so real
/// archives pass, while a corrupt or hostile object fails with `ContainersError.limitExceeded`
/// before it makes the reader allocate or loop without bound.
enum MP4Limits {
    /// Bytes of an init segment. Ours is `ftyp` + `moov` with one track: about 700 bytes plus the
    /// decoder configuration. Parameter sets in `avcC`/`hvcC` have 16-bit lengths (ISO/IEC 14496-15
    /// §5.3.3.1, §8.3.3.1), so a few of them stay far below 1 MiB.
    static let initSegmentBytes = 1 << 20

    /// Box nesting depth. The deepest box read is the sample entry in
    /// `moov/trak/mdia/minf/stbl/stsd/<entry>` (depth 7, ISO/IEC 14496-12 §8.5.2); 8 leaves one
    /// level of slack and stops recursion on self-nesting input.
    static let boxDepth = 8

    /// Samples in one `trun` (§8.8.8). A 2 s segment holds 120 frames at 60 fps or 94 AAC frames
    /// at 48 kHz; a 10 s fragment of 240 fps video is 2,400. 16,384 is above any of them.
    static let samplesPerRun = 16_384

    /// Samples in one media segment, over all its fragments: 4 × `samplesPerRun`, so a segment
    /// of several parts never needs more than the runs it carries.
    static let samplesPerSegment = 65_536
}
