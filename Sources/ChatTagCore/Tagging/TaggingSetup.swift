/// Where a run's tags come from: `--model baseline` is the offline rule-based tagger, any
/// other model is asked through the endpoint's transport. The choice lives here, so every
/// use case that tags (run, compare, demo) makes it the same way.
public struct TaggingSetup: Sendable {
    public let store: TaggingStore
    public let options: TaggingOptions
    /// Where the endpoint is, as runs record it (`https://…/v1`); no key in it.
    public let endpointDescription: String
    /// Makes the transport for an LLM run; not called for the baseline.
    let makeTransport: @Sendable (_ concurrency: Int) -> ChatTransport

    public init(store: TaggingStore, options: TaggingOptions, endpointDescription: String, makeTransport: @escaping @Sendable (_ concurrency: Int) -> ChatTransport) {
        self.store = store
        self.options = options
        self.endpointDescription = endpointDescription
        self.makeTransport = makeTransport
    }

    /// An offline setup: only the baseline can run.
    public static func offline(store: TaggingStore, options: TaggingOptions = TaggingOptions()) -> TaggingSetup {
        TaggingSetup(store: store, options: options, endpointDescription: "offline") { _ in OfflineTransport() }
    }

    /// Runs `body` with a run of `template` × `model`; an endpoint's connections start
    /// closing when `body` returns or throws.
    public func withRun<T>(template: PromptTemplate, model: String, _ body: (TaggingRun) async throws -> T) async throws -> T {
        if model == BaselineTagger.modelName {
            guard BaselineTagger.answers(template.taxonomy) else {
                throw TaggingError.badOption(
                    "--model baseline answers the default taxonomy (intent, sentiment, missed_lead) and the rubric's; \(template.id) declares other fields. Name an LLM with --model."
                )
            }
            return try await body(
                TaggingRun(
                    template: template, model: model, tagger: BaselineTagger(taxonomy: template.taxonomy), store: store, options: options,
                    endpoint: "offline:\(BaselineTagger.version)"))
        }
        let transport = makeTransport(options.concurrency)
        defer { transport.closeConnections() }
        return try await body(TaggingRun(template: template, model: model, transport: transport, store: store, options: options, endpoint: endpointDescription))
    }
}

/// The transport of an offline setup: every call fails to connect (nothing leaves the machine).
struct OfflineTransport: ChatTransport {
    func send(_ request: ChatRequest, timeout: Double) async -> ChatOutcome {
        .connectionFailed("no endpoint: this command runs offline; use --model baseline")
    }
}
