import Foundation

/// Bounds the calls in flight and adapts the bound to the server: halves it on a 429
/// (also one with no headers), grows it back by one per success up to `--concurrency`, and
/// holds new calls back until the reset time when `x-ratelimit-remaining-*` runs low.
/// An optional `--rpm` / `--tpm` budget spaces calls out over each minute.
public actor AdaptiveLimiter {
    public private(set) var limit: Int
    public let maximum: Int
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var pausedUntil: ContinuousClock.Instant?
    private let requestsPerMinute: Int?
    private let tokensPerMinute: Int?
    private var window: [(at: ContinuousClock.Instant, tokens: Int)] = []
    private let clock = ContinuousClock()

    public init(maximum: Int, requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
        self.maximum = max(1, maximum)
        limit = max(1, maximum)
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// Waits for a slot (and for the rate budget), then takes it. Pair with ``release()``.
    public func acquire(estimatedTokens: Int = 0) async {
        while inFlight >= limit {
            await withCheckedContinuation { waiters.append($0) }
        }
        inFlight += 1
        if let until = pausedUntil, until > clock.now {
            try? await Task.sleep(until: until, clock: clock)
        }
        await waitForBudget(tokens: estimatedTokens)
    }

    /// Gives the slot back; `success` carries the headers of a successful answer (see
    /// ``onSuccess(hints:)``), in the same call.
    public func release(success hints: RateLimitHints? = nil) {
        inFlight -= 1
        if let hints { onSuccess(hints: hints) }
        wakeOne()
    }

    public func onSuccess(hints: RateLimitHints) {
        if limit < maximum {
            limit += 1
            wakeOne()
        }
        if let remaining = hints.remainingRequests, remaining <= limit, let reset = hints.resetRequestsSeconds {
            pause(seconds: reset)
        }
        if let remaining = hints.remainingTokens, remaining <= 0, let reset = hints.resetTokensSeconds {
            pause(seconds: reset)
        }
    }

    public func onRateLimited(retryAfter: Double?) {
        limit = max(1, limit / 2)
        if let retryAfter { pause(seconds: retryAfter) }
    }

    private func pause(seconds: Double) {
        let until = clock.now + .milliseconds(Int64(min(seconds, 120) * 1000))
        if pausedUntil.map({ until > $0 }) ?? true { pausedUntil = until }
    }

    private func wakeOne() {
        guard inFlight < limit, !waiters.isEmpty else { return }
        waiters.removeFirst().resume()
    }

    private func waitForBudget(tokens: Int) async {
        guard requestsPerMinute != nil || tokensPerMinute != nil else { return }
        while true {
            let now = clock.now
            window.removeAll { now - $0.at > .seconds(60) }
            let requestsOK = requestsPerMinute.map { window.count < $0 } ?? true
            let tokensOK = tokensPerMinute.map { window.reduce(0) { $0 + $1.tokens } + tokens <= $0 || window.isEmpty } ?? true
            if requestsOK && tokensOK {
                window.append((now, tokens))
                return
            }
            guard let oldest = window.first else { return }
            try? await Task.sleep(until: oldest.at + .seconds(60), clock: clock)
        }
    }
}
