import ChatTagCore
import ChatTagTestSupport
import Foundation
import Testing

@testable import ChatTagHTTP

#if canImport(Glibc)
import Glibc
#endif

/// The HTTP client against a real server on 127.0.0.1: every answer and fault the run loop
/// must tell apart.
@Suite(.serialized) struct AsyncHTTPChatClientTests {
    func request(_ text: String = "Здравствуйте, можно записаться на субботу?", mode: ResponseMode = .jsonSchema) -> ChatRequest {
        ChatRequest(
            model: "gpt-test", messages: [.init(role: "system", content: "Размечай."), .init(role: "user", content: text)],
            temperature: 0, maxTokens: 100, seed: 42, responseMode: mode, taxonomy: .default, correlationID: "ct-test-1")
    }

    @Test func sendsAStructuredOutputRequestAndReadsTheReply() async throws {
        let server = try MockServer(["--model-version", "gpt-test-2025-06-01", "--system-fingerprint", "fp_abc"])
        let client = AsyncHTTPChatClient(baseURL: server.baseURL, apiKey: "sk-test", maxConnections: 4)
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
        #expect(headers["content-type"] as? String == "application/json")
        // The key went out (the mock records only that there was one), and nowhere else.
        #expect(headers["authorization"] as? String == "<redacted>")
        #expect(!"\(reply)".contains("sk-test"))
        await client.shutdown()
        guard case .connectionFailed = await client.send(request(), timeout: 10) else {
            Issue.record("a shut-down client still sent")
            return
        }
        await client.shutdown()
    }

    @Test func sendsNoAuthorizationWithoutAKey() async throws {
        let server = try MockServer()
        for key in [nil, ""] as [String?] {
            let client = AsyncHTTPChatClient(baseURL: server.baseURL, apiKey: key, maxConnections: 2)
            guard case .reply = await client.send(request(), timeout: 10) else {
                Issue.record("no reply")
                return
            }
            await client.shutdown()
        }
        let recorded = server.recorded()
        #expect(recorded.count == 2)
        #expect(recorded.allSatisfy { ($0["headers"] as? [String: Any])?["authorization"] == nil })
    }

    @Test func keepsConnectionsAliveAcrossRequests() async throws {
        let server = try MockServer()
        let client = AsyncHTTPChatClient(baseURL: server.baseURL, apiKey: nil, maxConnections: 4)
        for _ in 0..<5 {
            guard case .reply = await client.send(request(), timeout: 10) else {
                Issue.record("no reply")
                return
            }
        }
        await client.shutdown()
        #expect(server.recorded().count == 5)
    }

    @Test func mapsServerErrorsRateLimitsAndAuth() async throws {
        let failing = try MockServer(["--fail-first", "1"])
        guard case let .httpError(status, _, _, _) = await AsyncHTTPChatClient(baseURL: failing.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("500 not mapped")
            return
        }
        #expect(status == 500)
        let limited = try MockServer(["--rate-limit-every", "1", "--retry-after", "7"])
        guard case let .httpError(status429, _, retryAfter, _) = await AsyncHTTPChatClient(baseURL: limited.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10)
        else {
            Issue.record("429 not mapped")
            return
        }
        #expect(status429 == 429)
        #expect(retryAfter == 7)
        let limitedMs = try MockServer(["--rate-limit-every", "1", "--retry-after-ms", "250"])
        guard case let .httpError(_, _, retryAfterMs, _) = await AsyncHTTPChatClient(baseURL: limitedMs.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("429 ms not mapped")
            return
        }
        #expect(retryAfterMs == 0.25)
        let guarded = try MockServer(["--require-key", "sk-right"])
        let outcome = await AsyncHTTPChatClient(baseURL: guarded.baseURL, apiKey: "sk-wrong", maxConnections: 2).send(request(), timeout: 10)
        guard case let .httpError(status401, body401, _, _) = outcome else {
            Issue.record("401 not mapped")
            return
        }
        #expect(status401 == 401)
        #expect(body401.contains("Incorrect API key"))
        #expect(!"\(outcome)".contains("sk-wrong"))
    }

