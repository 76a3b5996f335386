@testable import Control
import Testing

@Suite struct CounterTests {
    @Test func aWaitEndsWhenTheCounterMovesOrTimesOut() async throws {
        let counter = Counter()
        let started = ContinuousClock.now
        await counter.wait(whileEqualTo: 0, timeout: .milliseconds(100))
        #expect(ContinuousClock.now - started >= .milliseconds(100), "nothing happened: the timeout ends it")

        let waiting = Task {
            let begun = ContinuousClock.now
            await counter.wait(whileEqualTo: 0, timeout: .seconds(30))
            return ContinuousClock.now - begun
        }
        try await Task.sleep(for: .milliseconds(50))
        counter.increment()
        #expect(await waiting.value < .seconds(10), "the increment ends the wait")
        #expect(counter.value == 1)
        // Already moved on: no wait at all.
        let again = ContinuousClock.now
        await counter.wait(whileEqualTo: 0, timeout: .seconds(30))
        #expect(ContinuousClock.now - again < .seconds(10))
    }
}
