/// How a publish ended: its encoder ended it (RTMP `FCUnpublish` or `deleteStream`, an SRT peer
/// shutting its socket down), the connection went away without that (dropped, broken, silent for
/// too long, media that could not be read, the server stopping), or it never began (given up or
/// refused between its grant and its first media). Alerts tell a stream that was lost from one
/// that was stopped on purpose.
public enum PublishEnding: String, Sendable, Hashable, CaseIterable {
    case stopped
    case lost
    case abandoned
}
