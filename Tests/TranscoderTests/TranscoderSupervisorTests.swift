import Testing
@testable import Transcoder

@Suite struct TranscoderSupervisorTests {
    typealias Action = TranscoderSupervisor.Action
    let t0 = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .milliseconds(Int64(seconds * 1000)) }

    /// The actions without log lines.
    func effects(_ actions: [Action]) -> [Action] {
        actions.filter { if case .log = $0 { false } else { true } }
    }

    /// A supervisor whose source is live and whose process runs since `at(start)`.
    func running(since start: Double = 0) -> TranscoderSupervisor {
        var supervisor = TranscoderSupervisor()
        _ = supervisor.sourceStarted(at: at(start))
        _ = supervisor.processStarted(at: at(start))
        return supervisor
    }

    let grace = TranscoderSupervisor.Action.stop(gracePeriod: .seconds(5))

    @Test func followsTheSource() {
        var supervisor = TranscoderSupervisor()
        #expect(effects(supervisor.sourceStarted(at: at(0))) == [.start])
        #expect(supervisor.phase == .starting)
        #expect(effects(supervisor.processStarted(at: at(0.1))) == [])
        #expect(supervisor.phase == .running(since: at(0.1)))
        #expect(effects(supervisor.sourceStopped(at: at(60))) == [grace])
        #expect(supervisor.phase == .stopping(spawned: true))
        #expect(effects(supervisor.processExited(status: 0, at: at(60.2))) == [])
        #expect(supervisor.phase == .idle)
        #expect(supervisor.counters.lastExitStatus == 0)
        #expect(supervisor.counters.consecutiveFailures == 0)
        #expect(supervisor.counters.restarts == 0)
    }

    @Test func restartsACrashedProcessWithExponentialBackoff() {
        var supervisor = running()
        var now = 1.0
        var delays: [Duration] = []
        for failure in 1...8 {
            let actions = supervisor.processExited(status: 1, at: at(now))
            guard case .scheduleRestart(let delay)? = effects(actions).first, effects(actions).count == 1 else {
                Issue.record("failure \(failure): \(actions)")
                return
            }
            #expect(actions.contains { if case .log(.error, _) = $0 { true } else { false } })
            delays.append(delay)
            #expect(supervisor.counters.consecutiveFailures == failure)
            #expect(supervisor.phase == .idle && supervisor.restartPending)
            now += delay / .milliseconds(1) / 1000
            #expect(effects(supervisor.restartTimerFired(at: at(now))) == [.start])
            #expect(supervisor.counters.restarts == failure)
            #expect(effects(supervisor.processStarted(at: at(now))) == [])
            now += 1
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10), .seconds(10)])
        #expect(supervisor.counters.lastExitStatus == 1)
    }

    @Test func aProcessThatRanThirtySecondsResetsTheBackoff() {
        var supervisor = running()
        _ = supervisor.processExited(status: 1, at: at(1))
        _ = supervisor.restartTimerFired(at: at(1.5))
        _ = supervisor.processStarted(at: at(1.5))
        #expect(effects(supervisor.processExited(status: 1, at: at(2))) == [.scheduleRestart(after: .seconds(1))])
        _ = supervisor.restartTimerFired(at: at(3))
        _ = supervisor.processStarted(at: at(3))
        // Ran 29.9 s: still the same run of failures.
        #expect(effects(supervisor.processExited(status: 1, at: at(32.9))) == [.scheduleRestart(after: .seconds(2))])
        _ = supervisor.restartTimerFired(at: at(35))
        _ = supervisor.processStarted(at: at(35))
        // Ran 30 s: healthy, so the backoff starts over.
        #expect(effects(supervisor.processExited(status: 1, at: at(65))) == [.scheduleRestart(after: .milliseconds(500))])
        #expect(supervisor.counters.consecutiveFailures == 1)
        #expect(supervisor.counters.restarts == 3)
    }

    @Test func aCleanExitWhileTheSourceIsLiveIsAFailure() {
        var supervisor = running()
        #expect(effects(supervisor.processExited(status: 0, at: at(1))) == [.scheduleRestart(after: .milliseconds(500))])
        #expect(supervisor.counters.consecutiveFailures == 1)
    }

    @Test func aSpawnFailureIsRetried() {
        var supervisor = TranscoderSupervisor()
        _ = supervisor.sourceStarted(at: at(0))
        #expect(effects(supervisor.processExited(status: 127, at: at(0))) == [.scheduleRestart(after: .milliseconds(500))])
        #expect(effects(supervisor.restartTimerFired(at: at(0.5))) == [.start])
    }

    @Test func sourceStopDuringTheBackoffCancelsTheRestart() {
        var supervisor = running()
        _ = supervisor.processExited(status: 1, at: at(1))
        #expect(effects(supervisor.sourceStopped(at: at(1.2))) == [.cancelRestart])
        #expect(!supervisor.restartPending && supervisor.phase == .idle)
        // A timer that fires anyway changes nothing.
        #expect(supervisor.restartTimerFired(at: at(1.5)) == [])
        #expect(supervisor.phase == .idle)
        #expect(supervisor.counters.restarts == 0)
    }

    @Test func aNewSourceStartsAtOnceWithAFreshBackoff() {
        var supervisor = running()
        for (second, _) in [(1.0, 0), (2.0, 1), (4.0, 2)] {
            _ = supervisor.processExited(status: 1, at: at(second))
            _ = supervisor.restartTimerFired(at: at(second + 0.9))
            _ = supervisor.processStarted(at: at(second + 0.9))
        }
        _ = supervisor.processExited(status: 1, at: at(5))
        #expect(supervisor.counters.consecutiveFailures == 4)
        #expect(effects(supervisor.sourceStopped(at: at(5.1))) == [.cancelRestart])
        #expect(effects(supervisor.sourceStarted(at: at(6))) == [.start])
        #expect(supervisor.counters.consecutiveFailures == 0)
        _ = supervisor.processStarted(at: at(6))
        #expect(effects(supervisor.processExited(status: 1, at: at(7))) == [.scheduleRestart(after: .milliseconds(500))])
    }

    @Test func aSourceThatReturnsWhileTheProcessStopsWaitsForTheExit() {
        var supervisor = running()
        #expect(effects(supervisor.sourceStopped(at: at(10))) == [grace])
        #expect(effects(supervisor.sourceStarted(at: at(10.5))) == []) // never two processes
        #expect(supervisor.phase == .stopping(spawned: true))
        #expect(effects(supervisor.processExited(status: 255, at: at(11))) == [.start])
        #expect(supervisor.phase == .starting)
        #expect(supervisor.counters.consecutiveFailures == 0) // a requested stop is no failure
        #expect(supervisor.counters.restarts == 0)
    }

    @Test func aStopBeforeTheProcessRunsIsSentOnceItDoes() {
        var supervisor = TranscoderSupervisor()
        _ = supervisor.sourceStarted(at: at(0))
        #expect(effects(supervisor.sourceStopped(at: at(0.01))) == [])
        #expect(supervisor.phase == .stopping(spawned: false))
        #expect(effects(supervisor.processStarted(at: at(0.05))) == [grace])
        #expect(supervisor.phase == .stopping(spawned: true))
        #expect(effects(supervisor.processExited(status: 0, at: at(0.1))) == [])
        #expect(supervisor.phase == .idle)
    }

    @Test func aStopBeforeASpawnThatFailsNeedsNoStop() {
        var supervisor = TranscoderSupervisor()
        _ = supervisor.sourceStarted(at: at(0))
        _ = supervisor.sourceStopped(at: at(0.01))
        #expect(effects(supervisor.processExited(status: 127, at: at(0.02))) == [])
        #expect(supervisor.phase == .idle && !supervisor.restartPending)
    }

    @Test func shutdownStopsForGood() {
        var supervisor = running()
        #expect(effects(supervisor.shutdown(at: at(5))) == [grace])
        #expect(!supervisor.isFinished)
        #expect(effects(supervisor.processExited(status: 0, at: at(5.5))) == [])
        #expect(supervisor.isFinished)
        // Nothing starts again.
        let late = supervisor.sourceStarted(at: at(6))
        #expect(effects(late) == [] && late.count == 1)
        #expect(supervisor.restartTimerFired(at: at(7)) == [])
        #expect(supervisor.shutdown(at: at(8)) == [])
        #expect(supervisor.phase == .idle)
    }

    @Test func shutdownDuringTheBackoffCancelsTheRestart() {
        var supervisor = running()
        _ = supervisor.processExited(status: 1, at: at(1))
        #expect(effects(supervisor.shutdown(at: at(1.1))) == [.cancelRestart])
        #expect(supervisor.isFinished)
        #expect(supervisor.restartTimerFired(at: at(1.5)) == [])
    }

    @Test func shutdownWhileTheSourceRestartsDoesNotStartAgain() {
        var supervisor = running()
        _ = supervisor.sourceStopped(at: at(1))
        _ = supervisor.sourceStarted(at: at(1.1))
        #expect(effects(supervisor.shutdown(at: at(1.2))) == [])
        #expect(effects(supervisor.processExited(status: 0, at: at(1.3))) == [])
        #expect(supervisor.isFinished)
    }

    @Test func ignoresRepeatedAndUnexpectedEvents() {
        var supervisor = running()
        #expect(supervisor.sourceStarted(at: at(1)) == [])
        #expect(effects(supervisor.processStarted(at: at(1))) == [])
        #expect(supervisor.phase == .running(since: at(0)))
        var idle = TranscoderSupervisor()
        #expect(idle.sourceStopped(at: at(0)) == [])
        #expect(effects(idle.processExited(status: 1, at: at(0))) == [])
        #expect(idle.counters == TranscoderSupervisor.Counters())
        #expect(idle.restartTimerFired(at: at(0)) == [])
    }

    @Test func backoffFollowsTheConfiguration() {
        let configuration = TranscoderSupervisor.Configuration(initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(350))
        #expect((0...5).map { configuration.backoff(afterFailures: $0) }
            == [.milliseconds(100), .milliseconds(100), .milliseconds(200), .milliseconds(350), .milliseconds(350), .milliseconds(350)])
        #expect(TranscoderSupervisor.Configuration().backoff(afterFailures: 1_000_000) == .seconds(10))
    }
}
