/// What to do after one attempt at tagging a dialogue: a pure function of what came back and
/// where the dialogue's attempts stand, so the rules for retrying, repairing, stepping down
/// and aborting are tested without a server, a clock or randomness.
///
/// ```swift
/// let context = AttemptDecision.Context(policy: RetryPolicy(), timeout: 60, taxonomy: taxonomy)
/// switch AttemptDecision.after(.timeout, parsed: nil, context: context, random: 0.5) {
/// case let .retry(after: seconds): print("again in \(seconds) s")  // 0.25 s: half of the first 0.5 s step
/// default: break
/// }
/// ```
public enum AttemptDecision: Sendable, Equatable {
    /// The reply is a valid tag with these values.
    case accept(TagValues)
    /// Ask once more in the same conversation: the model's reply, then this message saying what
    /// was wrong with it.
    case repair(message: String)
    /// Send the request again after this many seconds.
    case retry(after: Double)
    /// The server refused this response mode: the run moves to the next looser one, and the
    /// request goes again at once, not counted as a retry.
    case stepDown(from: ResponseMode)
    /// Stop the whole run: the endpoint refuses the key, model or address, or cannot be reached.
    case abort(TaggingError)
    /// Give up on this dialogue; the reason is stored with its failed tag.
    case fail(reason: String)

    /// Where one dialogue's attempts stand when an answer comes back.
    public struct Context: Sendable {
        /// The response mode the attempt was sent with.
        public var mode: ResponseMode
        /// Retries already made for this dialogue (step-downs and the repair request not counted).
        public var retries: Int
        /// Whether the one repair request was already sent.
        public var repaired: Bool
        /// Whether every earlier attempt for this dialogue failed to connect (true before the first).
        public var onlyConnectionFailures: Bool
        public var policy: RetryPolicy
        /// Seconds a request may take in total, for the reason of a timed-out dialogue.
        public var timeout: Double
        /// The fields the repair message asks for.
        public var taxonomy: Taxonomy

        public init(
            mode: ResponseMode = .jsonSchema, retries: Int = 0, repaired: Bool = false, onlyConnectionFailures: Bool = true, policy: RetryPolicy,
            timeout: Double, taxonomy: Taxonomy
        ) {
            self.mode = mode
            self.retries = retries
            self.repaired = repaired
            self.onlyConnectionFailures = onlyConnectionFailures
            self.policy = policy
            self.timeout = timeout
            self.taxonomy = taxonomy
        }
    }

    /// The next step after `outcome`. `parsed` is the reply read as a tag (nil unless the
    /// outcome is a reply); `random` is a number in 0...1 that sets the backoff's jitter.
    ///
    /// - 401, 403, 404: abort with ``TaggingError/endpointRefused(status:message:)``.
    /// - A 400 that refuses `response_format` while a mode is in use: step down.
    /// - 408, 409, 429, 5xx, timeouts, malformed answers, failed connections: retry up to
    ///   ``RetryPolicy/maxRetries`` times after ``RetryPolicy/delay(attempt:retryAfter:random:)``
    ///   (`Retry-After` respected), then fail — or abort with
    ///   ``TaggingError/endpointUnreachable(_:)`` when no attempt ever connected.
    /// - An invalid reply: one repair request, then fail.
    public static func after(_ outcome: ChatOutcome, parsed: Result<TagValues, TagParser.Rejection>?, context: Context, random: Double) -> AttemptDecision {
        switch outcome {
        case .reply:
            switch parsed {
            case let .success(values)?:
                return .accept(values)
            case let .failure(rejection)?:
                if context.repaired { return .fail(reason: "invalid reply after a repair request: \(rejection.reason)") }
                return .repair(message: repairMessage(rejection, taxonomy: context.taxonomy))
            case nil:
                return .fail(reason: "the reply was not read as a tag")
            }
        case let .httpError(status, body, retryAfter, _):
            if status == 400, context.mode != .none, refusesResponseFormat(body) { return .stepDown(from: context.mode) }
            if status == 401 || status == 403 || status == 404 { return .abort(.endpointRefused(status: status, message: errorSummary(body))) }
            return retryOr(.fail(reason: "HTTP \(status): \(errorSummary(body))"), outcome, retryAfter: retryAfter, context: context, random: random)
        case .malformed:
            return retryOr(.fail(reason: "malformed response from the endpoint"), outcome, retryAfter: nil, context: context, random: random)
        case .timeout:
            return retryOr(.fail(reason: "timed out after \(context.timeout) s"), outcome, retryAfter: nil, context: context, random: random)
        case let .connectionFailed(detail):
            let giveUp: AttemptDecision = context.onlyConnectionFailures ? .abort(.endpointUnreachable(detail)) : .fail(reason: "connection failed: \(detail)")
            return retryOr(giveUp, outcome, retryAfter: nil, context: context, random: random)
        }
    }

    /// A retry while `outcome` is worth one and retries are left, else `giveUp`.
    private static func retryOr(_ giveUp: AttemptDecision, _ outcome: ChatOutcome, retryAfter: Double?, context: Context, random: Double) -> AttemptDecision {
        guard RetryPolicy.isRetryable(outcome), context.retries < context.policy.maxRetries else { return giveUp }
        return .retry(after: context.policy.delay(attempt: context.retries + 1, retryAfter: retryAfter, random: random))
    }

    /// The one repair request: shows the model its own invalid reply's problem (never an
    /// endpoint error) and asks again for the bare JSON.
    static func repairMessage(_ rejection: TagParser.Rejection, taxonomy: Taxonomy) -> String {
        let fields = taxonomy.fields.map { field in
            field.isBoolean ? "\"\(field.name)\": true|false" : "\"\(field.name)\": \(field.values.map { "\"\($0)\"" }.joined(separator: "|"))"
        }.joined(separator: ", ")
        return "Ответ не принят: \(rejection.reason). Ответь только JSON-объектом вида {\(fields)} — без пояснений."
    }

    /// Whether a 400's body says the server does not support the requested structured output.
    static func refusesResponseFormat(_ body: String) -> Bool {
        let lower = body.lowercased()
        return lower.contains("response_format") || lower.contains("json_schema") || lower.contains("json_object") || lower.contains("structured output")
    }

    /// The error message of an OpenAI-style error body, or its start.
    static func errorSummary(_ body: String) -> String {
        if let object = TagParser.extractObject(body), let message = object["error"]?["message"]?.string ?? object["message"]?.string {
            return String(message.prefix(300))
        }
        return String(body.prefix(300))
    }
}
