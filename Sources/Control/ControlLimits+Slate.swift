extension ControlLimits {
    /// A slate's timeout: a second to a day, as `--slate-timeout`.
    public static let slateTimeoutSeconds = 1...86_400
}
