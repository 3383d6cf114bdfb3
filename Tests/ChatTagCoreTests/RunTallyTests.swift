import Testing

@testable import ChatTagCore

@Suite struct RunTallyTests {
    func result(_ id: String, ok: Bool, latencyMs: Int, calls: Int = 1, model: String? = "m-1") -> TagResult {
        let call = CallRecord(
            attempt: 1, correlationID: id, startedAt: ChatTime(unixMillis: 0, offsetSeconds: 0), httpStatus: 200, outcome: ok ? .ok : .invalidReply,
            latencyMs: latencyMs, tokensIn: 10, tokensOut: 5, modelVersion: model, systemFingerprint: nil, rawReply: nil, error: nil)
        return TagResult(
            dialogueID: id, contentHash: "h", values: ok ? ["intent": "other"] : nil, error: ok ? nil : "invalid", modelVersion: model,
            systemFingerprint: nil, tokensIn: 10 * calls, tokensOut: 5 * calls, latencyMs: latencyMs, truncated: false, calls: Array(repeating: call, count: calls))
    }

    @Test func countsResultsAndGivesLatencyPercentilesOfTheTaggedOnes() {
        var tally = RunTally(model: "m", options: TaggingOptions(), cached: 7)
        for index in 1...20 { tally.absorb(result("d\(index)", ok: true, latencyMs: index * 10)) }
        tally.absorb(result("bad", ok: false, latencyMs: 9_999, calls: 2, model: "m-2"))
        let summary = tally.summary(seconds: 3.5)
        #expect(summary.tagged == 20 && summary.failed == 1 && summary.cached == 7)
        #expect(summary.calls == 22)
        #expect(summary.tokensIn == 220 && summary.tokensOut == 110)
        #expect(summary.latencyP50Ms == 110)
        #expect(summary.latencyP95Ms == 200)
        #expect(summary.modelVersions == ["m-1", "m-2"])
        #expect(summary.seconds == 3.5)
        #expect(summary.costUSD == nil)
        #expect(tally.done == 21)
    }

    @Test func theStatusSaysHowTheRunEnded() {
        var tally = RunTally(model: "m", options: TaggingOptions())
        #expect(tally.status(aborted: false) == .finished)
        #expect(tally.status(aborted: true) == .aborted)
        tally.absorb(result("bad", ok: false, latencyMs: 1))
        #expect(tally.status(aborted: false) == .finishedWithFailures)
        #expect(tally.status(aborted: true) == .aborted)
    }

    @Test func theSpendLimitIsReachedByTheTokensOfAPricedModel() {
        var options = TaggingOptions()
        options.maxCostUSD = 0.000_1
        var tally = RunTally(model: "gpt-4.1", options: options)
        // 10 input and 5 output tokens of gpt-4.1: $0.00006 a result.
        tally.absorb(result("d1", ok: true, latencyMs: 1))
        #expect(!tally.reachedCostLimit)
        tally.absorb(result("bad", ok: false, latencyMs: 1))
        #expect(tally.reachedCostLimit)
        #expect(tally.status(aborted: false) == .stoppedMaxCost)
        #expect(tally.status(aborted: true) == .aborted)
        #expect(tally.warnings(previous: nil) == ["stopped: the spend reached --max-cost $0.0001; run again with a higher limit to finish."])
    }

    @Test func warnsOnlyAboutWhatChanged() {
        var tally = RunTally(model: "m", options: TaggingOptions())
        tally.absorb(result("d1", ok: true, latencyMs: 1))
        #expect(tally.warnings(previous: nil).isEmpty)
        #expect(tally.warnings(previous: ("m-1", nil)).isEmpty)
        #expect(tally.warnings(previous: ("m-0", nil)).count == 1)
    }
}

@Suite struct PriceTableTests {
    @Test func cachedPromptTokensCostTheCachedRateWhereTheTableHasOne() {
        let prices = PriceTable()
        #expect(prices.cost(model: "gpt-4.1-mini", tokensIn: 1_000_000, tokensOut: 0, cachedTokens: 1_000_000) == 0.1)
        #expect(prices.cost(model: "gpt-4.1-mini", tokensIn: 1_000_000, tokensOut: 1_000_000) == 2.0)
        var local = PriceTable()
        local.set(model: "local", input: 1, output: 2)
        #expect(local.cost(model: "local", tokensIn: 1_000_000, tokensOut: 0, cachedTokens: 500_000) == 1.0, "no cached rate: the input rate")
        #expect(prices.cost(model: "unpriced", tokensIn: 10, tokensOut: 1, cachedTokens: 5) == nil)
    }
}
