/// When to try a failed call again and how long to wait: exponential backoff with full
/// jitter (a random wait between zero and base·2^attempt, capped), or exactly what the
/// server asked for with `Retry-After` / `retry-after-ms`.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int
    /// Seconds of the first backoff step.
    public var baseDelay: Double
    /// Seconds no backoff exceeds.
    public var maxDelay: Double

    public init(maxRetries: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Whether an outcome is worth another attempt: 408, 409, 429, 5xx, timeouts, dropped
    /// connections and truncated bodies.
    public static func isRetryable(_ outcome: ChatOutcome) -> Bool {
        switch outcome {
        case .reply: return false
        case let .httpError(status, _, _, _): return status == 408 || status == 409 || status == 429 || status >= 500
        case .malformed, .timeout, .connectionFailed: return true
        }
    }

    /// Seconds to wait before retry number `attempt` (1-based): the server's `retryAfter`
    /// (seconds, capped at four times `maxDelay`) when it sent one, else `random` (0...1) times
    /// the backoff step.
    public func delay(attempt: Int, retryAfter: Double?, random: Double) -> Double {
        if let retryAfter, retryAfter >= 0 { return min(retryAfter, maxDelay * 4) }
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 20)))
        return ceiling * random
    }

    /// Parses `x-ratelimit-reset-*` durations: `1s`, `1.5s`, `6m0s`, `20ms`, `1h2m3s`.
    public static func parseDuration(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var sawUnit = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isNumber || character == "." {
                number.append(character)
                index = text.index(after: index)
                continue
            }
            guard let value = Double(number) else { return nil }
            let rest = text[index...]
            if rest.hasPrefix("ms") {
                total += value / 1000
                index = text.index(index, offsetBy: 2)
            } else if character == "h" {
                total += value * 3600
                index = text.index(after: index)
            } else if character == "m" {
                total += value * 60
                index = text.index(after: index)
            } else if character == "s" {
                total += value
                index = text.index(after: index)
            } else {
                return nil
            }
            number = ""
            sawUnit = true
        }
        if !number.isEmpty {
            guard let value = Double(number) else { return nil }
            total += value
            sawUnit = true
        }
        return sawUnit ? total : nil
    }
}
