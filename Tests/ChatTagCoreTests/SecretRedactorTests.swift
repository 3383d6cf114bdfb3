import Testing

@testable import ChatTagCore

/// What looks like a key leaves a server's words; everything else stays as it was.
@Suite struct SecretRedactorTests {
    let redactor = SecretRedactor(apiKey: "local-key-0123456789")

    @Test(arguments: [
        ("Incorrect API key provided: local-key-0123456789.", "Incorrect API key provided: [API_KEY]."),
        ("Authorization: Bearer local-key-0123456789", "Authorization: Bearer [API_KEY]"),
        ("header was 'bearer   eyJhbGciOi.J9.eyJzdWIi+/='", "header was 'bearer   [API_KEY]'"),
        ("key sk-proj-AbC123_xyz-789 is invalid", "key [API_KEY] is invalid"),
        ("masked: sk-abc1****************wxyz", "masked: [API_KEY]"),
        ("{\"error\":{\"message\":\"You passed SK-LIVE-0000111122223333\"}}", "{\"error\":{\"message\":\"You passed [API_KEY]\"}}"),
        ("twice: local-key-0123456789 and local-key-0123456789", "twice: [API_KEY] and [API_KEY]"),
    ])
    func keyShapedPartsAreReplaced(text: String, expected: String) {
        #expect(redactor.redact(text) == expected)
    }

    @Test(arguments: [
        #"{"intent":"booking","sentiment":"neutral","missed_lead":false}"#,
        "risk-free desk-top sk-short task-list whisk-ey",
        "The bearer of this message; Bearer: nothing; bearer bonds",
        "Маникюр 2000 ₽, запись на субботу",
        "",
    ])
    func ordinaryTextIsLeftAlone(text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test func aShortKeyIsNotLookedForInOrdinaryWords() {
        #expect(SecretRedactor(apiKey: "test").redact("a test reply") == "a test reply")
        #expect(SecretRedactor(apiKey: nil).redact("Bearer abcdefgh1") == "Bearer [API_KEY]")
    }

    @Test func everyTextOfAnOutcomeIsRedacted() {
        let reply = ChatReply(content: "sk-aaaaaaaaaaaa", modelVersion: "m local-key-0123456789", systemFingerprint: "Bearer xyz.1234567", tokensIn: 1, tokensOut: 1)
        #expect(
            ChatOutcome.reply(reply, hints: RateLimitHints()).redacted(by: redactor)
                == .reply(ChatReply(content: "[API_KEY]", modelVersion: "m [API_KEY]", systemFingerprint: "Bearer [API_KEY]", tokensIn: 1, tokensOut: 1), hints: RateLimitHints()))
        #expect(
            ChatOutcome.httpError(status: 500, body: "local-key-0123456789", retryAfter: nil, hints: RateLimitHints()).redacted(by: redactor)
                == .httpError(status: 500, body: "[API_KEY]", retryAfter: nil, hints: RateLimitHints()))
        #expect(ChatOutcome.malformed(status: 200, body: "<p>sk-123456789abc</p>").redacted(by: redactor) == .malformed(status: 200, body: "<p>[API_KEY]</p>"))
        #expect(ChatOutcome.connectionFailed("Bearer zzzzzzzzzz").redacted(by: redactor) == .connectionFailed("Bearer [API_KEY]"))
    }
}
