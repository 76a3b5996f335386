import CSRT
import Testing
@testable import SRTIngest

@Suite struct SRTAdmissionTests {
    static func decide(_ text: String?, open: Int = 0, stopping: Bool = false, configuration: SRTIngestConfiguration = .init())
        -> SRTAdmission.Decision {
        guard let text else { return SRTAdmission.decide(streamID: nil, open: open, stopping: stopping, configuration: configuration) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { SRTAdmission.decide(streamID: $0, open: open, stopping: stopping, configuration: configuration) }
    }

    @Test func aGoodStreamIDIsAcceptedWithTheListenersLatency() {
        var configuration = SRTIngestConfiguration()
        configuration.latencyMilliseconds = 200
        #expect(Self.decide("publish:k-secret-1", configuration: configuration)
            == .accept(streamKey: "k-secret-1", options: SRTChannelOptions(latencyMilliseconds: 200)))
    }

    @Test func aChannelsPassphraseAndLatencyAreTaken() {
        var configuration = SRTIngestConfiguration()
        configuration.channelOptions = { $0 == "k-secret-1" ? SRTChannelOptions(passphrase: "0123456789ab", latencyMilliseconds: 500) : nil }
        #expect(Self.decide("#!::r=live/k-secret-1,m=publish", configuration: configuration)
            == .accept(streamKey: "k-secret-1", options: SRTChannelOptions(passphrase: "0123456789ab", latencyMilliseconds: 500)))
        #expect(Self.decide("publish:k-other-2", configuration: configuration)
            == .accept(streamKey: "k-other-2", options: SRTChannelOptions(latencyMilliseconds: 120)))
    }

    @Test func noStreamIDOrABadOneIsRefusedAsABadRequest() {
        #expect(Self.decide(nil) == .refuse(.streamID(.missing)))
        guard case .refuse(let refusal) = Self.decide("garbage") else {
            Issue.record("garbage was accepted")
            return
        }
        #expect(refusal.rejectReason == SRT_REJX_BAD_REQUEST)
        guard case .refuse(let mode) = Self.decide("#!::r=live/k,m=request") else {
            Issue.record("a request was accepted")
            return
        }
        #expect(mode.rejectReason == SRT_REJX_BAD_MODE)
    }

    @Test func theConnectionCapRefusesAFlood() {
        var configuration = SRTIngestConfiguration()
        configuration.maximumConnections = 3
        #expect(Self.decide("publish:k-secret-1", open: 2, configuration: configuration) != .refuse(.overloaded(open: 2)))
        #expect(Self.decide("publish:k-secret-1", open: 3, configuration: configuration) == .refuse(.overloaded(open: 3)))
        #expect(SRTAdmission.Refusal.overloaded(open: 3).rejectReason == SRT_REJX_OVERLOAD)
    }

    @Test func aStoppingServerRefusesEveryone() {
        #expect(Self.decide("publish:k-secret-1", stopping: true) == .refuse(.stopping))
    }
}
