/// `run --json`: the summary object a run ends with (the keys listed in docs/json.md under `run`).
public struct RunOutput: Encodable, Sendable, Equatable {
    public var runID: Int64
    public var tagged: Int
    public var cached: Int
    public var failed: Int
    public var calls: Int
    public var tokensIn: Int
    public var tokensOut: Int
    /// Of `tokens_in`, those the provider served from its prompt cache (billed at its cached rate).
    public var cachedTokens: Int
    /// Wall time of the run in seconds, to the millisecond.
    public var seconds: Double
    public var modelVersions: [String]
    public var model: String
    public var prompt: PromptIdentity
    @NullWhenAbsent public var costUSD: Double?
    @NullWhenAbsent public var latencyP50Ms: Int?
    @NullWhenAbsent public var latencyP95Ms: Int?

    enum CodingKeys: String, CodingKey {
        case tagged, cached, failed, calls, seconds, model, prompt
        case runID = "run_id"
        case tokensIn = "tokens_in"
        case tokensOut = "tokens_out"
        case cachedTokens = "cached_tokens"
        case modelVersions = "model_versions"
        case costUSD = "cost_usd"
        case latencyP50Ms = "latency_p50_ms"
        case latencyP95Ms = "latency_p95_ms"
    }

    public init(runID: Int64, summary: RunSummary, template: PromptTemplate, model: String) {
        self.runID = runID
        tagged = summary.tagged
        cached = summary.cached
        failed = summary.failed
        calls = summary.calls
        tokensIn = summary.tokensIn
        tokensOut = summary.tokensOut
        cachedTokens = summary.cachedTokens
        seconds = (summary.seconds * 1000).rounded() / 1000
        modelVersions = summary.modelVersions
        self.model = model
        prompt = PromptIdentity(name: template.name, version: template.version, hash: template.hash)
        costUSD = summary.costUSD
        latencyP50Ms = summary.latencyP50Ms
        latencyP95Ms = summary.latencyP95Ms
    }
}

/// Tokens a run would send and receive at most, and its cost when priced. The offline
/// baseline sends nothing: its estimate is zero and has no cost.
public struct RunEstimate: Sendable, Equatable {
    public var tokensIn: Int
    public var tokensOut: Int
    public var costUSD: Double?
}

extension TaggingRun {
    /// The run's estimate, zero for the offline baseline (it calls no endpoint).
    public func runEstimate(_ plan: RunPlan) -> RunEstimate? {
        guard tagger.callsAnEndpoint else { return nil }
        let raw = estimate(plan)
        return RunEstimate(tokensIn: raw.tokensIn, tokensOut: raw.tokensOut, costUSD: raw.costUSD)
    }

    /// The plan and the first pending dialogue's rendered prompt, calling nothing.
    public func preview() async throws -> (plan: RunPlan, estimate: RunEstimate?, dialogueID: String?, system: String, user: String, truncated: Bool) {
        let plan = try await store.plan(key, filter: options.filter)
        guard let first = try await store.pendingDialogues(key, filter: options.filter, afterID: nil, limit: 1).first else {
            return (plan, runEstimate(plan), nil, "", "", false)
        }
        let (text, truncated) = DialogueRenderer(tokenBudget: options.tokenBudget).render(first)
        let messages = template.messages(dialogue: text)
        return (plan, runEstimate(plan), first.id, messages.system, messages.user, truncated)
    }
}
