import Hub
import MediaCore
import NIOCore
import Testing

/// The input switch without sockets: two publishers' events with arrival times in, the channel's
/// events out.
@Suite struct InputSwitchTests {
    static let video = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1f], codecString: "avc1.64001f",
                                 video: VideoParameters(width: 320, height: 240, frameRate: Rational(30, 1)))
    static let otherVideo = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x42, 0, 0x1e], codecString: "avc1.42001e",
                                      video: VideoParameters(width: 640, height: 360, frameRate: Rational(30, 1)))
    static let audio = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2",
                                 audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1024))

    /// One encoder: 30 fps video, a key frame every `gop` frames, its own clock starting at `epoch`.
    struct Encoder {
        var tracks: [TrackInfo]
        var gop: Int
        var epoch: Int64
        var frame = 0

        init(tracks: [TrackInfo] = [InputSwitchTests.video, InputSwitchTests.audio], gop: Int = 15, epoch: Int64 = 0) {
            self.tracks = tracks
            self.gop = gop
            self.epoch = epoch
        }

        /// The next video frame (and, every other frame, an audio frame stamped just before it).
        mutating func next() -> [HubEvent] {
            defer { frame += 1 }
            let dts = epoch + Int64(frame) * 3_000
            var events: [HubEvent] = []
            if frame % 2 == 1 {
                let audioDTS = MediaTime(ticks: dts - 1_500, timescale: 90_000).rescaled(to: 48_000).ticks
                events.append(.sample(track: 1, Sample(dts: audioDTS, isSync: true, data: ByteBuffer(bytes: [1]))))
            }
            events.append(.sample(track: 0, Sample(dts: dts, isSync: frame % gop == 0, data: ByteBuffer(bytes: [0]))))
            return events
        }
    }

    /// Drives a switch with two encoders and a clock; records what readers get.
    struct Bench {
        var inputs: InputSwitch
        let start = ContinuousClock.now
        var clock: Duration = .zero
        var out: [HubEvent] = []
        var encoders: [InputRole: Encoder] = [:]

        init(_ configuration: InputSwitch.Configuration = InputSwitch.Configuration()) {
            inputs = InputSwitch(configuration: configuration)
        }

        var now: ContinuousClock.Instant { start + clock }

        mutating func connect(_ role: InputRole, _ encoder: Encoder = Encoder()) {
            inputs.connected(role)
            encoders[role] = encoder
            send(.tracks(encoder.tracks), from: role)
        }

        mutating func send(_ event: HubEvent, from role: InputRole) {
            out += inputs.handle(event, from: role, at: now)
        }

        /// `seconds` of 30 fps from the `sending` inputs, interleaved frame by frame.
        mutating func run(_ seconds: Double, sending roles: [InputRole]) {
            for _ in 0..<Int(seconds * 30) {
                clock += .milliseconds(33)
                for role in roles {
                    for event in encoders[role]!.next() { send(event, from: role) }
                }
            }
        }

        /// Clears the record and returns it.
        mutating func take() -> [HubEvent] {
            defer { out = [] }
            return out
        }
    }

    static func videoDTS(_ events: [HubEvent]) -> [Int64] {
        events.compactMap { if case .sample(0, let s) = $0 { s.dts } else { nil } }
    }

    static func trackSets(_ events: [HubEvent]) -> [[TrackInfo]] {
        events.compactMap { if case .tracks(let t) = $0 { t } else { nil } }
    }

    @Test func aLonePublisherPassesThroughUntouched() {
        var bench = Bench()
        bench.connect(.primary, Encoder(epoch: 900_000))
        bench.run(1, sending: [.primary])
        bench.send(.end, from: .primary)
        let out = bench.take()
        #expect(Self.trackSets(out).count == 1)
        #expect(Self.videoDTS(out) == (0..<30).map { 900_000 + Int64($0) * 3_000 })
        guard case .end = out.last else { Issue.record("the session does not end"); return }
        #expect(bench.inputs.switches == 0)
    }

    @Test func theBackupWaitsWhileThePrimaryFeeds() {
        var bench = Bench()
        bench.connect(.primary)
        bench.connect(.backup, Encoder(tracks: [Self.otherVideo]))
        bench.run(3, sending: [.primary, .backup])
        let out = bench.take()
        #expect(Self.trackSets(out) == [[Self.video, Self.audio]])
        #expect(Self.videoDTS(out).count == 90)
        #expect(bench.inputs.active == .primary)
    }

    @Test func aPrimaryThatDisconnectsGivesWayAtTheBackupsNextKeyFrameWithADiscontinuityFromZero() {
        var bench = Bench()
        bench.connect(.primary)
        bench.connect(.backup, Encoder(tracks: [Self.otherVideo, Self.audio], gop: 15, epoch: 5_000_000))
        bench.run(2.1, sending: [.primary, .backup])  // 63 frames: the backup's next key frame is frame 75
        _ = bench.take()
        bench.send(.end, from: .primary)
        #expect(bench.take().isEmpty, "the session goes on: no .end while the backup is there")
        bench.run(0.5, sending: [.backup])
        let out = bench.take()
        #expect(Self.trackSets(out) == [[Self.otherVideo, Self.audio]])
        guard case .tracks = out.first else { Issue.record("no discontinuity first: \(out)"); return }
        // Frames 63..74 wait; frame 75 is the key frame, moved to 0.
        #expect(Self.videoDTS(out) == (0..<3).map { Int64($0) * 3_000 })
        guard case .sample(0, let first) = out[1] else { Issue.record("the key frame is not first"); return }
        #expect(first.isSync)
        // No audio from before the key frame.
        for case .sample(1, let sample) in out { #expect(sample.dts >= 0) }
        #expect(bench.inputs.active == .backup)
        #expect(bench.inputs.switches == 1)
    }

    @Test func aStalledPrimaryIsLostAfterTheTimeoutAndNotBefore() {
        var bench = Bench(InputSwitch.Configuration(lossTimeout: .seconds(1)))
        bench.connect(.primary)
        bench.connect(.backup, Encoder(gop: 3))
        bench.run(1, sending: [.primary, .backup])
        _ = bench.take()
        bench.run(0.9, sending: [.backup])
        #expect(Self.videoDTS(bench.take()).isEmpty, "switched before the loss timeout")
        #expect(bench.inputs.active == .primary)
        bench.run(0.3, sending: [.backup])
        let out = bench.take()
        #expect(Self.trackSets(out).count == 1)
        #expect(!Self.videoDTS(out).isEmpty)
        #expect(bench.inputs.active == .backup)
    }

    @Test func thePrimaryReturnsOnceSteadyAtItsOwnKeyFrame() {
        var bench = Bench(InputSwitch.Configuration(lossTimeout: .seconds(1), returnAfter: .milliseconds(1_900)))
        bench.connect(.primary)
        bench.connect(.backup, Encoder(gop: 3))
        bench.run(1, sending: [.primary, .backup])
        bench.send(.end, from: .primary)
        bench.run(1, sending: [.backup])
        #expect(bench.inputs.active == .backup)
        _ = bench.take()

        bench.connect(.primary, Encoder(gop: 30, epoch: 77_000))
        bench.run(1.9, sending: [.primary, .backup])
        #expect(bench.inputs.active == .backup, "back before it was steady")
        #expect(Self.trackSets(bench.take()).isEmpty)
        // Steady from frame 58 (1.9 s after its first); its next key frame is frame 60: the
        // switch happens there.
        bench.run(0.5, sending: [.primary, .backup])
        let out = bench.take()
        #expect(bench.inputs.active == .primary)
        #expect(bench.inputs.switches == 2)
        #expect(Self.trackSets(out) == [[Self.video, Self.audio]])
        let index = out.firstIndex { if case .tracks = $0 { true } else { false } }!
        // The backup fed the channel up to the switch, the primary from its key frame, from 0.
        #expect(Self.videoDTS(Array(out[..<index])).count == 3)
        #expect(Self.videoDTS(Array(out[index...])).first == 0)
    }

    @Test func aPrimaryThatFlapsDoesNotComeBack() {
        var bench = Bench(InputSwitch.Configuration(lossTimeout: .seconds(1), returnAfter: .seconds(2)))
        bench.connect(.primary)
        bench.connect(.backup, Encoder(gop: 3))
        bench.run(0.5, sending: [.primary, .backup])
        bench.run(1.5, sending: [.backup])
        #expect(bench.inputs.active == .backup)
        for _ in 0..<4 {
            bench.run(1.5, sending: [.primary, .backup])
            bench.run(1.2, sending: [.backup])
        }
        #expect(bench.inputs.active == .backup)
        #expect(bench.inputs.switches == 1)
    }

    @Test func aLostBackupGivesTheChannelBackToAPrimaryThatIsAlive() {
        var bench = Bench(InputSwitch.Configuration(lossTimeout: .seconds(1), returnAfter: .seconds(60)))
        bench.connect(.primary)
        bench.connect(.backup, Encoder(gop: 3))
        bench.run(0.5, sending: [.primary, .backup])
        bench.send(.end, from: .primary)
        bench.run(0.5, sending: [.backup])
        bench.connect(.primary, Encoder(gop: 3))
        bench.run(0.5, sending: [.primary, .backup])
        #expect(bench.inputs.active == .backup, "not steady for a minute yet")
        bench.send(.end, from: .backup)
        bench.run(0.2, sending: [.primary])
        #expect(bench.inputs.active == .primary)
    }

    @Test func theSessionEndsWhenNeitherInputIsLeft() {
        var bench = Bench()
        bench.connect(.primary)
        bench.connect(.backup)
        bench.run(0.5, sending: [.primary, .backup])
        bench.send(.end, from: .backup)
        bench.send(.end, from: .primary)
        let out = bench.take()
        guard case .end = out.last else { Issue.record("no .end: \(out.suffix(2))"); return }
        #expect(out.filter { if case .end = $0 { true } else { false } }.count == 1)
        #expect(!bench.inputs.sessionOpen)
        // A new session starts with its first input, untouched.
        bench.connect(.backup, Encoder(epoch: 42_000))
        bench.run(0.1, sending: [.backup])
        #expect(Self.videoDTS(bench.take()) == [42_000, 45_000, 48_000])
    }

    @Test func aPrimaryEndingWhileTheBackupHasNotStartedEndsNothingUntilTheBackupGoes() {
        var bench = Bench()
        bench.connect(.primary)
        bench.inputs.connected(.backup)  // connected, no track set yet
        bench.run(0.5, sending: [.primary])
        _ = bench.take()
        bench.send(.end, from: .primary)
        #expect(bench.take().isEmpty)
        bench.send(.end, from: .backup)
        guard case .end = bench.take().last else { Issue.record("no .end once both are gone"); return }
    }

    @Test func aSecondTrackSetOfTheActiveInputGoesThroughAndKeepsItsTimeline() {
        var bench = Bench()
        bench.connect(.primary)
        bench.connect(.backup, Encoder(gop: 3, epoch: 1_000_000))
        bench.run(0.3, sending: [.primary, .backup])
        bench.send(.end, from: .primary)
        bench.run(0.2, sending: [.backup])
        _ = bench.take()
        bench.send(.tracks([Self.otherVideo, Self.audio]), from: .backup)
        bench.run(0.1, sending: [.backup])
        let out = bench.take()
        #expect(Self.trackSets(out) == [[Self.otherVideo, Self.audio]])
        let dts = Self.videoDTS(out)
        #expect(dts.count == 3)
        #expect(dts.allSatisfy { $0 < 1_000_000 }, "the timeline moved back at the switch holds")
    }

    @Test func theSlatePlaysWhileNoLiveInputIsAliveAndGivesWayAtOnce() {
        var bench = Bench(InputSwitch.Configuration(lossTimeout: .seconds(1), returnAfter: .seconds(60)))
        bench.connect(.slate, Encoder(gop: 3))
        bench.run(1, sending: [.slate])
        #expect(bench.inputs.active == .slate)
        _ = bench.take()
        // A primary that starts takes over at its first key frame, steady or not.
        bench.connect(.primary, Encoder(gop: 30, epoch: 9_000_000))
        bench.run(0.2, sending: [.primary, .slate])
        #expect(bench.inputs.active == .primary)
        let out = bench.take()
        #expect(Self.trackSets(out) == [[Self.video, Self.audio]])
        #expect(Self.videoDTS(out).filter { $0 < 3_000 * 6 }.first == 0)
        // Gone, the primary leaves the channel to the slate, not to its end.
        bench.send(.end, from: .primary)
        bench.run(0.2, sending: [.slate])
        #expect(bench.inputs.active == .slate)
        #expect(!bench.take().contains { if case .end = $0 { true } else { false } })
        // A backup over the slate: at once too.
        bench.connect(.backup, Encoder(gop: 3))
        bench.run(0.2, sending: [.backup, .slate])
        #expect(bench.inputs.active == .backup)
    }
}

