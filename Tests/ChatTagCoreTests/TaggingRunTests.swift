import Testing

@testable import ChatTagCore

/// Whole runs in memory: a scripted endpoint, a store in memory and a clock whose sleeps cost
/// nothing.
@Suite struct TaggingRunTests {
    let template: PromptTemplate
    let clock = TestClock()

    init() throws {
        template = try PromptLibrary(directories: []).template("tagging@1")
    }

    func makeRun(
        _ transport: ScriptedTransport, store: MemoryTaggingStore, model: String = "m", concurrency: Int = 2, configure: (inout TaggingOptions) -> Void = { _ in }
    ) -> TaggingRun {
        var options = TaggingOptions()
        options.concurrency = concurrency
        options.retry = RetryPolicy(maxRetries: 2, baseDelay: 0.5, maxDelay: 8)
        configure(&options)
        return TaggingRun(template: template, model: model, transport: transport, store: store, options: options, endpoint: "test", clock: clock)
    }

    @Test func tagsEveryPendingDialogueSavesThemAndFinishes() async throws {
        let store = MemoryTaggingStore(dialogues: (1...5).map(Dialogue.question))
        let transport = ScriptedTransport([], otherwise: Answer.reply(), clock: clock, callSeconds: 0.25)
        let progress = Locked<[RunProgress]>([])
        var run = makeRun(transport, store: store, concurrency: 1)
        run.onProgress = { report in progress.withLock { $0.append(report) } }
        let (runID, summary) = try await run.run()
        #expect(runID == 1)
        #expect(summary.tagged == 5 && summary.failed == 0 && summary.cached == 0)
        #expect(summary.calls == 5)
        #expect(summary.tokensIn == 50 && summary.tokensOut == 25)
        #expect(summary.modelVersions == ["m-1"])
        #expect(summary.latencyP50Ms == 250 && summary.latencyP95Ms == 250)
        // One call at a time, 0.25 s each, and no spacing at concurrency 1.
        #expect(summary.seconds == 1.25)
        #expect(clock.sleeps.isEmpty)
        #expect(store.results.map(\.dialogueID).sorted() == ["d001", "d002", "d003", "d004", "d005"])
        #expect(store.runs.map(\.status) == [.finished])
        #expect(store.runs.first?.summary == summary)
        #expect(progress.withLock { $0.last?.done } == 5)
        #expect(progress.withLock { $0.last?.elapsed } == 1.25)
        #expect(transport.requests.count == 5)
    }

    @Test func aSecondRunFindsNothingPendingAndCountsTheCachedTags() async throws {
        let store = MemoryTaggingStore(dialogues: (1...3).map(Dialogue.question))
        let transport = ScriptedTransport([], otherwise: Answer.reply())
        _ = try await makeRun(transport, store: store).run()
        let (_, summary) = try await makeRun(transport, store: store).run()
        #expect(summary.cached == 3 && summary.tagged == 0 && summary.calls == 0)
        #expect(transport.requests.count == 3)
    }

    @Test func theFirstCallsAreSpacedOnTheClock() async throws {
        let store = MemoryTaggingStore(dialogues: (1...8).map(Dialogue.question))
        let run = makeRun(ScriptedTransport([], otherwise: Answer.reply()), store: store, concurrency: 4) { $0.startSpacing = 0.04 }
        let (_, summary) = try await run.run()
        #expect(summary.tagged == 8)
        // Between the starts of the first four calls, and not after.
        #expect(clock.sleeps == [0.04, 0.04, 0.04])
    }

    @Test func failedDialoguesAreRecordedAndTheRunFinishesWithFailures() async throws {
        let store = MemoryTaggingStore(dialogues: (1...4).map(Dialogue.question))
        let transport = ScriptedTransport([], otherwise: Answer.http(400, #"{"error":{"message":"context length exceeded"}}"#))
        let (_, summary) = try await makeRun(transport, store: store).run()
        #expect(summary.tagged == 0 && summary.failed == 4 && summary.calls == 4)
        #expect(summary.latencyP50Ms == nil)
        #expect(store.results.allSatisfy { $0.status == .failed && $0.error == "HTTP 400: context length exceeded" })
        #expect(store.runs.map(\.status) == [.finishedWithFailures])
    }

    @Test func aRefusedKeyAbortsTheRunAfterOneCallAndSavesItsStatus() async throws {
        let store = MemoryTaggingStore(dialogues: (1...6).map(Dialogue.question))
        let transport = ScriptedTransport([], otherwise: Answer.http(401, #"{"error":{"message":"Incorrect API key provided"}}"#))
        await #expect(throws: TaggingError.endpointRefused(status: 401, message: "Incorrect API key provided")) {
            try await makeRun(transport, store: store, concurrency: 1).run()
        }
        #expect(transport.requests.count == 1)
        #expect(store.runs.map(\.status) == [.aborted])
        #expect(store.results.isEmpty)
    }

    @Test func anUnreachableEndpointAbortsTheRun() async throws {
        let store = MemoryTaggingStore(dialogues: [Dialogue.question(1)])
        let transport = ScriptedTransport([], otherwise: .connectionFailed("connection refused"))
        await #expect(throws: TaggingError.endpointUnreachable("connection refused")) {
            try await makeRun(transport, store: store, concurrency: 1).run()
        }
        // One dialogue's attempts: the first and two retries.
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps.count == 2)
        #expect(store.runs.map(\.status) == [.aborted])
    }

    @Test func anHTMLPageInsteadOfAnAPIStopsTheRunAfterTheFirstWaveOfCalls() async throws {
        let store = MemoryTaggingStore(dialogues: (1...20).map(Dialogue.question))
        let transport = ScriptedTransport([], otherwise: .malformed(status: 200, body: "<html><body>Welcome to nginx!</body></html>"))
        await #expect(throws: TaggingError.notAnEndpoint(url: "test", failure: .html, calls: 4, timeout: 60)) {
            try await makeRun(transport, store: store, concurrency: 4) { $0.retry.maxRetries = 5 }.run()
        }
        // Each such answer takes its slot away, so the four calls of the first wave are all.
        #expect(transport.requests.count == 4, "\(transport.requests.count) calls")
        #expect(store.runs.map(\.status) == [.aborted])
        #expect(store.results.isEmpty)
    }

