import Foundation
import Synchronization

/// Progress of a run, reported after each batch of results is saved.
public struct RunProgress: Sendable {
    public var done: Int
    public var total: Int
    public var failed: Int
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
    public var onProgress: @Sendable (RunProgress) -> Void = { _ in }
    public var onWarning: @Sendable (String) -> Void = { _ in }

    /// A run that asks `transport` (an OpenAI-compatible endpoint) for each tag.
    public init(template: PromptTemplate, model: String, transport: ChatTransport, store: TaggingStore, options: TaggingOptions, endpoint: String) {
        self.init(
            template: template, model: model, tagger: LLMTagger(template: template, model: model, transport: transport, options: options),
            store: store, options: options, endpoint: endpoint)
    }

    /// A run with any tagger (the offline baseline, or an LLM).
    public init(template: PromptTemplate, model: String, tagger: DialogueTagger, store: TaggingStore, options: TaggingOptions, endpoint: String) {
        self.template = template
        self.model = model
        self.tagger = tagger
        self.store = store
        self.options = options
        self.endpoint = endpoint
    }

    public var key: TagKey { options.key(template: template, model: model) }

    /// Tokens a run of `plan` would send and receive at most, and its cost when priced.
    public func estimate(_ plan: RunPlan) -> (tokensIn: Int, tokensOut: Int, costUSD: Double?) {
        let fixed = DialogueRenderer.estimateTokens(template.system + template.user + template.taxonomyText)
        let tokensIn = plan.pending * (fixed + 8) + plan.pendingTextBytes / 3 + plan.pendingMessages * 6
        let tokensOut = plan.pending * (template.maxTokens ?? 100)
        return (tokensIn, tokensOut, options.prices.cost(model: model, tokensIn: tokensIn, tokensOut: tokensOut))
    }

    /// Runs to the end (or to an abort) and returns the totals. `plan` is the store's plan for
    /// this run when the caller has already read it (it is read again otherwise). The run's
    /// tasks execute where the tagger prefers (an HTTP transport's event loop), the store's
    /// work on its own thread.
    public func run(plan: RunPlan? = nil) async throws -> (runID: Int64, summary: RunSummary) {
        try await withTaskExecutorPreference(tagger.preferredExecutor) { try await runTasks(plan: plan) }
    }

