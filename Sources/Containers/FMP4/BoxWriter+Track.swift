/// The boxes of a track that are the same in an init segment and in a whole MP4 file.
extension BoxWriter {
    /// `hdlr` (ISO/IEC 14496-12 §8.4.3): a video or a sound track.
    mutating func handler(video: Bool) {
        fullBox("hdlr") { w in
            w.u32(0)
            w.fourCC(video ? "vide" : "soun")
            w.zeros(12)
            w.bytes(Array((video ? "VideoHandler" : "SoundHandler").utf8) + [0])
        }
    }

    /// The media header (`vmhd` §12.1.2 or `smhd` §12.2.2) and `dinf` (§8.7.1) that open `minf`:
    /// the media is in the same file.
    mutating func mediaInformationHeaders(video: Bool) {
        if video {
            fullBox("vmhd", flags: 1) { w in w.zeros(8) }
        } else {
            fullBox("smhd") { w in w.zeros(4) }
        }
        box("dinf") { w in
            w.fullBox("dref") { w in
                w.u32(1)
                w.fullBox("url ", flags: 1) { _ in }
            }
        }
    }
}
