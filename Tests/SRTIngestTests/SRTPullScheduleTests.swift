import CSRT
import Testing
@testable import SRTIngest

/// A pull calls again every second at first, then backs off to the cap; each kind of failure is
/// logged once until a publish succeeds.
@Suite struct SRTPullScheduleTests {
    @Test func everySecondAtFirstThenDoublingToTheCap() {
        let delays = (1...12).map { SRTPullSchedule.delay(afterFailures: $0) }
        #expect(delays == [1, 1, 1, 1, 1, 2, 4, 8, 16, 30, 30, 30].map { Duration.seconds($0) })
        #expect(SRTPullSchedule.delay(afterFailures: Int.max) == SRTPullSchedule.maximumDelay)
    }

    @Test func theFirstAttemptIsAtOnceAndEachFailureSchedulesTheNext() {
        let start = ContinuousClock.now
        var schedule = SRTPullSchedule(now: start)
        #expect(schedule.nextAttempt == start)
        _ = schedule.failed(.noAnswer, at: start)
        #expect(schedule.nextAttempt == start + .seconds(1))
        for n in 2...7 { _ = schedule.failed(.noAnswer, at: start + .seconds(n)) }
        #expect(schedule.failures == 7)
        #expect(schedule.nextAttempt == start + .seconds(7) + .seconds(4))
        // A steady publish forgets the failures; its end is followed by a call a second later.
        schedule.published(at: start + .seconds(50))
        schedule.ended(at: start + .seconds(100))
        #expect(schedule.failures == 1)
        #expect(schedule.nextAttempt == start + .seconds(101))
    }

    /// An encoder whose publish ends at once (a stream that cannot be demuxed, a refused key
    /// after the handshake) is called less and less often, as one that does not answer.
    @Test func publishesThatEndAtOnceBackOff() {
        let start = ContinuousClock.now
        var schedule = SRTPullSchedule(now: start)
        var now = start
        for _ in 1...7 {
            schedule.published(at: now)
            now += .milliseconds(500)
            schedule.ended(at: now)
        }
        #expect(schedule.failures == 7)
        #expect(schedule.nextAttempt == now + .seconds(4))
    }

    @Test(.bug(id: "srt-pull-log-flood", "issue 15: a pull that keeps failing the same way must not log every second"))
    func eachKindOfFailureIsLoggedOnceUntilAPublish() {
        let now = ContinuousClock.now
        var schedule = SRTPullSchedule(now: now)
        let logged = [
            SRTPullFailure.noAnswer, .noAnswer, .wrongPassphrase, .wrongPassphrase, .noAnswer,
        ].map { schedule.failed($0, at: now) }
        #expect(logged == [true, false, true, false, true])
        schedule.published(at: now)
        let afterPublish = schedule.failed(.noAnswer, at: now)
        #expect(afterPublish)
    }

    @Test func libsrtsRejectionReasonsAreTheFailureKinds() {
        #expect(SRTPullFailure(rejectReason: Int32(SRT_REJ_TIMEOUT.rawValue)) == .noAnswer)
        #expect(SRTPullFailure(rejectReason: Int32(SRT_REJ_BADSECRET.rawValue)) == .wrongPassphrase)
        #expect(SRTPullFailure(rejectReason: Int32(SRT_REJ_UNSECURE.rawValue)) == .encryptionMismatch)
        #expect(SRTPullFailure(rejectReason: SRT_REJX_BAD_REQUEST) == .refusedByEncoder(code: SRT_REJX_BAD_REQUEST))
        guard case .rejected(let code, let text) = SRTPullFailure(rejectReason: Int32(SRT_REJ_VERSION.rawValue)) else {
            Issue.record("SRT_REJ_VERSION is not a rejection of its own")
            return
        }
        #expect(code == Int32(SRT_REJ_VERSION.rawValue) && !text.isEmpty)
    }
}
