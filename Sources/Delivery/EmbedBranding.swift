/// What an embed (`/embed/{channel}?title=…&logo=…&accent=…&poster=…`) is branded with. Every
/// value comes from whoever wrote the `<iframe>` link, so each is checked strictly and refused
/// with a message (400) rather than cleaned up: a title is text (escaped into the page), a logo
/// or poster is an `https:`/`http:` URL or a path on this server, an accent is `#rgb` or
/// `#rrggbb`. Nothing of them reaches the page unescaped.
struct EmbedBranding: Sendable, Equatable {
    var title: String?
    var logo: String?
    var accent: String?
    var poster: String?

    /// Longest title: a line above the picture; a programme title fits in 200 characters.
    static let maximumTitleLength = 200
    /// Longest logo or poster URL: 2,048 characters is what browsers and CDNs reliably carry
    /// (the de facto URL limit since Internet Explorer).
    static let maximumURLLength = 2048

    enum Failure: Error, Equatable, CustomStringConvertible {
        case titleTooLong
        case controlCharacter(String)
        case invalidURL(String)
        case invalidAccent

        var description: String {
            switch self {
            case .titleTooLong: "title is longer than \(EmbedBranding.maximumTitleLength) characters"
            case .controlCharacter(let name): "\(name) holds a control character"
            case .invalidURL(let name):
                "\(name) must be an http: or https: URL or a path starting with /, at most \(EmbedBranding.maximumURLLength) characters, without spaces or quotes"
            case .invalidAccent: "accent must be a colour written #rgb or #rrggbb"
            }
        }
    }

    /// The branding of a request's query parameters (absent or empty ones are left out).
    init(query: (String) -> String?) throws(Failure) {
        func value(_ name: String) -> String? {
            guard let text = query(name), !text.isEmpty else { return nil }
            return text
        }
        if let title = value("title") {
            guard title.count <= Self.maximumTitleLength else { throw .titleTooLong }
            guard !title.unicodeScalars.contains(where: Self.isControl) else { throw .controlCharacter("title") }
            self.title = title
        }
        logo = try value("logo").map { url throws(Failure) in try Self.checkedURL(url, name: "logo") }
        poster = try value("poster").map { url throws(Failure) in try Self.checkedURL(url, name: "poster") }
        if let accent = value("accent") {
            guard Self.isColour(accent) else { throw .invalidAccent }
            self.accent = accent
        }
    }

    init(title: String? = nil, logo: String? = nil, accent: String? = nil, poster: String? = nil) {
        self.title = title
        self.logo = logo
        self.accent = accent
        self.poster = poster
    }

    /// `#rgb` or `#rrggbb`, hex digits only: nothing else can end the CSS declaration it goes in.
    static func isColour(_ text: String) -> Bool {
        let digits = text.utf8.dropFirst()
        return text.utf8.first == UInt8(ascii: "#") && (digits.count == 3 || digits.count == 6)
            && digits.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
    }

    /// An absolute `http:`/`https:` URL or a path on this server (`/…`, not `//host`), in
    /// printable ASCII without spaces, quotes, `<`, `>` or backslashes (RFC 3986 §2 leaves those
    /// out of URLs; a browser would only have to guess what they mean).
    static func checkedURL(_ text: String, name: String) throws(Failure) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumURLLength,
              bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !"\"'<>\\`".utf8.contains($0) })
        else { throw .invalidURL(name) }
        let lower = text.lowercased()
        let isPath = text.hasPrefix("/") && !text.hasPrefix("//")
        guard isPath || lower.hasPrefix("https://") || lower.hasPrefix("http://"), lower != "https://", lower != "http://"
        else { throw .invalidURL(name) }
        return text
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
