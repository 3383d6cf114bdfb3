import Foundation
import Synchronization
import Testing

@testable import ChatTagCore

@Suite(.timeLimit(.minutes(1))) struct AdaptiveLimiterTests {
    @Test func halvesOnRateLimitAndGrowsBackByOne() {
        let limiter = AdaptiveLimiter(maximum: 16)
        limiter.onRateLimited(retryAfter: nil)
        #expect(limiter.limit == 8)
        limiter.onRateLimited(retryAfter: nil)
        #expect(limiter.limit == 4)
        limiter.onSuccess(hints: RateLimitHints())
        #expect(limiter.limit == 5)
        for _ in 0..<40 { limiter.onSuccess(hints: RateLimitHints()) }
        #expect(limiter.limit == 16)
        for _ in 0..<10 { limiter.onRateLimited(retryAfter: nil) }
        #expect(limiter.limit == 1)
    }

    @Test func narrowsByOneNotBelowOneAndAPauseHoldsTheNextCall() async {
        let clock = TestClock()
        let limiter = AdaptiveLimiter(maximum: 3, clock: clock)
        for _ in 0..<5 { limiter.narrow() }
        #expect(limiter.limit == 1)
        limiter.onSuccess(hints: RateLimitHints())
        #expect(limiter.limit == 2)
        limiter.pause(seconds: 4)
        limiter.pause(seconds: 1)
        await limiter.acquire()
        #expect(clock.sleeps == [4])
        limiter.release()
    }

    @Test func neverHoldsMoreCallsThanTheLimitAndEveryWaiterGetsASlot() async {
        let limiter = AdaptiveLimiter(maximum: 4)
        let peak = Locked((now: 0, peak: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    await limiter.acquire()
                    peak.withLock {
                        $0.now += 1; $0.peak = max($0.peak, $0.now)
                    }
                    await Task.yield()
                    peak.withLock { $0.now -= 1 }
                    limiter.release(success: RateLimitHints())
                }
            }
        }
        #expect(peak.withLock { $0.peak } == 4)
        #expect(limiter.inFlight == 0)
    }

    @Test func aFreedSlotGoesToTheLongestWaiter() async throws {
        let limiter = AdaptiveLimiter(maximum: 1)
        await limiter.acquire()
        let order = Locked<[Int]>([])
        var waiters: [Task<Void, Never>] = []
        for number in 1...3 {
            waiters.append(
                Task {
                    await limiter.acquire()
                    order.withLock { $0.append(number) }
                    limiter.release()
                })
            // The next waiter starts only once this one is queued.
            let started = ContinuousClock.now
            while limiter.waiting < number, ContinuousClock.now - started < .seconds(5) { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(limiter.waiting == 3)
        #expect(order.withLock { $0 }.isEmpty)
        limiter.release()
        for waiter in waiters { await waiter.value }
        #expect(order.withLock { $0 } == [1, 2, 3])
        #expect(limiter.inFlight == 0)
        #expect(limiter.waiting == 0)
    }

    @Test func aWaiterGetsNoSlotUntilCallsInFlightFallBelowALoweredLimit() async throws {
        let limiter = AdaptiveLimiter(maximum: 4)
        for _ in 0..<4 { await limiter.acquire() }
        let waiter = Task {
            await limiter.acquire()
            limiter.release()
        }
        let started = ContinuousClock.now
        while limiter.waiting < 1, ContinuousClock.now - started < .seconds(5) { try await Task.sleep(for: .milliseconds(1)) }
        limiter.onRateLimited(retryAfter: nil)
        #expect(limiter.limit == 2)
        limiter.release()
        limiter.release()
        #expect(limiter.waiting == 1)
        #expect(limiter.inFlight == 2)
        limiter.release()
        await waiter.value
        #expect(limiter.waiting == 0)
        #expect(limiter.inFlight == 1)
    }

    @Test func lowRemainingRequestsHoldNewCallsUntilTheReset() async {
        let limiter = AdaptiveLimiter(maximum: 8)
        await limiter.acquire()
        limiter.release(success: RateLimitHints(remainingRequests: 1, resetRequestsSeconds: 0.3))
        let started = ContinuousClock.now
        await limiter.acquire()
        let waited = ContinuousClock.now - started
        limiter.release()
        #expect(waited >= .milliseconds(250))
        // Far below the 120 s cap (a busy test run can delay a wake-up by seconds).
        #expect(waited < .seconds(30))
    }

    @Test func aRetryAfterOnA429HoldsNewCalls() async {
        let limiter = AdaptiveLimiter(maximum: 8)
        limiter.onRateLimited(retryAfter: 0.3)
        let started = ContinuousClock.now
        await limiter.acquire()
        limiter.release()
        #expect(ContinuousClock.now - started >= .milliseconds(250))
        #expect(limiter.limit == 4)
    }
}

/// A value shared by test tasks.
final class Locked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        value.withLock { body(&$0) }
    }
}
