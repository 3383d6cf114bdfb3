/// How a run calls the endpoint.
public struct TaggingOptions: Sendable {
    /// Calls in flight at most.
    public var concurrency = 8
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    /// Seconds one request may take in total.
    public var timeout = 60.0
    public var retry = RetryPolicy()
    public var filter = DialogueFilter()
    /// Tokens the rendered dialogue may take in the prompt.
    public var tokenBudget = 3000
    /// Refuse a run estimated above, and stop one whose spend reaches, this many USD.
    public var maxCostUSD: Double?
    public var prices = PriceTable()
    /// Seconds between the starts of a run's first `concurrency` calls to an endpoint. They
    /// reach the server as a short ramp (45 ms at 64) rather than one burst, so their answers
    /// stay spread over the latency instead of all arriving together, each round, to be handled
    /// one after another. 0 starts them all at once.
    public var startSpacing = 0.0007
    /// Ask the server for log-probabilities (`logprobs`, `top_logprobs`) and keep a confidence
    /// per field (``FieldConfidence``). Off by default: some models refuse the parameter.
    public var logprobs = false

    public init() {}

    /// The cache key of tags made by `model` with `template` under these options.
    public func key(template: PromptTemplate, model: String) -> TagKey {
        TagKey(promptHash: template.hash, model: model, paramsHash: Digest.sha256Hex(paramsDescription(template, model: model)))
    }

    /// How a run is described in `runs` (its parameters hash has its own column).
    public func runStart(template: PromptTemplate, model: String, endpoint: String) -> RunStart {
        let json = "{\"params\":\"\(paramsDescription(template, model: model))\",\"concurrency\":\(concurrency),\"timeout\":\(timeout),\"max_retries\":\(retry.maxRetries)}"
        return RunStart(template: template, model: model, paramsJSON: json, paramsHash: key(template: template, model: model).paramsHash, endpoint: endpoint)
    }

    /// The parameters that change what the model answers; they are part of the cache key.
    public func paramsDescription(_ template: PromptTemplate, model: String = "") -> String {
        var parts: [String] = []
        if model == BaselineTagger.modelName { parts.append("tagger=\(BaselineTagger.version)") }
        parts.append("temperature=\(template.temperature.map { String($0) } ?? "default")")
        parts.append("max_tokens=\(template.maxTokens.map(String.init) ?? "default")")
        parts.append("seed=\(template.seed.map(String.init) ?? "none")")
        parts.append("token_budget=\(tokenBudget)")
        parts.append("renderer=\(DialogueFraming.version)")
        return parts.joined(separator: ";")
    }
}
