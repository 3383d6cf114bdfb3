import Testing

@testable import ChatTagCore

/// Every branch of what follows an attempt, without a server or a clock.
@Suite struct AttemptDecisionTests {
    let policy = RetryPolicy(maxRetries: 3, baseDelay: 0.5, maxDelay: 8)

    func context(mode: ResponseMode = .jsonSchema, retries: Int = 0, repaired: Bool = false, onlyConnectionFailures: Bool = false) -> AttemptDecision.Context {
        AttemptDecision.Context(
            mode: mode, retries: retries, repaired: repaired, onlyConnectionFailures: onlyConnectionFailures, policy: policy, timeout: 60, taxonomy: .default)
    }

    func decide(_ outcome: ChatOutcome, _ context: AttemptDecision.Context, random: Double = 0.5) -> AttemptDecision {
        var parsed: Result<TagValues, TagParser.Rejection>?
        if case let .reply(reply, _) = outcome { parsed = TagParser(taxonomy: .default).parse(reply.content) }
        return AttemptDecision.after(outcome, parsed: parsed, context: context, random: random)
    }

    @Test func acceptsAValidReply() {
        #expect(decide(Answer.reply(), context()) == .accept(["intent": "question", "sentiment": "neutral", "missed_lead": "true"]))
    }

    @Test func acceptsAValidReplyEvenWithNoRetriesLeftAndAfterARepair() {
        #expect(decide(Answer.reply(), context(retries: 3, repaired: true)) == .accept(["intent": "question", "sentiment": "neutral", "missed_lead": "true"]))
    }