    @Test func anEndpointThatNeverAnswersStopsTheRunAfterOneTimeoutPerSlot() async throws {
        let store = MemoryTaggingStore(dialogues: (1...20).map(Dialogue.question))
        let transport = ScriptedTransport([], otherwise: .timeout, clock: clock, callSeconds: 2)
        let started = clock.monotonicSeconds()
        await #expect(throws: TaggingError.notAnEndpoint(url: "test", failure: .noAnswer, calls: 2, timeout: 2)) {
            try await makeRun(transport, store: store, concurrency: 2) {
                $0.timeout = 2
                $0.retry.maxRetries = 5
            }.run()
        }
        #expect(transport.requests.count == 2)
        // Not 20 dialogues × 6 attempts × 2 s.
        #expect(clock.monotonicSeconds() - started < 10)
    }

    @Test func anOutageAfterSuccessesPausesTheWholeRunAndItFinishesWhenTheEndpointIsBack() async throws {
        let store = MemoryTaggingStore(dialogues: (1...10).map(Dialogue.question))
        let script = [Answer.reply(), Answer.reply(), Answer.reply()] + Array(repeating: Answer.http(503), count: 6)
        let transport = ScriptedTransport(script, otherwise: Answer.reply())
        let (_, summary) = try await makeRun(transport, store: store, concurrency: 1) {
            $0.retry = RetryPolicy(maxRetries: 6, baseDelay: 0.5, maxDelay: 4)
        }.run()
        #expect(summary.tagged == 10 && summary.failed == 0)
        #expect(summary.calls == 16)
        // Retries wait 4 s at most; the longer waits are the run's shared pause (1, 2, 4 … 30 s).
        #expect(clock.sleeps.contains { $0 > 20 }, "\(clock.sleeps)")
        #expect(clock.sleeps.filter { $0 > 4 }.count >= 3, "\(clock.sleeps)")
    }

    @Test func theRunStopsSchedulingOnceTheSpendReachesTheLimit() async throws {
        let store = MemoryTaggingStore(dialogues: (1...10).map(Dialogue.question))
        // 100,000 input tokens of gpt-4.1 cost $0.20 a dialogue.
        let transport = ScriptedTransport([], otherwise: Answer.reply(tokensIn: 100_000, tokensOut: 0))
        let warnings = Locked<[String]>([])
        var run = makeRun(transport, store: store, model: "gpt-4.1", concurrency: 1) { $0.maxCostUSD = 0.5 }
        run.onWarning = { warning in warnings.withLock { $0.append(warning) } }
        let (_, summary) = try await run.run()
        // The third result reaches $0.60 while two more are already started (twice the concurrency in flight).
        #expect(summary.tagged == 5)
        #expect(transport.requests.count == 5)
        #expect(store.runs.map(\.status) == [.stoppedMaxCost])
        #expect(warnings.withLock { $0 } == ["stopped: the spend reached --max-cost $0.5000; run again with a higher limit to finish."])
    }

    @Test func aRunEstimatedOverTheLimitDoesNotStart() async throws {
        let store = MemoryTaggingStore(dialogues: (1...3).map(Dialogue.question))
        let transport = ScriptedTransport([], otherwise: Answer.reply())
        await #expect(throws: TaggingError.self) {
            try await makeRun(transport, store: store, model: "gpt-4.1") { $0.maxCostUSD = 0.000_001 }.run()
        }
        #expect(store.runs.isEmpty)
        #expect(transport.requests.isEmpty)
    }

    @Test func aChangedModelAndFingerprintAreWarnedAbout() async throws {
        let store = MemoryTaggingStore(dialogues: [Dialogue.question(1)], previous: ("m-0", "fp-0"))
        let warnings = Locked<[String]>([])
        var run = makeRun(ScriptedTransport([], otherwise: Answer.reply(fingerprint: "fp-1")), store: store)
        run.onWarning = { warning in warnings.withLock { $0.append(warning) } }
        _ = try await run.run()
        #expect(
            warnings.withLock { $0 } == [
                "the model answering m changed: m-0 before, m-1 now. Weekly figures across this change are not comparable.",
                "the system fingerprint changed: fp-0 before, fp-1 now (the provider changed its backend).",
            ])
    }

    @Test func theBaselineTagsOfflineWithTimesFromTheClock() async throws {
        let store = MemoryTaggingStore(dialogues: (1...3).map(Dialogue.question))
        let run = TaggingRun(
            template: template, model: BaselineTagger.modelName, tagger: BaselineTagger(clock: clock), store: store, options: TaggingOptions(),
            endpoint: "offline", clock: clock)
        let (_, summary) = try await run.run()
        #expect(summary.tagged == 3 && summary.seconds == 0)
        #expect(store.results.flatMap(\.calls).allSatisfy { $0.outcome == .ok && $0.latencyMs == 0 && $0.startedAt.unixMillis == clock.nowUnixMillis() })
        // The baseline calls no endpoint: its first tags are not spaced out.
        #expect(clock.sleeps.isEmpty)
    }
}
