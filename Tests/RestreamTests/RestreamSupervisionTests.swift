import Testing
import Transcoder
@testable import Restream

@Suite struct RestreamSupervisionTests {
    let configuration = DestinationPusher.supervisorConfiguration

    @Test func retriesEverySecondFiveTimesThenBacksOffTo30Seconds() {
        let delays = (1...12).map { configuration.backoff(afterFailures: $0) }
        #expect(delays == [1, 1, 1, 1, 1, 2, 4, 8, 16, 30, 30, 30].map { Duration.seconds($0) })
    }

    @Test func theTranscodersBackoffIsUnchangedByDefault() {
        let transcoder = TranscoderSupervisor.Configuration()
        #expect((1...6).map { transcoder.backoff(afterFailures: $0) } == [500, 1_000, 2_000, 4_000, 8_000, 10_000].map { Duration.milliseconds($0) })
    }

    @Test func aDeadDestinationIsRetriedWithTheBackoffAndAPushThatRanLongStartsOver() {
        var supervisor = TranscoderSupervisor(configuration: configuration)
        let start = ContinuousClock.now
        #expect(supervisor.sourceStarted(at: start).contains(.start))
        var delays: [Duration] = []
        var now = start
        for _ in 1...7 {
            _ = supervisor.processStarted(at: now)
            let actions = supervisor.processExited(status: 1, at: now + .milliseconds(100))
            for case .scheduleRestart(let delay) in actions { delays.append(delay) }
            now += .seconds(40)
            #expect(supervisor.restartTimerFired(at: now).contains(.start))
        }
        #expect(delays == [1, 1, 1, 1, 1, 2, 4].map { Duration.seconds($0) })
        // This push runs past the stable duration before the destination drops it.
        _ = supervisor.processStarted(at: now)
        let actions = supervisor.processExited(status: 1, at: now + configuration.stableRunDuration)
        #expect(actions.contains(.scheduleRestart(after: .seconds(1))))
    }

    @Test func thePushStopsWithThePublisherAndIsNotRetried() {
        var supervisor = TranscoderSupervisor(configuration: configuration)
        let now = ContinuousClock.now
        _ = supervisor.sourceStarted(at: now)
        _ = supervisor.processStarted(at: now)
        #expect(supervisor.sourceStopped(at: now).contains(.stop(gracePeriod: configuration.stopGracePeriod)))
        let actions = supervisor.processExited(status: 0, at: now)
        #expect(!actions.contains { if case .scheduleRestart = $0 { true } else { false } })
        #expect(!actions.contains(.start))
    }
}
