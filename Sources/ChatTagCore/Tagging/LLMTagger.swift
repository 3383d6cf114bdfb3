/// Tags dialogues with an LLM behind a ``ChatTransport``: retries what is worth retrying,
/// repairs an invalid reply once, records every attempt. What follows each attempt is
/// ``AttemptDecision``'s to say; this type sends, records and acts.
public struct LLMTagger: DialogueTagger {
    public let template: PromptTemplate
    public let model: String
    public let transport: ChatTransport
    public let options: TaggingOptions
    /// Where call start times, latencies and retry waits come from.
    public let clock: any Clock
    private let filled: PromptTemplate.Filled

    public init(template: PromptTemplate, model: String, transport: ChatTransport, options: TaggingOptions, clock: any Clock = SystemClock()) {
        filled = template.filled()
        self.template = template
        self.model = model
        self.transport = transport
        self.options = options
        self.clock = clock
    }

    public func host<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T { try await transport.host(work) }

    public var callsAnEndpoint: Bool { true }

    /// Tags one dialogue: retries what is worth retrying, repairs an invalid reply once,
    /// records every attempt. Nil when the run was aborted before it finished.
    public func tag(_ dialogue: Dialogue, state: RunState, limiter: AdaptiveLimiter) async -> TagResult? {
        let (text, truncated) = DialogueRenderer(tokenBudget: options.tokenBudget).render(dialogue)
        let prompt = filled.messages(dialogue: text)
        var turns = [ChatRequest.Turn(role: "system", content: prompt.system), ChatRequest.Turn(role: "user", content: prompt.user)]
        if prompt.system.isEmpty { turns.removeFirst() }
        let parser = TagParser(taxonomy: template.taxonomy)
        let estimated = DialogueRenderer.estimateTokens(prompt.system + prompt.user)
        var result = TagResult(
            dialogueID: dialogue.id, contentHash: dialogue.contentHash, values: nil, error: nil, modelVersion: nil, systemFingerprint: nil,
            tokensIn: 0, tokensOut: 0, latencyMs: 0, truncated: truncated, calls: [])
        var context = AttemptDecision.Context(policy: options.retry, timeout: options.timeout, taxonomy: template.taxonomy)
        var attempt = 0
        while true {
            attempt += 1
            await limiter.acquire(estimatedTokens: estimated)
            // One look at the run's state once a slot is ours, so a step-down or an abort is
            // seen by every later call.
            guard let mode = state.modeUnlessAborted() else {
                limiter.release()
                return nil
            }
            // One draw per attempt names the call and, should it be retried, sets the backoff's jitter.
            let draw = UInt32.random(in: 0...UInt32.max)
            let correlationID = "ct-\(dialogue.id.suffix(24))-\(attempt)-\(draw)"
            let request = ChatRequest(
                model: model, messages: turns, temperature: template.temperature, maxTokens: template.maxTokens, seed: template.seed,
                responseMode: mode, taxonomy: template.taxonomy, correlationID: correlationID)
            var asked = request
            asked.logprobs = options.logprobs
            let (outcome, parsed, call) = await send(asked, attempt: attempt, parser: parser)
            context.mode = mode
            let decision = AttemptDecision.after(outcome, parsed: parsed, context: context, random: Double(draw) / Double(UInt32.max))
            // Before the slot is handed on, so the call that takes it already uses the looser
            // mode, or sees the abort and sends nothing.
            switch decision {
            case let .stepDown(refused): state.stepDown(from: refused)
            case let .abort(reason): state.abort(reason)
            default: break
            }
            // The run's breaker sees every answer: a strike narrows the run, a trip stops it, an
            // outage pauses it.
            let verdict = state.noteHealth(outcome)
            switch verdict {
            case .holdBack: limiter.narrow()
            case let .pause(seconds): limiter.pause(seconds: seconds)
            case .carryOn, .trip: break
            }
            limiter.release(after: outcome)
            result.add(call)
            if case .trip = verdict { return nil }
            switch decision {
            case let .accept(values):
                result.values = values
                result.error = nil
                if case let .reply(reply, _) = outcome, let tokens = reply.tokens {
                    let confidence = FieldConfidence.confidences(content: reply.content, tokens: tokens, values: values, taxonomy: template.taxonomy)
                    result.confidence = confidence.isEmpty ? nil : confidence
                }
                return result
            case let .repair(message):
                // Only a reply is repaired, and its record holds its content.
                turns.append(ChatRequest.Turn(role: "assistant", content: call.rawReply ?? ""))
                turns.append(ChatRequest.Turn(role: "user", content: message))
                context.repaired = true
            case let .retry(after: seconds):
                context.retries += 1
                await clock.sleep(seconds: seconds)
            case .stepDown:
                break
            case .abort:
                return nil
            case let .fail(reason):
                result.error = reason
                return result
            }
            if case .connectionFailed = outcome {} else { context.onlyConnectionFailures = false }
        }
    }

    /// Sends one request and reads what came back: the outcome, a reply read as a tag, and the
    /// call's record with its start and latency from the clock.
    private func send(
        _ request: ChatRequest, attempt: Int, parser: TagParser
    ) async -> (outcome: ChatOutcome, parsed: Result<TagValues, TagParser.Rejection>?, call: CallRecord) {
        let startedAt = clock.nowUnixMillis()
        let started = clock.monotonicSeconds()
        let outcome = await transport.send(request, timeout: options.timeout)
        let latencyMs = Int((clock.monotonicSeconds() - started) * 1000)
        var parsed: Result<TagValues, TagParser.Rejection>?
        var rejection: TagParser.Rejection?
        if case let .reply(reply, _) = outcome {
            let reading = parser.parse(reply.content)
            if case let .failure(reason) = reading { rejection = reason }
            parsed = reading
        }
        let call = CallRecord(
            attempt: attempt, correlationID: request.correlationID, startedAt: ChatTime(unixMillis: startedAt, offsetSeconds: 0), latencyMs: latencyMs,
            outcome: outcome, rejection: rejection, timeout: options.timeout)
        return (outcome, parsed, call)
    }
}

extension TagResult {
    /// Adds an attempt: its latency, and for a reply its tokens and the model that answered.
    fileprivate mutating func add(_ call: CallRecord) {
        calls.append(call)
        latencyMs += call.latencyMs
        guard call.isReply else { return }
        tokensIn += call.tokensIn ?? 0
        tokensOut += call.tokensOut ?? 0
        cachedTokens += call.cachedTokens ?? 0
        modelVersion = call.modelVersion
        systemFingerprint = call.systemFingerprint
    }
}
