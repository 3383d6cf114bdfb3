import Testing

@testable import ChatTagCore

/// The tagger against an endpoint in memory and a clock whose sleeps cost nothing: what it
/// sends, records and waits after each kind of answer.
@Suite struct LLMTaggerTests {
    let template: PromptTemplate
    let clock = TestClock()
    let dialogue = Dialogue.question(1)

    init() throws {
        template = try PromptLibrary(directories: []).template("tagging@1")
    }

    func tagger(_ transport: ScriptedTransport, maxRetries: Int = 3) -> LLMTagger {
        var options = TaggingOptions()
        options.retry = RetryPolicy(maxRetries: maxRetries, baseDelay: 0.5, maxDelay: 8)
        return LLMTagger(template: template, model: "m", transport: transport, options: options, clock: clock)
    }

    func limiter(maximum: Int = 4) -> AdaptiveLimiter {
        AdaptiveLimiter(maximum: maximum, clock: clock)
    }

    @Test func aRetryThenASuccessRecordsBothCalls() async throws {
        let transport = ScriptedTransport([Answer.http(503), Answer.reply()])
        let result = try #require(await tagger(transport).tag(dialogue, state: RunState(), limiter: limiter()))
        #expect(result.values == ["intent": "question", "sentiment": "neutral", "missed_lead": "true"])
        #expect(result.error == nil)
        #expect(result.calls.map(\.outcome) == [.httpError, .ok])
        #expect(result.calls.map(\.attempt) == [1, 2])
        #expect(result.calls.map(\.httpStatus) == [503, 200])
        #expect(result.calls[0].error == "boom")
        #expect(result.calls[1].rawReply == Answer.validContent)
        #expect(result.tokensIn == 10 && result.tokensOut == 5)
        #expect(result.modelVersion == "m-1")
        #expect(transport.requests.count == 2)
        #expect(transport.requests.map(\.correlationID).allSatisfy { $0.hasPrefix("ct-d001-") })
        #expect(transport.requests[0].correlationID.hasPrefix("ct-d001-1-") && transport.requests[1].correlationID.hasPrefix("ct-d001-2-"))
        // One jittered wait within the first backoff step.
        let sleeps = clock.sleeps
        try #require(sleeps.count == 1)
        #expect(sleeps[0] >= 0 && sleeps[0] <= 0.5)
    }

    @Test func eachCallsStartAndLatencyComeFromTheClock() async throws {
        let transport = ScriptedTransport([Answer.http(500), Answer.reply()], clock: clock, callSeconds: 0.25)
        let startedAt = clock.nowUnixMillis()
        let result = try #require(await tagger(transport).tag(dialogue, state: RunState(), limiter: limiter()))
        #expect(result.calls.map(\.latencyMs) == [250, 250])
        #expect(result.latencyMs == 500)
        #expect(result.calls[0].startedAt.unixMillis == startedAt)
        // The second call starts after the first call and the wait before it.
        let expected = startedAt + 250 + Int64((clock.sleeps[0] * 1000).rounded())
        #expect(abs(result.calls[1].startedAt.unixMillis - expected) <= 1)
    }

    @Test func theRepairRequestShowsTheModelItsReplyAndTheProblem() async throws {
        let invalid = #"{"intent":"purchase","sentiment":"neutral","missed_lead":false}"#
        let transport = ScriptedTransport([Answer.reply(invalid), Answer.reply()])
        let result = try #require(await tagger(transport).tag(dialogue, state: RunState(), limiter: limiter()))
        #expect(result.isOK)
        #expect(result.calls.map(\.outcome) == [.invalidReply, .ok])
        let problem = #""intent" is "purchase", which is not one of booking, question, complaint, other"#
        #expect(result.calls[0].error == problem)
        #expect(result.calls[0].rawReply == invalid)
        let requests = transport.requests
        try #require(requests.count == 2)
        let first = requests[0].messages
        let second = requests[1].messages
        #expect(second.count == first.count + 2)
        #expect(Array(second.prefix(first.count)) == first)
        #expect(second[first.count] == ChatRequest.Turn(role: "assistant", content: invalid))
        #expect(second[first.count + 1].role == "user")
        #expect(second[first.count + 1].content.contains(problem))
        #expect(clock.sleeps.isEmpty)
        #expect(result.tokensIn == 20)
    }

    @Test func aSecondInvalidReplyFailsTheDialogueAfterOneRepair() async throws {
        let transport = ScriptedTransport([Answer.reply("sorry, I cannot"), Answer.reply("still no"), Answer.reply()])
        let result = try #require(await tagger(transport).tag(dialogue, state: RunState(), limiter: limiter()))
        #expect(!result.isOK)
        #expect(result.status == .failed)
        #expect(result.error == "invalid reply after a repair request: the reply contains no JSON object")
        #expect(result.calls.map(\.outcome) == [.invalidReply, .invalidReply])
        #expect(transport.requests.count == 2)
    }

