import Manifests
import Testing
@testable import Delivery

/// What a grant adds to the URIs of the playlists it serves.
@Suite struct PlaybackGrantTests {
    @Test func openGrantAddsNothing() {
        #expect(PlaybackGrant.open.query() == nil)
        #expect(PlaybackGrant.open.query(after: URIQuery("dvr=60")) == URIQuery("dvr=60"))
    }

    /// The token comes after a DVR reach or a range, as the player's next request carries them.
    @Test func tokenGrantAppendsTheToken() {
        let grant = PlaybackGrant.token("T0k-_n")
        #expect(grant.query() == URIQuery("token=T0k-_n"))
        #expect(grant.query(after: URIQuery("dvr=60"))?.applied(to: "source/index.m3u8") == "source/index.m3u8?dvr=60&token=T0k-_n")
    }
}
