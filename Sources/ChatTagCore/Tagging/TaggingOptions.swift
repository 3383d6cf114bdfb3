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

    public init() {}

    /// The parameters that change what the model answers; they are part of the cache key.
    public func paramsDescription(_ template: PromptTemplate, model: String = "") -> String {
        var parts: [String] = []
        if model == BaselineTagger.modelName { parts.append("tagger=\(BaselineTagger.version)") }
        parts.append("temperature=\(template.temperature.map { String($0) } ?? "default")")
        parts.append("max_tokens=\(template.maxTokens.map(String.init) ?? "default")")
        parts.append("seed=\(template.seed.map(String.init) ?? "none")")
        parts.append("token_budget=\(tokenBudget)")
        parts.append("renderer=1")
        return parts.joined(separator: ";")
    }
}
