import Synchronization

/// Bounds the calls in flight and adapts the bound to the server: halves it on a 429
/// (also one with no headers), grows it back by one per success up to `--concurrency`, and
/// holds new calls back until the reset time when `x-ratelimit-remaining-*` runs low.
/// An optional `--rpm` / `--tpm` budget spaces calls out over each minute. Pauses and the
/// budget's minute are read from a ``Clock``.
///
/// Its state sits behind a lock rather than in an actor: every call makes three limiter calls
/// on its critical path (take a slot, give it back, note the answer), and an actor would turn
/// each into a trip through the executor's queue. A freed slot is handed straight to the
/// longest waiter, so the next request starts in the same turn of the event loop.
///
/// ```swift
/// let limiter = AdaptiveLimiter(maximum: 64)
/// await limiter.acquire()
/// let outcome = await transport.send(request, timeout: 60)
/// limiter.release(after: outcome)
/// ```
public final class AdaptiveLimiter: Sendable {
    public let maximum: Int
    private let requestsPerMinute: Int?
    private let tokensPerMinute: Int?
    private let clock: any Clock
    private let slots: Mutex<Slots>

    private struct Slots {
        var limit: Int
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Monotonic seconds (``Clock/monotonicSeconds()``) until which new calls wait.
        var pausedUntil: Double?
        var window: [(at: Double, tokens: Int)] = []

        /// Takes a slot when one is free and nobody waits for it already.
        mutating func take() -> Bool {
            guard inFlight < limit, waiters.isEmpty else { return false }
            inFlight += 1
            return true
        }

        /// The waiters that now get a slot (each already counted in flight): resume them
        /// outside the lock.
        mutating func handOver() -> [CheckedContinuation<Void, Never>] {
            var woken: [CheckedContinuation<Void, Never>] = []
            while inFlight < limit, !waiters.isEmpty {
                inFlight += 1
                woken.append(waiters.removeFirst())
            }
            return woken
        }

        mutating func pause(seconds: Double, now: Double) {
            guard seconds.isFinite else { return }
            let until = now + min(max(seconds, 0), 120)
            if pausedUntil.map({ until > $0 }) ?? true { pausedUntil = until }
        }

        mutating func noteSuccess(_ hints: RateLimitHints, maximum: Int, now: Double) {
            if limit < maximum { limit += 1 }
            if let remaining = hints.remainingRequests, remaining <= limit, let reset = hints.resetRequestsSeconds {
                pause(seconds: reset, now: now)
            }
            if let remaining = hints.remainingTokens, remaining <= 0, let reset = hints.resetTokensSeconds {
                pause(seconds: reset, now: now)
            }
        }
    }

    /// A limiter of at most `maximum` calls in flight, and at most `requestsPerMinute` calls and
    /// `tokensPerMinute` estimated tokens started in any minute when given.
    public init(maximum: Int, requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, clock: any Clock = SystemClock()) {
        self.maximum = max(1, maximum)
        self.clock = clock
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        slots = Mutex(Slots(limit: max(1, maximum)))
    }

    /// The current bound on calls in flight.
    public var limit: Int { slots.withLock { $0.limit } }

    /// Calls holding a slot now.
    public var inFlight: Int { slots.withLock { $0.inFlight } }

    /// Calls waiting for a slot now.
    public var waiting: Int { slots.withLock { $0.waiters.count } }

    /// Waits for a slot (and for the rate budget), then takes it. Pair with ``release(success:)``.
    public func acquire(estimatedTokens: Int = 0) async {
        if !slots.withLock({ $0.take() }) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let granted = slots.withLock { slots in
                    if slots.take() { return true }
                    slots.waiters.append(continuation)
                    return false
                }
                if granted { continuation.resume() }
            }
        }
        if let until = slots.withLock({ $0.pausedUntil }) {
            let now = clock.monotonicSeconds()
            if until > now { await clock.sleep(seconds: until - now) }
        }
        await waitForBudget(tokens: estimatedTokens)
    }

    /// Gives the slot back; `success` carries the headers of a successful answer (see
    /// ``onSuccess(hints:)``), in the same call.
    public func release(success hints: RateLimitHints? = nil) {
        let now = clock.monotonicSeconds()
        let woken = slots.withLock { slots in
            slots.inFlight -= 1
            if let hints { slots.noteSuccess(hints, maximum: maximum, now: now) }
            return slots.handOver()
        }
        for waiter in woken { waiter.resume() }
    }

    /// Gives the slot back after `outcome`: a reply's headers count as a success (see
    /// ``onSuccess(hints:)``), a 429 lowers the bound and sets the pause (see
    /// ``onRateLimited(retryAfter:)``) before the slot is handed on.
    public func release(after outcome: ChatOutcome) {
        switch outcome {
        case let .reply(_, hints):
            release(success: hints)
        case let .httpError(429, _, retryAfter, _):
            onRateLimited(retryAfter: retryAfter)
            release()
        default:
            release()
        }
    }

    /// A successful answer: the bound grows by one (up to the maximum), and low
    /// `x-ratelimit-remaining-*` headers pause new calls until their reset.
    public func onSuccess(hints: RateLimitHints) {
        let now = clock.monotonicSeconds()
        let woken = slots.withLock { slots in
            slots.noteSuccess(hints, maximum: maximum, now: now)
            return slots.handOver()
        }
        for waiter in woken { waiter.resume() }
    }

    /// One call fewer in flight (not below 1), until successes grow the bound back: the slot
    /// of an answer that shows the endpoint is not one starts nothing new.
    public func narrow() {
        slots.withLock { $0.limit = max(1, $0.limit - 1) }
    }

    /// New calls wait `seconds` from now (a longer pause already set stands): the whole run
    /// backs off together, as in an outage.
    public func pause(seconds: Double) {
        let now = clock.monotonicSeconds()
        slots.withLock { $0.pause(seconds: seconds, now: now) }
    }

    /// A 429: the bound halves (not below 1), and new calls wait `retryAfter` seconds when given.
    public func onRateLimited(retryAfter: Double?) {
        let now = clock.monotonicSeconds()
        slots.withLock { slots in
            slots.limit = max(1, slots.limit / 2)
            if let retryAfter { slots.pause(seconds: retryAfter, now: now) }
        }
    }

    private func waitForBudget(tokens: Int) async {
        guard requestsPerMinute != nil || tokensPerMinute != nil else { return }
        while true {
            let now = clock.monotonicSeconds()
            // The start of the oldest call in the last minute when the budget is spent, else nil.
            let oldest: Double? = slots.withLock { slots in
                slots.window.removeAll { now - $0.at >= 60 }
                let requestsOK = requestsPerMinute.map { slots.window.count < $0 } ?? true
                let tokensOK = tokensPerMinute.map { slots.window.reduce(0) { $0 + $1.tokens } + tokens <= $0 || slots.window.isEmpty } ?? true
                if requestsOK && tokensOK || slots.window.isEmpty {
                    slots.window.append((now, tokens))
                    return nil
                }
                return slots.window.first?.at
            }
            guard let oldest else { return }
            await clock.sleep(seconds: oldest + 60 - now)
        }
    }
}
