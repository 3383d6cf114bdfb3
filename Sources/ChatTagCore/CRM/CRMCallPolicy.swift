/// What one call to the CRM came back with, as far as the next step is concerned.
public enum CRMReply: Sendable, Equatable {
    case ok
    /// HTTP 503 `QUERY_LIMIT_EXCEEDED`: the leaky bucket is full; it drains with time.
    case rateLimited
    /// `OVERLOAD_LIMIT`: REST is blocked for this webhook until support lifts it.
    case overloaded
    /// 401/403, `expired_token`, `invalid_token`, `NO_AUTH_FOUND`, `insufficient_scope`…
    case refused(code: String, status: Int)
    /// 5xx other than the rate limit, or a timeout / dropped connection.
    case transient(reason: String)
    /// The method's own error (`ERROR_CORE`, `ACCESS_DENIED` on one record…).
    case methodError(code: String, description: String)

    /// Classifies an HTTP answer from its status and the `error` field of its body
    /// (Bitrix24's documented error codes; see docs/crm.md).
    public static func classify(status: Int, error: String?, description: String?) -> CRMReply {
        let code = (error ?? "").uppercased()
        if code == "QUERY_LIMIT_EXCEEDED" { return .rateLimited }
        if code == "OVERLOAD_LIMIT" { return .overloaded }
        if ["EXPIRED_TOKEN", "INVALID_TOKEN", "NO_AUTH_FOUND", "INVALID_CREDENTIALS", "INSUFFICIENT_SCOPE", "WRONG_AUTH_TYPE", "AUTHORIZATION_ERROR"].contains(code)
            || status == 401 || status == 403
        {
            return .refused(code: error ?? "HTTP \(status)", status: status)
        }
        if status == 503 || status >= 500 || status == 429 { return .transient(reason: "HTTP \(status)" + (error.map { " \($0)" } ?? "")) }
        if let error, !error.isEmpty { return .methodError(code: error, description: description ?? "") }
        if status >= 400 { return .methodError(code: "HTTP \(status)", description: description ?? "") }
        return .ok
    }
}

/// What to do after a reply: go on, wait and call again, or stop with an error.
public enum CRMNextStep: Sendable, Equatable {
    case proceed
    case retry(afterSeconds: Double)
    case stop(CRMError)
}

/// The retry policy for CRM calls, as a pure function of the reply and the attempt: the rate
/// limit is waited out (Bitrix24's bucket drains 2 requests a second, so a wait of about a
/// second frees room), server errors are retried a few times, and refusals and overload stop
/// at once, since repeating them only makes things worse.
public struct CRMCallPolicy: Sendable, Equatable {
    /// The first wait after `QUERY_LIMIT_EXCEEDED`, seconds; doubled each time up to ``maxDelay``.
    public var baseDelay: Double
    /// The longest single wait, seconds.
    public var maxDelay: Double
    /// Waits on the rate limit before giving up.
    public var maxRateLimitWaits: Int
    /// Retries after a 5xx or a timeout before giving up.
    public var maxTransientRetries: Int

    public init(baseDelay: Double = 0.5, maxDelay: Double = 8, maxRateLimitWaits: Int = 60, maxTransientRetries: Int = 3) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRateLimitWaits = maxRateLimitWaits
        self.maxTransientRetries = maxTransientRetries
    }

    /// The step after `reply`, the `attempt`-th (1-based) reply of this kind in a row for the
    /// call. `webhook` is the masked webhook, for messages.
    public func next(after reply: CRMReply, attempt: Int, method: String, webhook: String) -> CRMNextStep {
        switch reply {
        case .ok:
            return .proceed
        case .rateLimited:
            guard attempt <= maxRateLimitWaits else { return .stop(.rateLimited(webhook: webhook, method: method, waits: maxRateLimitWaits)) }
            return .retry(afterSeconds: delay(attempt))
        case .overloaded:
            return .stop(.overloaded(webhook: webhook, method: method))
        case let .refused(code, status):
            return .stop(.refused(webhook: webhook, method: method, code: code, status: status))
        case let .transient(reason):
            guard attempt <= maxTransientRetries else { return .stop(.unreachable(webhook: webhook, method: method, reason: reason)) }
            return .retry(afterSeconds: delay(attempt))
        case let .methodError(code, description):
            return .stop(.methodFailed(method: method, code: code, description: description))
        }
    }

    /// `baseDelay · 2^(attempt-1)`, at most `maxDelay`.
    func delay(_ attempt: Int) -> Double {
        min(maxDelay, baseDelay * Double(1 << min(max(attempt - 1, 0), 16)))
    }
}
