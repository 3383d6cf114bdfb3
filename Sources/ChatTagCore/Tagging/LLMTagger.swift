import Foundation

/// Tags dialogues with an LLM behind a ``ChatTransport``: retries what is worth retrying,
/// repairs an invalid reply once, records every attempt.
public struct LLMTagger: DialogueTagger {
    public let template: PromptTemplate
    public let model: String
    public let transport: ChatTransport
    public let options: TaggingOptions
    private let filled: PromptTemplate.Filled

    public init(template: PromptTemplate, model: String, transport: ChatTransport, options: TaggingOptions) {
        filled = template.filled()
        self.template = template
        self.model = model
        self.transport = transport
        self.options = options
    }

    public var preferredExecutor: (any TaskExecutor)? { transport.preferredExecutor }

    public var callsAnEndpoint: Bool { true }

    /// Tags one dialogue: retries what is worth retrying, repairs an invalid reply once,
    /// records every attempt. Nil when the run was aborted before it finished.
    public func tag(_ dialogue: Dialogue, state: RunState, limiter: AdaptiveLimiter) async -> TagResult? {
        let (text, truncated) = DialogueRenderer(tokenBudget: options.tokenBudget).render(dialogue)
        let prompt = filled.messages(dialogue: text)
        var turns = [ChatRequest.Turn(role: "system", content: prompt.system), ChatRequest.Turn(role: "user", content: prompt.user)]
        if prompt.system.isEmpty { turns.removeFirst() }
        let parser = TagParser(taxonomy: template.taxonomy)
        var result = TagResult(
            dialogueID: dialogue.id, contentHash: dialogue.contentHash, values: nil, error: nil, modelVersion: nil, systemFingerprint: nil,
            tokensIn: 0, tokensOut: 0, latencyMs: 0, truncated: truncated, calls: [])
        var retries = 0
        var repaired = false
        var attempt = 0
        let estimated = DialogueRenderer.estimateTokens(prompt.system + prompt.user)
        while true {
            attempt += 1
            await limiter.acquire(estimatedTokens: estimated)
            // One look at the run's state once a slot is ours, so a step-down or an abort is
            // seen by every later call.
            guard let mode = state.modeUnlessAborted() else {
                limiter.release()
                return nil
            }
            let correlationID = "ct-\(dialogue.id.suffix(24))-\(attempt)-\(UInt32.random(in: 0...UInt32.max))"
            let request = ChatRequest(
                model: model, messages: turns, temperature: template.temperature, maxTokens: template.maxTokens, seed: template.seed,
                responseMode: mode, taxonomy: template.taxonomy, correlationID: correlationID)
            let startedAt = Date()
            let outcome = await transport.send(request, timeout: options.timeout)
            if case let .httpError(400, body, _, _) = outcome, mode != .none, Self.refusesResponseFormat(body) {
                state.stepDown(from: mode)
            }
            // A 429 lowers the bound and sets the pause before the slot is handed on.
            if case let .httpError(429, _, after, _) = outcome { limiter.onRateLimited(retryAfter: after) }
            if case let .reply(_, hints) = outcome {
                limiter.release(success: hints)
            } else {
                limiter.release()
            }
            let latency = Int(Date().timeIntervalSince(startedAt) * 1000)
            result.latencyMs += latency
            var call = CallRecord(
                attempt: attempt, correlationID: correlationID,
                startedAt: ChatTime(unixMillis: Int64(startedAt.timeIntervalSince1970 * 1000), offsetSeconds: 0), httpStatus: nil,
                outcome: .ok, latencyMs: latency, tokensIn: nil, tokensOut: nil, modelVersion: nil, systemFingerprint: nil, rawReply: nil, error: nil)
            var retryAfter: Double?
            switch outcome {
            case let .reply(reply, _):
                call.httpStatus = 200
                call.tokensIn = reply.tokensIn
                call.tokensOut = reply.tokensOut
                call.modelVersion = reply.modelVersion
                call.systemFingerprint = reply.systemFingerprint
                call.rawReply = reply.content
                result.tokensIn += reply.tokensIn ?? 0
                result.tokensOut += reply.tokensOut ?? 0
                result.modelVersion = reply.modelVersion
                result.systemFingerprint = reply.systemFingerprint
                switch parser.parse(reply.content) {
                case let .success(values):
                    result.calls.append(call)
                    result.values = values
                    result.error = nil
                    return result
                case let .failure(rejection):
                    call.outcome = .invalidReply
                    call.error = rejection.reason
                    result.calls.append(call)
                    if repaired {
                        result.error = "invalid reply after a repair request: \(rejection.reason)"
                        return result
                    }
                    repaired = true
                    turns.append(ChatRequest.Turn(role: "assistant", content: reply.content))
                    turns.append(ChatRequest.Turn(role: "user", content: Self.repairMessage(rejection, taxonomy: template.taxonomy)))
                    continue
                }
            case let .httpError(status, body, after, _):
                call.httpStatus = status
                call.outcome = .httpError
                call.error = Self.errorSummary(body)
                result.calls.append(call)
                if status == 400, mode != .none, Self.refusesResponseFormat(body) {
                    state.stepDown(from: mode)
                    continue
                }
                if status == 401 || status == 403 || status == 404 {
                    state.abort(.endpointRefused(status: status, message: Self.errorSummary(body)))
                    return nil
                }
                retryAfter = after
                result.error = "HTTP \(status): \(Self.errorSummary(body))"
            case let .malformed(status, body):
                call.httpStatus = status
                call.outcome = .malformed
                call.rawReply = String(body.prefix(2000))
                call.error = "the response is not a chat completion"
                result.calls.append(call)
                result.error = "malformed response from the endpoint"
            case .timeout:
                call.outcome = .timeout
                call.error = "no complete answer within \(options.timeout) s"
                result.calls.append(call)
                result.error = "timed out after \(options.timeout) s"
            case let .connectionFailed(detail):
                call.outcome = .connectionFailed
                call.error = detail
                result.calls.append(call)
                result.error = "connection failed: \(detail)"
            }
            guard RetryPolicy.isRetryable(outcome), retries < options.retry.maxRetries else {
                if case let .connectionFailed(detail) = outcome, result.calls.allSatisfy({ $0.outcome == .connectionFailed }) {
                    state.abort(.endpointUnreachable(detail))
                    return nil
                }
                return result
            }
            retries += 1
            let wait = options.retry.delay(attempt: retries, retryAfter: retryAfter)
            try? await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
        }
    }

    /// The one repair request: shows the model its own invalid reply's problem (never an
    /// endpoint error) and asks again for the bare JSON.
    static func repairMessage(_ rejection: TagParser.Rejection, taxonomy: Taxonomy) -> String {
        let fields = taxonomy.fields.map { field in
            field.isBoolean ? "\"\(field.name)\": true|false" : "\"\(field.name)\": \(field.values.map { "\"\($0)\"" }.joined(separator: "|"))"
        }.joined(separator: ", ")
        return "Ответ не принят: \(rejection.reason). Ответь только JSON-объектом вида {\(fields)} — без пояснений."
    }

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
