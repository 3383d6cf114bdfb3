/// Progress of a run, reported after each batch of results is saved.
public struct RunProgress: Sendable {
    /// Dialogues finished, tagged or failed.
    public var done: Int
    /// Dialogues the run set out to tag.
    public var total: Int
    public var failed: Int
    /// Seconds since the run started.
    public var elapsed: Double
}

/// One `chattag run`: tags every selected dialogue that has no `ok` tag for this prompt,
/// model and parameters yet — with bounded, adaptive concurrency, retries, one repair
/// request for an invalid reply, results saved in small transactions as they arrive (so a
/// killed run loses at most the calls in flight), and every attempt in `llm_calls`.
public struct TaggingRun: Sendable {
    public let template: PromptTemplate
    public let model: String
    public let tagger: DialogueTagger
    public let store: TaggingStore
    public let options: TaggingOptions
    public let endpoint: String
    /// Where the run's duration, the spacing of its first calls and rate-limit pauses come from.
    public let clock: any Clock
    public var onProgress: @Sendable (RunProgress) -> Void = { _ in }
    public var onWarning: @Sendable (String) -> Void = { _ in }

    /// A run that asks `transport` (an OpenAI-compatible endpoint) for each tag.
    public init(
        template: PromptTemplate, model: String, transport: ChatTransport, store: TaggingStore, options: TaggingOptions, endpoint: String,
        clock: any Clock = SystemClock()
    ) {
        self.init(
            template: template, model: model, tagger: LLMTagger(template: template, model: model, transport: transport, options: options, clock: clock),
            store: store, options: options, endpoint: endpoint, clock: clock)
    }

    /// A run with any tagger (the offline baseline, or an LLM).
    public init(
        template: PromptTemplate, model: String, tagger: DialogueTagger, store: TaggingStore, options: TaggingOptions, endpoint: String,
        clock: any Clock = SystemClock()
    ) {
        self.template = template
        self.model = model
        self.tagger = tagger
        self.store = store
        self.options = options
        self.endpoint = endpoint
        self.clock = clock
    }

    public var key: TagKey { options.key(template: template, model: model) }

    /// Tokens a run of `plan` would send and receive at most, and its cost when priced.
    public func estimate(_ plan: RunPlan) -> (tokensIn: Int, tokensOut: Int, costUSD: Double?) {
        let fixed = DialogueRenderer.estimateTokens(template.system + template.user + template.taxonomyText + DialogueFraming.notice)
        let tokensIn = plan.pending * (fixed + 8) + plan.pendingTextBytes / 3 + plan.pendingMessages * 6
        let tokensOut = plan.pending * (template.maxTokens ?? 100)
        return (tokensIn, tokensOut, options.prices.cost(model: model, tokensIn: tokensIn, tokensOut: tokensOut))
    }

    /// Runs to the end (or to an abort) and returns the totals. `plan` is the store's plan for
    /// this run when the caller has already read it (it is read again otherwise). The run's
    /// tasks execute where the tagger's transport hosts them (an HTTP transport: its event
    /// loop), the store's work on its own thread.
    public func run(plan: RunPlan? = nil) async throws -> (runID: Int64, summary: RunSummary) {
        let outcome = try await tagger.host { try await RunOutcome(runTasks(plan: plan)) }
        return (outcome.runID, outcome.summary)
    }

