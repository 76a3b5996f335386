import Hub
import MediaCore
import Testing

@Suite struct HubTests {
    @Test func aChannelInUseIsTheSameChannel() {
        let hub = Hub()
        let channel = hub.channel(named: "a")
        #expect(hub.channel(named: "a") === channel)
        #expect(hub.existingChannel(named: "a") === channel)
        #expect(hub.allChannels.map(\.name) == ["a"])
    }

    @Test(.bug(id: "hub-forgets", "Hub never forgets a channel: a server with channels coming and going grows without bound"))
    func channelsNobodyUsesAreForgottenAndTheRegistryStaysBounded() {
        let hub = Hub()
        let kept = hub.channel(named: "kept")
        for i in 0..<10_000 {
            // Used for a moment (a publish that came and went), then released.
            let channel = hub.channel(named: "gone-\(i)")
            #expect(channel.acquirePublisher() != nil)
        }
        #expect(hub.existingChannel(named: "gone-9999") == nil)
        #expect(hub.allChannels.map(\.name) == ["kept"])
        #expect(hub.entryCount <= 2 * Hub.initialSweepAt, "\(hub.entryCount) entries for one channel in use")
        #expect(hub.channel(named: "kept") === kept)
    }
}
