extension ControlLimits {
    /// A marker lasts 0.1 s (one frame at 10 fps, the shortest cue a splicer acts on) to a day
    /// (a programme; SCTE-35's 33-bit break_duration holds 26.5 hours).
    public static let markerDurationSeconds: ClosedRange<Double> = 0.1...86_400

    /// A marker's id: the `ID` of its EXT-X-DATERANGE. A UUID is 36 characters; 64 leaves room
    /// for an operator's own scheme, and fits a cue name encoders send.
    public static let markerIDLength = 1...64

    /// The largest marker request body: its five fields take under 300 bytes; 1 KiB leaves
    /// room for whitespace, and refuses anything else before it is buffered.
    public static let markerBodyBytes = 1_024
}