    /// Plans, tags what is pending while saving results, then finishes the run in the store
    /// and warns about what changed since the last run.
    private func runTasks(plan given: RunPlan?) async throws -> (runID: Int64, summary: RunSummary) {
        try await store.register(template)
        let key = key
        let plan: RunPlan
        if let given { plan = given } else { plan = try await store.plan(key, filter: options.filter) }
        if let limit = options.maxCostUSD, let cost = estimate(plan).costUSD, cost > limit {
            throw TaggingError.costLimit(estimateUSD: cost, limitUSD: limit)
        }
        let runID = try await store.beginRun(options.runStart(template: template, model: model, endpoint: endpoint))
        let started = clock.monotonicSeconds()
        let health = EndpointHealth(threshold: EndpointHealth.threshold(concurrency: options.concurrency), url: endpoint, timeout: options.timeout)
        let state = RunState(mode: .jsonSchema, health: tagger.callsAnEndpoint ? health : nil)
        var tally = RunTally(model: model, options: options, cached: plan.cached, taxonomy: template.taxonomy)
        var recorder = ResultRecorder(
            store: store, runID: runID, key: key, template: template, batchSize: min(options.concurrency, 32), clock: clock)
        let reportProgress = {
            onProgress(RunProgress(done: tally.done, total: plan.pending, failed: tally.counts.failed, elapsed: clock.monotonicSeconds() - started))
        }

        var failure: Error?
        do {
            try await tagPending(state: state) { result in
                tally.absorb(result)
                if try await recorder.add(result) { reportProgress() }
                return !tally.reachedCostLimit
            }
            if try await recorder.flush() { reportProgress() }
        } catch {
            failure = error
            if (try? await recorder.flush()) == true { reportProgress() }
        }
        let summary = tally.summary(seconds: clock.monotonicSeconds() - started)
        let abort = state.abortReason
        try? await store.finishRun(runID, summary: summary, status: tally.status(aborted: failure != nil || abort != nil))
        let previous = try? await store.previousAnswer(key, before: runID)
        for warning in tally.warnings(previous: previous) { onWarning(warning) }
        if let failure { throw failure }
        if let abort { throw abort }
        return (runID, summary)
    }

    /// Starts a tagging task per pending dialogue, page by page in id order, with at most twice
    /// the concurrency in flight (the limiter bounds the calls), and hands each finished result
    /// to `absorb`. Stops starting tasks at `--limit`, when the run is aborted, or once `absorb`
    /// returns false (the spend limit); the tasks started still finish and are absorbed, unless
    /// the run was aborted: then they are cancelled.
    private func tagPending(state: RunState, absorb: (TagResult) async throws -> Bool) async throws {
        let limiter = AdaptiveLimiter(
            maximum: options.concurrency, requestsPerMinute: options.requestsPerMinute, tokensPerMinute: options.tokensPerMinute, clock: clock)
        let cap = options.filter.limit ?? Int.max
        let spacing = tagger.callsAnEndpoint ? max(0, options.startSpacing) : 0
        try await withThrowingTaskGroup(of: TagResult?.self) { group in
            var inFlight = 0
            var after: String?
            var scheduled = 0
            var keepGoing = true
            paging: while scheduled < cap {
                // A first page of one concurrency's worth gets the first requests out sooner;
                // later pages load while calls are in flight.
                let pageSize = after == nil ? min(256, max(1, options.concurrency)) : 256
                let page = try await store.pendingDialogues(key, filter: options.filter, afterID: after, limit: pageSize)
                if page.isEmpty { break }
                after = page.last?.id
                for dialogue in page {
                    if scheduled >= cap || !keepGoing || state.abortReason != nil { break paging }
                    if inFlight >= options.concurrency * 2 {
                        if let finished = try await group.next(), let result = finished { keepGoing = try await absorb(result) }
                        inFlight -= 1
                    }
                    if scheduled > 0, options.concurrency > scheduled, spacing > 0 { await clock.sleep(seconds: spacing) }
                    group.addTask { await tagger.tag(dialogue, state: state, limiter: limiter) }
                    inFlight += 1
                    scheduled += 1
                }
            }
            // An aborted run (a refused key, a tripped breaker) does not wait out the calls on
            // their way: they are cancelled, and their dialogues stay pending for the next run.
            while true {
                if state.abortReason != nil { group.cancelAll() }
                guard let finished = try await group.next() else { break }
                if let result = finished { _ = try await absorb(result) }
            }
        }
    }
}

/// A run's result as one Sendable value, to cross the transport's host.
struct RunOutcome: Sendable {
    var runID: Int64
    var summary: RunSummary

    init(_ result: (runID: Int64, summary: RunSummary)) {
        runID = result.runID
        summary = result.summary
    }
}
