/// How one attempt at the endpoint ended, as stored in `llm_calls.outcome`.
public enum CallOutcome: String, Sendable, CaseIterable {
    /// A reply that reads as a valid tag (also the offline baseline's one call).
    case ok
    /// A non-2xx answer; the call's `httpStatus` says which.
    case httpError = "http_error"
    /// No complete answer within the request's deadline.
    case timeout
    /// The connection could not be made or broke before an answer.
    case connectionFailed = "connection_failed"
    /// A 2xx answer that is not a chat completion (truncated or not JSON).
    case malformed
    /// A chat completion whose content is not a valid tag.
    case invalidReply = "invalid_reply"

    /// The stored outcome of a transport's outcome; `rejected` says whether a reply failed to
    /// read as a tag.
    public init(_ outcome: ChatOutcome, rejected: Bool) {
        switch outcome {
        case .reply: self = rejected ? .invalidReply : .ok
        case .httpError: self = .httpError
        case .malformed: self = .malformed
        case .timeout: self = .timeout
        case .connectionFailed: self = .connectionFailed
        }
    }
}