    @Test func anInvalidReplyGetsARepairRequestNamingTheProblemAndTheFields() throws {
        let decision = decide(Answer.reply(#"{"intent":"purchase","sentiment":"neutral","missed_lead":false}"#), context())
        guard case let .repair(message) = decision else {
            Issue.record("expected a repair, got \(decision)")
            return
        }
        #expect(message.contains(#""intent" is "purchase", which is not one of booking, question, complaint, other"#))
        #expect(message.contains(#""intent": "booking"|"question"|"complaint"|"other""#))
        #expect(message.contains(#""missed_lead": true|false"#))
    }

    @Test func aSecondInvalidReplyFailsTheDialogue() {
        #expect(decide(Answer.reply("no JSON here"), context(repaired: true)) == .fail(reason: "invalid reply after a repair request: the reply contains no JSON object"))
    }

    @Test func anInvalidReplyIsRepairedEvenWithNoRetriesLeft() {
        guard case .repair = decide(Answer.reply("{}"), context(retries: 3)) else {
            Issue.record("expected a repair")
            return
        }
    }

    @Test func aReplyNotReadAsATagFails() {
        #expect(AttemptDecision.after(Answer.reply(), parsed: nil, context: context(), random: 0) == .fail(reason: "the reply was not read as a tag"))
    }

    @Test func aRetryAfterHeaderSetsTheWait() {
        #expect(decide(Answer.http(429, retryAfter: 2.5), context(), random: 0.9) == .retry(after: 2.5))
        #expect(decide(Answer.http(503, retryAfter: 0), context(retries: 2), random: 0.9) == .retry(after: 0))
    }

    @Test func aRetryAfterHeaderIsCappedAtFourTimesTheLongestBackoff() {
        #expect(decide(Answer.http(429, retryAfter: 600), context()) == .retry(after: 32))
    }

    @Test(arguments: [408, 409, 429, 500, 502, 503, 504])
    func retryableStatusesBackOffByTheJitteredExponentialStep(status: Int) {
        // Retry n waits random × min(maxDelay, baseDelay × 2^(n-1)).
        #expect(decide(Answer.http(status), context(retries: 0), random: 0.5) == .retry(after: 0.25))
        #expect(decide(Answer.http(status), context(retries: 1), random: 0.5) == .retry(after: 0.5))
        #expect(decide(Answer.http(status), context(retries: 2), random: 1) == .retry(after: 2))
        #expect(decide(Answer.http(status), context(retries: 2), random: 0) == .retry(after: 0))
    }

    @Test func theBackoffStopsGrowingAtTheLongestDelay() {
        let patient = RetryPolicy(maxRetries: 10, baseDelay: 0.5, maxDelay: 8)
        let late = AttemptDecision.Context(retries: 8, policy: patient, timeout: 60, taxonomy: .default)
        #expect(AttemptDecision.after(.timeout, parsed: nil, context: late, random: 1) == .retry(after: 8))
    }

    @Test func timeoutsMalformedAnswersAndDroppedConnectionsAreRetried() {
        #expect(decide(.timeout, context(), random: 1) == .retry(after: 0.5))
        #expect(decide(.malformed(status: 200, body: "{\"choices\":["), context(), random: 1) == .retry(after: 0.5))
        #expect(decide(.connectionFailed("reset by peer"), context(onlyConnectionFailures: true), random: 1) == .retry(after: 0.5))
    }

    @Test func exhaustedRetriesFailTheDialogueWithTheLastReason() {
        let spent = context(retries: 3)
        #expect(decide(Answer.http(503), spent) == .fail(reason: "HTTP 503: boom"))
        #expect(decide(Answer.http(429, retryAfter: 1), spent) == .fail(reason: "HTTP 429: boom"))
        #expect(decide(.timeout, spent) == .fail(reason: "timed out after 60.0 s"))
        #expect(decide(.malformed(status: 200, body: "<html>"), spent) == .fail(reason: "malformed response from the endpoint"))
        #expect(decide(.connectionFailed("reset by peer"), spent) == .fail(reason: "connection failed: reset by peer"))
    }

    @Test func aBodyThatIsNotJSONIsQuotedInTheReason() {
        #expect(decide(Answer.http(502, "Bad Gateway"), context(retries: 3)) == .fail(reason: "HTTP 502: Bad Gateway"))
    }

    @Test(arguments: [401, 403, 404])
    func aRefusedKeyModelOrAddressAbortsTheRun(status: Int) {
        let body = #"{"error":{"message":"Incorrect API key provided"}}"#
        let expected = AttemptDecision.abort(.endpointRefused(status: status, message: "Incorrect API key provided"))
        #expect(decide(Answer.http(status, body), context()) == expected)
        #expect(decide(Answer.http(status, body), context(retries: 3)) == expected)
    }

    @Test func connectionFailuresOnEveryAttemptAbortTheRunOnceRetriesAreSpent() {
        #expect(decide(.connectionFailed("connection refused"), context(retries: 3, onlyConnectionFailures: true)) == .abort(.endpointUnreachable("connection refused")))
    }

    @Test func otherClientErrorsFailAtOnce() {
        #expect(decide(Answer.http(400, #"{"error":{"message":"context length exceeded"}}"#), context()) == .fail(reason: "HTTP 400: context length exceeded"))
        #expect(decide(Answer.http(422, "unprocessable"), context()) == .fail(reason: "HTTP 422: unprocessable"))
    }

    @Test func aRefusedResponseFormatStepsDownThroughEveryModeWithoutCountingAsARetry() {
        #expect(decide(Answer.refusesFormat, context(mode: .jsonSchema)) == .stepDown(from: .jsonSchema))
        #expect(decide(Answer.refusesFormat, context(mode: .jsonObject)) == .stepDown(from: .jsonObject))
        // Nothing looser than no response_format: the 400 is the dialogue's failure.
        #expect(decide(Answer.refusesFormat, context(mode: .none)) == .fail(reason: "HTTP 400: response_format json_schema is not supported"))
        // Retries spent make no difference: a step-down is not a retry.
        #expect(decide(Answer.refusesFormat, context(mode: .jsonObject, retries: 3)) == .stepDown(from: .jsonObject))
    }

    @Test(arguments: ["response_format is not supported", "unknown json_schema", "json_object not allowed", "this model has no Structured Outputs"])
    func everyWordingOfARefusedFormatIsRecognized(message: String) {
        #expect(decide(Answer.http(400, message), context(mode: .jsonSchema)) == .stepDown(from: .jsonSchema))
    }
}
