import Testing
@testable import MediaCore

@Suite struct CaptionChannelsTests {
    @Test func instreamIDsRoundTrip() throws {
        var channels = CaptionChannels()
        #expect(channels.isEmpty && channels.instreamIDs.isEmpty)
        channels.insert708(63)
        channels.insert608(3)
        channels.insert608(1)
        channels.insert708(1)
        #expect(channels.instreamIDs == ["CC1", "CC3", "SERVICE1", "SERVICE63"])
        #expect(CaptionChannels(instreamIDs: channels.instreamIDs) == channels)
        #expect(CaptionChannels(instreamIDs: []) == CaptionChannels())
    }

    /// Numbers that are not channels are not added, and names that are not `INSTREAM-ID`s
    /// (RFC 8216bis §4.4.6.1) are refused.
    @Test func refusesWhatIsNotAChannel() {
        var channels = CaptionChannels()
        for n in [0, 5, -1, 99] { channels.insert608(n) }
        for n in [0, 64, -1] { channels.insert708(n) }
        #expect(channels.isEmpty)
        for id in ["CC0", "CC5", "CC01", "cc1", "SERVICE0", "SERVICE64", "SERVICE", "SERVICE+1", "CC1 "] {
            #expect(CaptionChannels(instreamIDs: ["CC1", id]) == nil, "\(id)")
        }
    }

    @Test func unionAndSuperset() {
        var a = CaptionChannels()
        a.insert608(1)
        var b = CaptionChannels()
        b.insert708(2)
        let both = a.union(b)
        #expect(both.instreamIDs == ["CC1", "SERVICE2"])
        #expect(both.isSuperset(of: a) && both.isSuperset(of: b) && !a.isSuperset(of: both))
        #expect(a.isSuperset(of: CaptionChannels()))
    }
}
