/// Escaping for FFmpeg filter graphs, following "Notes on filtergraph escaping" in the
/// ffmpeg-filters manual. A value written into `-filter_complex` goes through two parsers:
///
/// 1. the graph parser splits filters on `,` `;` `[` `]` and strips one level of `'...'`
///    quoting and `\` escaping;
/// 2. the filter's option parser splits `key=value` pairs on `:` and strips another level.
///
/// Some filters parse a third level of their own (drawtext's `%{...}` expansion splits its
/// arguments on `:`); the caller escapes that level first, then applies ``optionValue(_:)`` and
/// ``quoted(_:)`` in that order.
enum FilterGraphEscaping {
    /// Level 2: escapes `\`, `'` and `:` so the option parser hands the filter `text` unchanged.
    static func optionValue(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if character == "\\" || character == "'" || character == ":" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// Level 1: wraps `text` in single quotes so the graph parser keeps `,` `;` `[` `]` and
    /// spaces. A quote inside is closed, escaped and reopened (`'\''`), as in a POSIX shell.
    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// Both levels: a literal option value, safe anywhere in a `-filter_complex` string.
    static func literal(_ text: String) -> String {
        quoted(optionValue(text))
    }
}
