extension CallRecord {
    /// The audit record of one attempt at the endpoint: what came back and, for a reply,
    /// why it was not a valid tag (`rejection`). `timeout` is the request's deadline in seconds.
    init(
        attempt: Int, correlationID: String, startedAt: ChatTime, latencyMs: Int, outcome: ChatOutcome, rejection: TagParser.Rejection?,
        timeout: Double
    ) {
        self.init(
            attempt: attempt, correlationID: correlationID, startedAt: startedAt, httpStatus: nil, outcome: CallOutcome(outcome, rejected: rejection != nil),
            latencyMs: latencyMs, tokensIn: nil, tokensOut: nil, modelVersion: nil, systemFingerprint: nil, rawReply: nil, error: nil)
        switch outcome {
        case let .reply(reply, _):
            httpStatus = 200
            tokensIn = reply.tokensIn
            tokensOut = reply.tokensOut
            cachedTokens = reply.cachedTokens
            modelVersion = reply.modelVersion
            systemFingerprint = reply.systemFingerprint
            rawReply = reply.content
            error = rejection?.reason
        case let .httpError(status, body, _, _):
            httpStatus = status
            error = AttemptDecision.errorSummary(body)
        case let .malformed(status, body):
            httpStatus = status
            rawReply = String(body.prefix(2000))
            error = "the response is not a chat completion"
        case .timeout:
            error = "no complete answer within \(timeout) s"
        case let .connectionFailed(detail):
            error = detail
        }
    }

    /// Whether the endpoint answered with a chat completion (valid as a tag or not).
    var isReply: Bool { outcome == .ok || outcome == .invalidReply }
}