@Suite struct HubChannelInputsTests {
    @Test func eachInputTakesOnePublisher() {
        let channel = HubChannel(name: "pair")
        let primary = channel.acquirePublisher(role: .primary)
        #expect(primary != nil)
        #expect(channel.acquirePublisher(role: .primary) == nil)
        let backup = channel.acquirePublisher(role: .backup)
        #expect(backup != nil)
        #expect(channel.acquirePublisher() == nil, "the default input is the primary")
        #expect(channel.inputStatus.connected == [.primary, .backup])
        primary?.finish()
        #expect(channel.acquirePublisher(role: .primary) != nil)
    }

    @Test func readersFollowTheBackupWhenThePrimaryGoes() async throws {
        let channel = HubChannel(name: "pair")
        let reader = channel.reader(capacity: 64)
        let primary = try #require(channel.acquirePublisher(role: .primary))
        let backup = try #require(channel.acquirePublisher(role: .backup))
        let tracks = [InputSwitchTests.video]
        primary.send(.tracks(tracks))
        backup.send(.tracks(tracks))
        primary.send(.sample(track: 0, Sample(dts: 100, isSync: true, data: ByteBuffer(bytes: [0]))))
        backup.send(.sample(track: 0, Sample(dts: 9_000, isSync: true, data: ByteBuffer(bytes: [1]))))
        primary.finish()
        #expect(channel.isLive, "the backup keeps the session")
        backup.send(.sample(track: 0, Sample(dts: 12_000, isSync: true, data: ByteBuffer(bytes: [2]))))
        backup.finish()
        #expect(!channel.isLive)
        var received: [HubEvent] = []
        while received.count < 5, let batch = await reader.next() { received += batch }
        #expect(received.count == 5)
        #expect(InputSwitchTests.trackSets(received).count == 2)
        #expect(InputSwitchTests.videoDTS(received) == [100, 0])
        #expect(channel.inputStatus.switches == 1)
        #expect(channel.inputStatus.active == nil)
    }
}