    @Test func aRefusedResponseFormatStepsTheRunDownAndTheNextRequestUsesTheLooserMode() async throws {
        let transport = ScriptedTransport([Answer.refusesFormat, Answer.refusesFormat, Answer.reply()])
        let state = RunState()
        // No retries at all: step-downs are not retries.
        let result = try #require(await tagger(transport, maxRetries: 0).tag(dialogue, state: state, limiter: limiter()))
        #expect(result.isOK)
        #expect(transport.requests.map(\.responseMode) == [.jsonSchema, .jsonObject, .none])
        #expect(state.mode == .none)
        #expect(result.calls.map(\.outcome) == [.httpError, .httpError, .ok])
        #expect(clock.sleeps.isEmpty)
    }

    @Test func aDialogueStartedAfterAStepDownUsesTheLooserModeAtOnce() async throws {
        let state = RunState()
        state.stepDown(from: .jsonSchema)
        let transport = ScriptedTransport([Answer.reply()])
        _ = await tagger(transport).tag(dialogue, state: state, limiter: limiter())
        #expect(transport.requests.map(\.responseMode) == [.jsonObject])
    }

    @Test func a429WithRetryAfterMakesTheClockSleepThatLong() async throws {
        let transport = ScriptedTransport([Answer.http(429, retryAfter: 2.5), Answer.reply()])
        let limiter = limiter(maximum: 4)
        let result = try #require(await tagger(transport).tag(dialogue, state: RunState(), limiter: limiter))
        #expect(result.isOK)
        // The tagger's wait; the limiter's pause for the same 2.5 s has passed by then.
        #expect(clock.sleeps == [2.5])
        // Halved by the 429, one back for the success.
        #expect(limiter.limit == 3)
        #expect(limiter.inFlight == 0)
    }

    @Test func aRefusedKeyAbortsTheRunAndNoFurtherCallIsMade() async throws {
        let transport = ScriptedTransport([Answer.http(401, #"{"error":{"message":"Incorrect API key provided"}}"#)], otherwise: Answer.reply())
        let state = RunState()
        let limiter = limiter()
        let tagger = tagger(transport)
        #expect(await tagger.tag(dialogue, state: state, limiter: limiter) == nil)
        #expect(state.abortReason == .endpointRefused(status: 401, message: "Incorrect API key provided"))
        #expect(await tagger.tag(Dialogue.question(2), state: state, limiter: limiter) == nil)
        #expect(transport.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
        #expect(limiter.inFlight == 0)
    }

    @Test func aCallWaitingForASlotSeesTheAbortAndSendsNothing() async throws {
        let transport = ScriptedTransport([Answer.http(403)], otherwise: Answer.reply())
        let state = RunState()
        let limiter = limiter(maximum: 1)
        let tagger = tagger(transport)
        let results = await withTaskGroup(of: TagResult?.self) { group in
            for number in 1...4 { group.addTask { await tagger.tag(Dialogue.question(number), state: state, limiter: limiter) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == nil })
        #expect(transport.requests.count == 1)
    }

    @Test func connectionFailuresOnEveryAttemptAbortTheRunAsUnreachable() async throws {
        let transport = ScriptedTransport([], otherwise: .connectionFailed("connection refused"))
        let state = RunState()
        #expect(await tagger(transport, maxRetries: 2).tag(dialogue, state: state, limiter: limiter()) == nil)
        #expect(state.abortReason == .endpointUnreachable("connection refused"))
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps.count == 2)
    }

    @Test func aConnectionLostAfterTheServerAnsweredFailsOnlyTheDialogue() async throws {
        let transport = ScriptedTransport([Answer.http(503)], otherwise: .connectionFailed("reset by peer"))
        let state = RunState()
        let result = try #require(await tagger(transport, maxRetries: 2).tag(dialogue, state: state, limiter: limiter()))
        #expect(result.error == "connection failed: reset by peer")
        #expect(result.calls.map(\.outcome) == [.httpError, .connectionFailed, .connectionFailed])
        #expect(state.abortReason == nil)
    }

    @Test func exhaustedRetriesFailTheDialogueAfterBackingOffEachTime() async throws {
        let transport = ScriptedTransport([], otherwise: .timeout)
        let result = try #require(await tagger(transport, maxRetries: 3).tag(dialogue, state: RunState(), limiter: limiter()))
        #expect(result.error == "timed out after 60.0 s")
        #expect(result.calls.map(\.outcome) == [.timeout, .timeout, .timeout, .timeout])
        #expect(result.calls[0].error == "no complete answer within 60.0 s")
        let sleeps = clock.sleeps
        try #require(sleeps.count == 3)
        // Retry n waits at most 0.5 × 2^(n-1) s.
        for (index, sleep) in sleeps.enumerated() { #expect(sleep >= 0 && sleep <= 0.5 * Double(1 << index)) }
    }

    @Test func aMalformedAnswerIsRecordedWithItsBodyAndRetried() async throws {
        let transport = ScriptedTransport([.malformed(status: 200, body: #"{"choices":["#), Answer.reply()])
        let result = try #require(await tagger(transport).tag(dialogue, state: RunState(), limiter: limiter()))
        #expect(result.isOK)
        #expect(result.calls[0].outcome == .malformed)
        #expect(result.calls[0].rawReply == #"{"choices":["#)
        #expect(result.calls[0].error == "the response is not a chat completion")
    }
}
