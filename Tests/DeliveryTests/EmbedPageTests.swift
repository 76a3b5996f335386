import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Packager
import Testing
@testable import Delivery

/// `/embed/{channel}` and its branding: every query value is checked or escaped, so that an
/// `<iframe>` link cannot put markup, script or CSS into the page.
@Suite struct EmbedPageTests {
    static func branding(_ query: [String: String]) throws(EmbedBranding.Failure) -> EmbedBranding {
        try EmbedBranding { query[$0] }
    }

    @Test func acceptsWhatAnEmbedNeeds() throws {
        let b = try Self.branding([
            "title": "Conférence — salle 2 & \"keynote\"", "logo": "https://cdn.example.com/logo.png?v=2",
            "accent": "#1A73e8", "poster": "/hls/talks/thumbnail.jpg",
        ])
        #expect(b == EmbedBranding(
            title: "Conférence — salle 2 & \"keynote\"", logo: "https://cdn.example.com/logo.png?v=2",
            accent: "#1A73e8", poster: "/hls/talks/thumbnail.jpg"))
        #expect(try Self.branding(["accent": "#fff", "title": ""]) == EmbedBranding(accent: "#fff"))
        #expect(try Self.branding([:]) == EmbedBranding())
    }

    @Test(arguments: ["red", "#12", "#1234", "#12345g", "#fff;}body{x:y", "#ffffff ", " #fff", "#ｆｆｆ", "rgb(1,2,3)"])
    func anAccentIsAHexColourOnly(_ accent: String) {
        #expect(throws: EmbedBranding.Failure.invalidAccent) { try Self.branding(["accent": accent]) }
    }

    @Test(arguments: [
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:image/svg+xml,<svg onload=alert(1)>", "//evil.example/x.png",
        "https://x.example/a\" onerror=\"alert(1)", "https://x.example/a'b", "https://x.example/<b>", "https://x.example/a b",
        "logo.png", "https://", "https://x.example/\u{7F}", "https://x.example/é",
    ])
    func aLogoIsAnHTTPURLOrAPath(_ url: String) {
        #expect(throws: EmbedBranding.Failure.invalidURL("logo")) { try Self.branding(["logo": url]) }
        #expect(throws: EmbedBranding.Failure.invalidURL("poster")) { try Self.branding(["poster": url]) }
    }

    @Test func longOrControlCharacterTitlesAreRefused() {
        #expect(throws: EmbedBranding.Failure.titleTooLong) {
            try Self.branding(["title": String(repeating: "a", count: EmbedBranding.maximumTitleLength + 1)])
        }
        #expect(throws: EmbedBranding.Failure.controlCharacter("title")) { try Self.branding(["title": "a\nb"]) }
        #expect(throws: EmbedBranding.Failure.invalidURL("logo")) {
            try Self.branding(["logo": "https://x.example/" + String(repeating: "a", count: EmbedBranding.maximumURLLength)])
        }
    }

    @Test func theTitleAndURLsAreEscapedIntoThePage() {
        let html = EmbedPage.html(channel: "talks", branding: EmbedBranding(
            title: "<script>alert('x')</script> & co", logo: "/logo.png?a=1&b=2", accent: "#abc", poster: "https://p.example/p.jpg"))
        #expect(html.contains("<h1 id=\"title\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</h1>"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("<img class=\"logo\" src=\"/logo.png?a=1&amp;b=2\" alt=\"\">"))
        #expect(html.contains("poster=\"https://p.example/p.jpg\""))
        #expect(html.contains("--antenne-accent: #abc;"))
        #expect(html.contains("embedPage(\"talks\")"))
        // Without branding: no header, the channel names the page.
        let plain = EmbedPage.html(channel: "talks", branding: EmbedBranding())
        #expect(!plain.contains("<header") && !plain.contains("poster=") && !plain.contains("--antenne-accent"))
        #expect(plain.contains("<title>talks</title>"))
    }

    @Test func theRouteRefusesBadBrandingWithItsReason() async throws {
        let registry = PackagerRegistry()
        let open = try await LiveChannelFixture(name: "open", registry: registry)
        defer { open.stop() }
        let router = Router(options: .autoGenerateHeadEndpoints)
        PageRoutes(packagers: registry, isReady: { true }).add(to: router)
        try await Application(router: router).test(.router) { client in
            let page = try await client.execute(uri: "/embed/open?title=Hall%20%3Cb%3E&accent=%23d93025", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(html.contains("<h1 id=\"title\">Hall &lt;b&gt;</h1>"))
            #expect(html.contains("--antenne-accent: #d93025;"))
            let bad = try await client.execute(uri: "/embed/open?accent=red", method: .get)
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("accent must be a colour written #rgb or #rrggbb"))
            let script = try await client.execute(uri: "/embed/open?logo=javascript:alert(1)", method: .get)
            #expect(script.status == .badRequest)
            #expect(try await client.execute(uri: "/embed/nothing", method: .get).status == .notFound)
        }
    }
}
