import AsyncHTTPClient
import ChatTagCore
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// The OpenAI-compatible adapter: sends ``ChatRequest``s to `POST {base}/chat/completions`
/// over one AsyncHTTPClient pool of HTTP/1.1 keep-alive connections (http or https), with a
/// total deadline per request that covers the body too, and maps every answer or failure to a
/// ``ChatOutcome``. The API key goes only into the `Authorization` header. A proxy comes from
/// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` as for curl (see ``ProxySettings``); extra CA
/// certificates from `SSL_CERT_FILE`.
///
/// ```swift
/// let client = AsyncHTTPChatClient(baseURL: URL(string: "http://127.0.0.1:8080/v1")!, apiKey: key, maxConnections: 64)
/// let outcome = await client.send(request, timeout: 60)
/// await client.shutdown()
/// ```
///
/// Call ``shutdown()`` when done: it closes the pool's connections (``closeWithoutWaiting()``
/// when the process is about to exit). A client released without either starts the same
/// shutdown from `deinit`, without waiting for it.
public final class AsyncHTTPChatClient: ClosableTransport, Sendable {
    public let baseURL: URL
    private let endpoint: URL
    private let authorization: String?
    /// Applied to every outcome before it leaves the client (see ``SecretRedactor``).
    private let redactor: SecretRedactor
    private let client: HTTPClient
    /// The client's own event loop, one thread: it carries every connection and, through
    /// ``host(_:)``, a run's tasks.
    private let loops: MultiThreadedEventLoopGroup
    private let executor: EventLoopTaskExecutor
    /// Set once by the first ``shutdown()`` or ``closeWithoutWaiting()``.
    private let isShutDown = Mutex(false)
    /// The endpoint's URL is parsed and the fixed headers set once; each call copies this.
    private let requestTemplate: Result<HTTPClient.Request, Error>
    private let repeatedParts = RepeatedParts()

    /// Bytes read at most from a response body; a larger one fails the call.
    static let maxBodyBytes = 32 << 20

    /// `maxConnections` should be at least the run's concurrency (AsyncHTTPClient keeps 8
    /// connections per host unless told otherwise).
    /// `environment` is where proxy settings are read from.
    public init(baseURL: URL, apiKey: String?, maxConnections: Int, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.baseURL = baseURL
        endpoint = baseURL.appendingPathComponent("chat/completions")
        authorization = apiKey.flatMap { $0.isEmpty ? nil : "Bearer \($0)" }
        redactor = SecretRedactor(apiKey: apiKey)
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, maxConnections))
        // A refused connection fails its request at once; the run's retry policy decides what next.
        configuration.connectionPool.retryConnectionEstablishment = false
        HTTPEnvironment.apply(to: &configuration, for: baseURL, environment: environment)
        requestTemplate = Result { [endpoint, authorization] in
            var template = try HTTPClient.Request(url: endpoint, method: .POST)
            template.headers.add(name: "Content-Type", value: "application/json")
            if let authorization { template.headers.add(name: "Authorization", value: authorization) }
            return template
        }
        loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        client = HTTPClient(eventLoopGroup: loops, configuration: configuration)
        executor = EventLoopTaskExecutor(loop: loops.next())
    }

    deinit {
        closeWithoutWaiting()
    }

    /// Closes every connection and waits until they are closed; later sends fail with
    /// `.connectionFailed`. Calling it again does nothing.
    public func shutdown() async {
        guard markShutDown() else { return }
        try? await client.shutdown()
        try? await loops.shutdownGracefully()
    }

    /// Starts closing the connections and returns at once, for a process about to exit (whose
    /// sockets the kernel closes in any case): waiting for 64 connections to close takes
    /// several milliseconds. Later sends fail with `.connectionFailed`.
    public func closeWithoutWaiting() {
        guard markShutDown() else { return }
        let loops = loops
        client.shutdown { _ in loops.shutdownGracefully { _ in } }
    }

    private var isClosed: Bool { isShutDown.withLock { $0 } }

    /// True for the one caller that moves the client to shut down.
    private func markShutDown() -> Bool {
        isShutDown.withLock { isShutDown in
            if isShutDown { return false }
            isShutDown = true
            return true
        }
    }

    /// Runs a run's work on this client's event loop (see ``ChatTransport/host(_:)``).
    public func host<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) { try await work() }
    }

    public func send(_ request: ChatRequest, timeout: Double) async -> ChatOutcome {
        // The client's own event loop is gone once it is shut down; a request must not wait on it.
        if isClosed { return .connectionFailed("the HTTP client is shut down") }
        var prepared: HTTPClient.Request
        switch requestTemplate {
        case let .success(template): prepared = template
        case let .failure(error): return .connectionFailed(String(describing: error))
        }
        prepared.body = .byteBuffer(ByteBuffer(bytes: RequestBody.encode(request, parts: repeatedParts)))
        prepared.headers.add(name: "X-Client-Request-Id", value: request.correlationID)
        // The whole exchange runs on the event loop: the deadline ends it, body included, and
        // cancelling the caller's task cancels it. (NIODeadline counts DispatchTime's uptime.)
        let nanoseconds = UInt64((timeout.isNaN ? 0 : max(0, min(timeout, 1e9))) * 1e9)
        let delegate = ResponseAccumulator(request: prepared, maxBodySize: Self.maxBodyBytes)
        let task = client.execute(request: prepared, delegate: delegate, deadline: .uptimeNanoseconds(DispatchTime.now().uptimeNanoseconds + nanoseconds))
        let response: HTTPClient.Response
        do {
            response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            return Self.map(error).redacted(by: redactor)
        }
        let status = Int(response.status.code)
        let body = response.body.map { Data($0.readableBytesView) } ?? Data()
        let header = { (name: String) in response.headers.first(name: name) }
        let hints = ResponseHeaders.hints(header)
        // Nothing the server said leaves the client before the key is taken out of it: a server
        // that echoes the key must not get it into `llm_calls`, a log or the terminal.
        guard (200..<300).contains(status) else {
            return .httpError(status: status, body: Self.text(body), retryAfter: ResponseHeaders.retryAfter(header), hints: hints).redacted(by: redactor)
        }
        guard let reply = ResponseBody.parse(body) else { return ChatOutcome.malformed(status: status, body: Self.text(body)).redacted(by: redactor) }
        return ChatOutcome.reply(reply, hints: hints).redacted(by: redactor)
    }

    /// The start of a body as text, for errors and logs.
    static func text(_ body: Data) -> String { String(String(decoding: body, as: UTF8.self).prefix(4000)) }

    /// Deadlines and cancellation are timeouts; anything else (refused, reset, TLS, a closed
    /// client) is a failed connection.
    static func map(_ error: Error) -> ChatOutcome {
        if error is CancellationError { return .timeout }
        if let error = error as? HTTPClientError,
            [.deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout, .cancelled].contains(error)
        {
            return .timeout
        }
        return .connectionFailed(String(describing: error))
    }
}