    @Test func aHangingServerTimesOutAtTheDeadline() async throws {
        let server = try MockServer(["--hang-every", "1", "--hang-seconds", "20"])
        let started = Date()
        let outcome = await AsyncHTTPChatClient(baseURL: server.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 0.5)
        // The mock answers after its 20 s hang, so a call the deadline did not end would be a reply.
        #expect(outcome == .timeout)
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.45, "waited \(waited) s")
    }

    @Test func truncatedBodiesAndRefusedConnectionsAreTheirOwnOutcomes() async throws {
        let server = try MockServer(["--malformed-every", "1"])
        guard case .malformed = await AsyncHTTPChatClient(baseURL: server.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("malformed not mapped")
            return
        }
        let closed = AsyncHTTPChatClient(baseURL: URL(string: "http://127.0.0.1:9/v1")!, apiKey: "sk-secret", maxConnections: 2)
        let started = Date()
        guard case let .connectionFailed(message) = await closed.send(request(), timeout: 10) else {
            Issue.record("refused connection not mapped")
            return
        }
        // Failing at once is the behaviour under test; 5 s is far under the 10 s deadline, so
        // even a busy machine tells it from a call that retried until the deadline.
        #expect(Date().timeIntervalSince(started) < 5, "a refused connection must fail at once")
        #expect(!message.contains("sk-secret"))
        await closed.shutdown()
    }

    @Test func aKeyTheServerEchoesIsRedactedFromTheOutcome() async throws {
        let body = #"{"error":{"message":"Incorrect API key provided: sk-echo-1234567890. Check it."}}"#
        let server = try StallingServer(
            response: "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        let client = AsyncHTTPChatClient(baseURL: URL(string: "http://127.0.0.1:\(server.port)/v1")!, apiKey: "sk-echo-1234567890", maxConnections: 2)
        let outcome = await client.send(request(), timeout: 5)
        guard case let .httpError(401, text, _, _) = outcome else {
            Issue.record("not mapped: \(outcome)")
            return
        }
        #expect(!text.contains("sk-echo-1234567890") && text.contains("[API_KEY]"))
        await client.shutdown()
    }

    @Test func theDeadlineCoversTheBody() async throws {
        // Headers at once, then a body that never ends.
        let server = try StallingServer(response: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":")
        let client = AsyncHTTPChatClient(baseURL: URL(string: "http://127.0.0.1:\(server.port)/v1")!, apiKey: nil, maxConnections: 2)
        let started = Date()
        let outcome = await client.send(request(), timeout: 0.5)
        let waited = Date().timeIntervalSince(started)
        // The server closes the connection after 10 s: a deadline that missed the body would end
        // the call then as a failed connection, not as a timeout.
        #expect(outcome == .timeout)
        #expect(waited >= 0.45, "waited \(waited) s")
        await client.shutdown()
    }

    @Test func aCancelledCallEndsAtOnce() async throws {
        let server = try MockServer(["--hang-every", "1", "--hang-seconds", "20"])
        let client = AsyncHTTPChatClient(baseURL: server.baseURL, apiKey: nil, maxConnections: 2)
        let started = Date()
        let call = Task { await client.send(request(), timeout: 30) }
        try await Task.sleep(for: .milliseconds(300))
        call.cancel()
        let outcome = await call.value
        // The mock answers after its 20 s hang (inside the 30 s timeout), so a call the cancel
        // did not end would be a reply.
        #expect(outcome == .timeout)
        #expect(Date().timeIntervalSince(started) >= 0.3)
        await client.shutdown()
    }

    @Test func readsRateLimitHeaders() async throws {
        let server = try MockServer(["--ratelimit-remaining", "3"])
        guard case let .reply(_, hints) = await AsyncHTTPChatClient(baseURL: server.baseURL, apiKey: nil, maxConnections: 2).send(request(), timeout: 10) else {
            Issue.record("no reply")
            return
        }
        #expect(hints == RateLimitHints(remainingRequests: 3, remainingTokens: 100_000, resetRequestsSeconds: 1.5, resetTokensSeconds: 360))
    }
}

/// A loopback server that answers every connection with `response` and then sends nothing
/// more, holding the connection open for `holdSeconds`.
final class StallingServer: Sendable {
    let port: Int
    private let listener: Int32

