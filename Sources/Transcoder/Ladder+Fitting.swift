import MediaCore

extension Ladder {
    /// The largest source width or height ``fitted(to:)`` believes. The level limits of H.264
    /// (Table A-1, level 6.2) and HEVC (Table A.8, level 6.2) keep either side below 16 900
    /// pixels, so anything above 65 536 is corrupt metadata; the bound also keeps the aspect
    /// arithmetic far from overflow.
    public static let maximumSourceDimension = 65_536

    /// The ladder adapted to an actual source: no rung is upscaled, every rung has the source's
    /// aspect ratio, and no frame-rate cap is left that the source already meets.
    ///
    /// - A rung's height is its short side, and it is kept; the long side follows the source's
    ///   aspect ratio, rounded to the nearest even number and never beyond the source. A `720p`
    ///   rung is 1280x720 on a 16:9 source, 960x720 on a 4:3 one, and 720x1280 on a portrait
    ///   (9:16) phone stream, whose short side is its width.
    /// - A rung whose short side exceeds the source's is skipped: it would be an upscale. A rung
    ///   of exactly the source's size is kept (it re-encodes at the rung's bitrate).
    /// - `maxFrameRate` is removed where the source's frame rate is known and not above it. When
    ///   the source does not state its rate the cap stays; it only drops frames if they come
    ///   faster than the cap.
    /// - If no rung remains and the source is not offered, the source is offered, so the channel
    ///   never ends up with no video rendition.
    ///
    /// A source with no plausible size (not within 1...``maximumSourceDimension``) returns the
    /// ladder unchanged.
    public func fitted(to source: VideoParameters) -> Ladder {
        guard (1...Self.maximumSourceDimension).contains(source.width),
              (1...Self.maximumSourceDimension).contains(source.height)
        else { return self }
        let portrait = source.height > source.width
        let sourceShort = min(source.width, source.height)
        let sourceLong = max(source.width, source.height)
        var result = self
        result.rungs = rungs.compactMap { rung -> LadderRung? in
            let short = min(rung.width, rung.height)
            guard short <= sourceShort else { return nil }
            let long = Self.evenSide(short: short, sourceShort: sourceShort, sourceLong: sourceLong)
            var fitted = rung
            (fitted.width, fitted.height) = portrait ? (short, long) : (long, short)
            if let cap = rung.maxFrameRate, let rate = source.frameRate, rate.isPositive, !rate.isFaster(than: cap) {
                fitted.maxFrameRate = nil
            }
            return fitted
        }
        if result.rungs.isEmpty { result.includeSource = true }
        return result
    }

    /// `short * sourceLong / sourceShort` rounded to the nearest even number (halves up), at most
    /// the source's long side rounded down to even and at least the smallest rung dimension.
    static func evenSide(short: Int, sourceShort: Int, sourceLong: Int) -> Int {
        let numerator = short * sourceLong
        let even = 2 * ((numerator + sourceShort) / (2 * sourceShort))
        let ceiling = max(sourceLong - sourceLong % 2, LadderRung.dimensionRange.lowerBound)
        return min(max(even, LadderRung.dimensionRange.lowerBound), ceiling)
    }
}
