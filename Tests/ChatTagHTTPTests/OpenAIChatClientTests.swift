import ChatTagCore
import ChatTagTestSupport
import Foundation
import Testing

@testable import ChatTagHTTP

/// The HTTP client against a real server on 127.0.0.1: every answer and fault the run loop
/// must tell apart.
@Suite(.serialized) struct OpenAIChatClientTests {
    func request(_ text: String = "Здравствуйте, можно записаться на субботу?", mode: ResponseMode = .jsonSchema) -> ChatRequest {
        ChatRequest(
            model: "gpt-test", messages: [.init(role: "system", content: "Размечай."), .init(role: "user", content: text)],
            temperature: 0, maxTokens: 100, seed: 42, responseMode: mode, taxonomy: .default, correlationID: "ct-test-1")
    }

    @Test func sendsAStructuredOutputRequestAndReadsTheReply() async throws {
        let server = try MockServer(["--model-version", "gpt-test-2025-06-01", "--system-fingerprint", "fp_abc"])
        let client = OpenAIChatClient(baseURL: server.baseURL, apiKey: "sk-test", maxConnections: 4)
        guard case let .reply(reply, _) = await client.send(request(), timeout: 10) else {
            Issue.record("no reply")
            return
        }
        #expect(reply.modelVersion == "gpt-test-2025-06-01")
        #expect(reply.systemFingerprint == "fp_abc")
        #expect((reply.tokensIn ?? 0) > 0)
        #expect(try TagParser(taxonomy: .default).parse(reply.content).get()["intent"] == "booking")
        let body = try #require(server.recorded().first?["body"] as? [String: Any])
        #expect(body["model"] as? String == "gpt-test")
        #expect(body["seed"] as? Int == 42)
        let format = try #require(body["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let schema = try #require((format["json_schema"] as? [String: Any])?["schema"] as? [String: Any])
        #expect(schema["required"] as? [String] == ["intent", "sentiment", "missed_lead"])
        let headers = try #require(server.recorded().first?["headers"] as? [String: Any])
        #expect(headers["x-client-request-id"] as? String == "ct-test-1")
    }

    @Test func mapsServerErrorsRateLimitsAndAuth() async throws {
        let failing = try MockServer(["--fail-first", "1"])
        guard case let .httpError(status, _, _, _) = await OpenAIChatClient(baseURL: failing.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("500 not mapped")
            return
        }
        #expect(status == 500)
        let limited = try MockServer(["--rate-limit-every", "1", "--retry-after", "7"])
        guard case let .httpError(status429, _, retryAfter, _) = await OpenAIChatClient(baseURL: limited.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10)
        else {
            Issue.record("429 not mapped")
            return
        }
        #expect(status429 == 429)
        #expect(retryAfter == 7)
        let limitedMs = try MockServer(["--rate-limit-every", "1", "--retry-after-ms", "250"])
        guard case let .httpError(_, _, retryAfterMs, _) = await OpenAIChatClient(baseURL: limitedMs.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("429 ms not mapped")
            return
        }
        #expect(retryAfterMs == 0.25)
        let guarded = try MockServer(["--require-key", "sk-right"])
        guard case let .httpError(status401, _, _, _) = await OpenAIChatClient(baseURL: guarded.baseURL, apiKey: "sk-wrong", maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("401 not mapped")
            return
        }
        #expect(status401 == 401)
    }

    @Test func aHangingServerTimesOutAtTheDeadline() async throws {
        let server = try MockServer(["--hang-every", "1", "--hang-seconds", "20"])
        let started = Date()
        let outcome = await OpenAIChatClient(baseURL: server.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 0.5)
        #expect(outcome == .timeout)
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.45 && waited < 5, "waited \(waited) s")
    }

    @Test func truncatedBodiesAndRefusedConnectionsAreTheirOwnOutcomes() async throws {
        let server = try MockServer(["--malformed-every", "1"])
        guard case .malformed = await OpenAIChatClient(baseURL: server.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("malformed not mapped")
            return
        }
        let closed = OpenAIChatClient(baseURL: URL(string: "http://127.0.0.1:9/v1")!, apiKey: nil, maxConnections: 2)
        guard case .connectionFailed = await closed.send(request(), timeout: 10) else {
            Issue.record("refused connection not mapped")
            return
        }
    }

    @Test func readsRateLimitHeaders() async throws {
        let server = try MockServer(["--ratelimit-remaining", "3"])
        guard case let .reply(_, hints) = await OpenAIChatClient(baseURL: server.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("no reply")
            return
        }
        #expect(hints == RateLimitHints(remainingRequests: 3, remainingTokens: 100_000, resetRequestsSeconds: 1.5, resetTokensSeconds: 360))
    }
}