    init(response: String, holdSeconds: Double = 10) throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listener = listener
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard listener >= 0, bound else { throw NSError(domain: "StallingServer", code: 1) }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                Thread.detachNewThread {
                    var scratch = [UInt8](repeating: 0, count: 65_536)
                    _ = recv(client, &scratch, scratch.count, 0)
                    let bytes = Array(response.utf8)
                    _ = send(client, bytes, bytes.count, Int32(MSG_NOSIGNAL))
                    Thread.sleep(forTimeInterval: holdSeconds)
                    close(client)
                }
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

/// Proxies come from the environment as for curl: HTTPS_PROXY/HTTP_PROXY, NO_PROXY, never for loopback.
@Suite struct ProxySettingsTests {
    @Test func theProxyFollowsTheSchemeAndNoProxyAndSkipsLoopback() {
        let environment = ["HTTPS_PROXY": "http://user:p%40ss@proxy.corp:3128", "http_proxy": "proxy.corp:8080", "NO_PROXY": "internal.corp,.lan"]
        #expect(ProxySettings.proxy(for: URL(string: "https://api.openai.com/v1")!, environment: environment)?.host == "proxy.corp")
        #expect(ProxySettings.proxy(for: URL(string: "https://api.openai.com/v1")!, environment: environment)?.port == 3128)
        #expect(ProxySettings.proxy(for: URL(string: "http://gpu.example.com:8000/v1")!, environment: environment)?.port == 8080)
        #expect(ProxySettings.proxy(for: URL(string: "https://llm.internal.corp/v1")!, environment: environment) == nil)
        #expect(ProxySettings.proxy(for: URL(string: "http://box.lan/v1")!, environment: environment) == nil)
        #expect(ProxySettings.proxy(for: URL(string: "http://127.0.0.1:8080/v1")!, environment: environment) == nil)
        #expect(ProxySettings.proxy(for: URL(string: "http://localhost:11434/v1")!, environment: environment) == nil)
        #expect(ProxySettings.proxy(for: URL(string: "https://api.openai.com/v1")!, environment: [:]) == nil)
    }

    @Test func requestsGoThroughTheProxy() async throws {
        // The mock stands in as the proxy: the endpoint's host does not even resolve.
        let proxy = try MockServer(["--model-version", "via-proxy"])
        let client = AsyncHTTPChatClient(
            baseURL: URL(string: "http://api.example.invalid/v1")!, apiKey: nil, maxConnections: 2, environment: ["HTTP_PROXY": "http://127.0.0.1:\(proxy.port)"])
        let outcome = await client.send(
            ChatRequest(
                model: "m", messages: [.init(role: "user", content: "Сколько стоит стрижка?")], temperature: 0, maxTokens: 50, seed: nil, responseMode: .jsonSchema,
                taxonomy: .default, correlationID: "ct-proxy"), timeout: 10)
        await client.shutdown()
        guard case let .reply(reply, _) = outcome else {
            Issue.record("no reply through the proxy: \(outcome)")
            return
        }
        #expect(reply.modelVersion == "via-proxy")
        let recorded = proxy.recorded()
        #expect(recorded.contains { $0["method"] as? String == "CONNECT" && $0["path"] as? String == "api.example.invalid:80" })
        #expect((recorded.first { $0["method"] as? String == "POST" }?["headers"] as? [String: Any])?["host"] as? String == "api.example.invalid")
    }
}

/// HTTPS for real: socat terminates TLS with a self-signed certificate in front of the mock.
/// The client refuses the certificate until SSL_CERT_FILE names it.
@Suite(.serialized) struct HTTPSTests {
    func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments)")
    }

    /// A port nothing listens on right now.
    func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    @Test func talksHTTPSAndTrustsOnlyTheCertificatesItIsGiven() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        let mock = try MockServer(["--model-version", "over-tls"])
        let port = freePort()
        let terminator = Process()
        terminator.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        terminator.arguments = [
            "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=\(folder)/cert.pem,key=\(folder)/key.pem,verify=0", "TCP:127.0.0.1:\(mock.port)",
        ]
        terminator.standardError = FileHandle.nullDevice
        try terminator.run()
        defer {
            kill(terminator.processIdentifier, SIGKILL)
            terminator.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(10)
        while !accepts(port), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let base = URL(string: "https://127.0.0.1:\(port)/v1")!
        let request = ChatRequest(
            model: "m", messages: [.init(role: "user", content: "Сколько стоит стрижка?")], temperature: 0, maxTokens: 50, seed: nil, responseMode: .jsonSchema,
            taxonomy: .default, correlationID: "ct-tls")

        let untrusting = AsyncHTTPChatClient(baseURL: base, apiKey: "sk-tls", maxConnections: 2, environment: [:])
        let refused = await untrusting.send(request, timeout: 10)
        await untrusting.shutdown()
        guard case let .connectionFailed(message) = refused else {
            Issue.record("a self-signed certificate was accepted: \(refused)")
            return
        }
        #expect(message.uppercased().contains("CERTIFICATE"), "\(message)")
        #expect(mock.recorded().isEmpty)  // nothing, not even the key, went out

        let trusting = AsyncHTTPChatClient(baseURL: base, apiKey: "sk-tls", maxConnections: 2, environment: ["SSL_CERT_FILE": folder + "/cert.pem"])
        let outcome = await trusting.send(request, timeout: 10)
        await trusting.shutdown()
        guard case let .reply(reply, _) = outcome else {
            Issue.record("no reply over TLS: \(outcome)")
            return
        }
        #expect(reply.modelVersion == "over-tls")
        #expect((mock.recorded().first?["headers"] as? [String: Any])?["authorization"] as? String == "<redacted>")
    }
}