    private func runTasks(plan given: RunPlan?) async throws -> (runID: Int64, summary: RunSummary) {
        try await store.register(template)
        let key = key
        let plan: RunPlan
        if let given { plan = given } else { plan = try await store.plan(key, filter: options.filter) }
        let estimate = estimate(plan)
        if let limit = options.maxCostUSD, let cost = estimate.costUSD, cost > limit {
            throw TaggingError.costLimit(estimateUSD: cost, limitUSD: limit)
        }
        let runID = try await store.beginRun(options.runStart(template: template, model: model, endpoint: endpoint))
        let started = Date()
        var summary = RunSummary()
        summary.cached = plan.cached
        let state = RunState(mode: .jsonSchema)
        let limiter = AdaptiveLimiter(maximum: options.concurrency, requestsPerMinute: options.requestsPerMinute, tokensPerMinute: options.tokensPerMinute)
        let flushSize = max(1, min(options.concurrency, 32))
        var buffer: [TagResult] = []
        var latencies: [Int] = []
        var versions: Set<String> = []
        var fingerprints: Set<String> = []
        var lastFlush = Date()
        var spent = 0.0
        var stopForCost = false

        func flush() async throws {
            guard !buffer.isEmpty else { return }
            try await store.record(buffer, runID: runID, key: key, template: template)
            buffer.removeAll(keepingCapacity: true)
            lastFlush = Date()
            onProgress(RunProgress(done: summary.tagged + summary.failed, total: plan.pending, failed: summary.failed, elapsed: Date().timeIntervalSince(started)))
        }

        func absorb(_ result: TagResult) async throws {
            summary.calls += result.calls.count
            summary.tokensIn += result.tokensIn
            summary.tokensOut += result.tokensOut
            if result.isOK {
                summary.tagged += 1
                latencies.append(result.latencyMs)
            } else {
                summary.failed += 1
            }
            if let version = result.modelVersion { versions.insert(version) }
            if let fingerprint = result.systemFingerprint { fingerprints.insert(fingerprint) }
            if let limit = options.maxCostUSD {
                spent = options.prices.cost(model: model, tokensIn: summary.tokensIn, tokensOut: summary.tokensOut) ?? 0
                if spent >= limit { stopForCost = true }
            }
            buffer.append(result)
            if buffer.count >= flushSize || Date().timeIntervalSince(lastFlush) > 0.25 { try await flush() }
        }

        var failure: Error?
        do {
            try await withThrowingTaskGroup(of: TagResult?.self) { group in
                var inFlight = 0
                var after: String?
                var scheduled = 0
                let cap = options.filter.limit ?? Int.max
                let spacing: Duration = tagger.callsAnEndpoint ? .microseconds(Int64(max(0, options.startSpacing) * 1e6)) : .zero
                paging: while scheduled < cap {
                    // A first page of one concurrency's worth gets the first requests out sooner;
                    // later pages load while calls are in flight.
                    let pageSize = after == nil ? min(256, max(1, options.concurrency)) : 256
                    let page = try await store.pendingDialogues(key, filter: options.filter, afterID: after, limit: pageSize)
                    if page.isEmpty { break }
                    after = page.last?.id
                    for dialogue in page {
                        let aborted = state.abortReason != nil
                        if scheduled >= cap || stopForCost || aborted { break paging }
                        if inFlight >= options.concurrency * 2 {
                            if let finished = try await group.next(), let result = finished { try await absorb(result) }
                            inFlight -= 1
                        }
                        if scheduled > 0, options.concurrency > scheduled, spacing > .zero { try? await Task.sleep(for: spacing) }
                        group.addTask { await tagger.tag(dialogue, state: state, limiter: limiter) }
                        inFlight += 1
                        scheduled += 1
                    }
                }
                while let finished = try await group.next() {
                    if let result = finished { try await absorb(result) }
                }
            }
            try await flush()
        } catch {
            failure = error
            try? await flush()
        }
        summary.seconds = Date().timeIntervalSince(started)
        latencies.sort()
        if !latencies.isEmpty {
            summary.latencyP50Ms = latencies[latencies.count / 2]
            summary.latencyP95Ms = latencies[min(latencies.count - 1, latencies.count * 95 / 100)]
        }
        summary.modelVersions = versions.sorted()
        summary.costUSD = options.prices.cost(model: model, tokensIn: summary.tokensIn, tokensOut: summary.tokensOut)
        let abort = state.abortReason
        let status: RunStatus = failure != nil || abort != nil ? .aborted : (stopForCost ? .stoppedMaxCost : (summary.failed > 0 ? .finishedWithFailures : .finished))
        try? await store.finishRun(runID, summary: summary, status: status)
        if let previous = try? await store.previousAnswer(key, before: runID) {
            if let old = previous.modelVersion, !versions.isEmpty, !versions.contains(old) {
                onWarning(
                    "the model answering \(model) changed: \(old) before, \(versions.sorted().joined(separator: ", ")) now. Weekly figures across this change are not comparable.")
            }
            if let old = previous.systemFingerprint, !fingerprints.isEmpty, !fingerprints.contains(old) {
                onWarning("the system fingerprint changed: \(old) before, \(fingerprints.sorted().joined(separator: ", ")) now (the provider changed its backend).")
            }
        }
        if stopForCost, let limit = options.maxCostUSD {
            onWarning(String(format: "stopped: the spend reached --max-cost $%.4f; run again with a higher limit to finish.", limit))
        }
        if let failure { throw failure }
        if let abort { throw abort }
        return (runID, summary)
    }
}

/// What all of a run's calls share: the response mode the server accepts, and whether the
/// run must stop. A lock, not an actor: each call reads it once on its critical path.
public final class RunState: Sendable {
    private let fields: Mutex<(mode: ResponseMode, abortReason: TaggingError?)>

    /// The state of a run that starts with `mode` (a run starts at the strictest, `jsonSchema`).
    public init(mode: ResponseMode = .jsonSchema) {
        fields = Mutex((mode, nil))
    }

    /// The response mode calls use now.
    public var mode: ResponseMode { fields.withLock { $0.mode } }

    /// Why the run must stop, once it must.
    public var abortReason: TaggingError? { fields.withLock { $0.abortReason } }

    /// After a server refused `from`, use the next looser mode (once per refusal).
    public func stepDown(from refused: ResponseMode) {
        fields.withLock { fields in
            guard fields.mode == refused else { return }
            switch refused {
            case .jsonSchema: fields.mode = .jsonObject
            case .jsonObject: fields.mode = .none
            case .none: break
            }
        }
    }

    /// The mode to use, or nil when the run is aborted: one look for both.
    public func modeUnlessAborted() -> ResponseMode? {
        fields.withLock { $0.abortReason == nil ? $0.mode : nil }
    }

    /// Stops the run; the first reason given is kept.
    public func abort(_ reason: TaggingError) {
        fields.withLock { fields in
            if fields.abortReason == nil { fields.abortReason = reason }
        }
    }
}
