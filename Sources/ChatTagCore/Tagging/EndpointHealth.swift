/// Whether the endpoint behaves like one, judged over the whole run rather than per dialogue:
/// a circuit breaker. A pure value; ``RunState`` keeps the run's one copy behind its lock.
///
/// - Before the first chat completion comes back, answers that show the address is not an
///   OpenAI-compatible API (an HTML page, an empty 200, a 200 that is not a completion, no
///   answer within the timeout) are strikes. Each one takes a call off the run's bound on calls
///   in flight (``Verdict/holdBack``), so the slot it frees starts nothing new; `threshold`
///   strikes trip the breaker: the run stops with
///   ``TaggingError/notAnEndpoint(url:failure:calls:timeout:)`` (exit 69), naming the kind
///   seen most, instead of spending every dialogue's retries. An endpoint whose first answers
///   are all like that costs one wave of calls.
/// - Once a completion came back, a run of `threshold` failures in a row (those kinds, 5xx,
///   dropped connections) is an outage: each further failure pauses the whole run, 1 s, 2 s,
///   4 s… up to ``maxPauseSeconds``, so dialogues wait together instead of spending their
///   retries one by one. Any completion ends the outage.
///
/// ```swift
/// var health = EndpointHealth(threshold: 8, url: "http://127.0.0.1:8080/v1", timeout: 60)
/// switch health.note(.malformed(status: 200, body: "<!DOCTYPE html>…")) {
/// case .holdBack: limiter.narrow()             // 1 of 8: one call fewer in flight
/// case .carryOn: break
/// case let .pause(seconds): print(seconds)
/// case let .trip(error): print(error)
/// }
/// ```
public struct EndpointHealth: Sendable, Equatable {
    /// How an answer shows the address is not a chat-completions API.
    public enum Failure: String, Sendable, CaseIterable {
        /// A 2xx HTML page: a web server, a proxy's page, a UI rather than its API.
        case html
        /// A 2xx with nothing in it.
        case empty
        /// A 2xx that is neither HTML nor a chat completion (other JSON, plain text, truncated).
        case notACompletion = "not_a_completion"
        /// No answer within the request's timeout, the connection made or not.
        case noAnswer = "no_answer"
    }

    /// What the run does after an answer.
    public enum Verdict: Sendable, Equatable {
        case carryOn
        /// A strike, with no answer yet: one call fewer in flight until an answer comes.
        case holdBack
        /// New calls wait this many seconds (an outage after successes).
        case pause(seconds: Double)
        /// Stop the run: the endpoint is not one.
        case trip(TaggingError)
    }

    /// Strikes, with no completion yet, that stop the run; failures in a row that
    /// make an outage. A run uses its `--concurrency` (at most 8): its first wave of calls.
    public let threshold: Int
    /// The base URL, for the message.
    public let url: String
    /// Seconds a request may take, for the message.
    public let timeout: Double
    /// The longest shared pause, in seconds.
    public static let maxPauseSeconds = 30.0

    /// Whether a chat completion came back yet.
    public private(set) var answered = false
    /// Strikes per kind before the first completion.
    public private(set) var strikes: [Failure: Int] = [:]
    /// Failures in a row since the last completion, once there was one.
    public private(set) var failuresInARow = 0

    public init(threshold: Int, url: String, timeout: Double) {
        self.threshold = max(1, threshold)
        self.url = url
        self.timeout = timeout
    }

    /// The threshold of a run of `concurrency` calls in flight.
    public static func threshold(concurrency: Int) -> Int { min(max(1, concurrency), 8) }

    /// The kind of `outcome`, when it shows the address is not an API.
    public static func failure(of outcome: ChatOutcome) -> Failure? {
        switch outcome {
        case .timeout:
            return .noAnswer
        case let .malformed(_, body):
            let start = body.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
            if start.isEmpty { return .empty }
            let head = start.prefix(512).lowercased()
            if head.hasPrefix("<") || head.contains("<html") || head.contains("<!doctype") { return .html }
            return .notACompletion
        case .reply, .httpError, .connectionFailed:
            return nil
        }
    }

    /// Notes one attempt's outcome and says what the run does next.
    public mutating func note(_ outcome: ChatOutcome) -> Verdict {
        if case .reply = outcome {
            answered = true
            failuresInARow = 0
            return .carryOn
        }
        if !answered {
            guard let failure = Self.failure(of: outcome) else { return .carryOn }
            strikes[failure, default: 0] += 1
            let total = strikes.values.reduce(0, +)
            guard total >= threshold else { return .holdBack }
            // The kind seen most names the likely cause; on a tie, the latest.
            let most = strikes.filter { $0.value == strikes.values.max() }.keys
            return .trip(.notAnEndpoint(url: url, failure: most.contains(failure) ? failure : most.sorted { $0.rawValue < $1.rawValue }[0], calls: total, timeout: timeout))
        }
        guard Self.failure(of: outcome) != nil || Self.isOutage(outcome) else { return .carryOn }
        failuresInARow += 1
        guard failuresInARow >= threshold else { return .carryOn }
        let doublings = Double(min(failuresInARow - threshold, 16))
        return .pause(seconds: min(Self.maxPauseSeconds, pow2(doublings)))
    }

    /// Server errors and dropped connections: an endpoint that was there and is not now.
    /// (A 429 has its own pause, in ``AdaptiveLimiter``.)
    private static func isOutage(_ outcome: ChatOutcome) -> Bool {
        switch outcome {
        case let .httpError(status, _, _, _): return status >= 500
        case .connectionFailed: return true
        default: return false
        }
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
