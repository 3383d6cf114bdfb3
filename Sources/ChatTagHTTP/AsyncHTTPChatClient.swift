import AsyncHTTPClient
import ChatTagCore
import Foundation

/// The OpenAI-compatible adapter: sends ``ChatRequest``s to `POST {base}/chat/completions`
/// over one AsyncHTTPClient pool of HTTP/1.1 keep-alive connections (http or https), with a
/// total deadline per request that covers the body too, and maps every answer or failure to a
/// ``ChatOutcome``. The API key goes only into the `Authorization` header.
///
/// ```swift
/// let client = AsyncHTTPChatClient(baseURL: URL(string: "http://127.0.0.1:8080/v1")!, apiKey: key, maxConnections: 64)
/// let outcome = await client.send(request, timeout: 60)
/// await client.shutdown()
/// ```
///
/// Call ``shutdown()`` when done: it closes the pool's connections. A client released without
/// it starts the same shutdown from `deinit`, without waiting for it.
public final class AsyncHTTPChatClient: ChatTransport, @unchecked Sendable {
    public let baseURL: URL
    private let endpoint: String
    private let authorization: String?
    private let client: HTTPClient
    private let lock = NSLock()
    private var isShutDown = false

    /// Bytes read at most from a 2xx body (a completion), and from any other (an error).
    static let maxReplyBytes = 32 << 20
    static let maxErrorBytes = 64 << 10

    /// `maxConnections` should be at least the run's concurrency (AsyncHTTPClient keeps 8
    /// connections per host unless told otherwise).
    public init(baseURL: URL, apiKey: String?, maxConnections: Int) {
        self.baseURL = baseURL
        endpoint = baseURL.appendingPathComponent("chat/completions").absoluteString
        authorization = apiKey.flatMap { $0.isEmpty ? nil : "Bearer \($0)" }
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, maxConnections))
        // A refused connection fails its request at once; the run's retry policy decides what next.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    deinit {
        if markShutDown() { client.shutdown { _ in } }
    }

    /// Closes every connection and waits until they are closed; later sends fail with
    /// `.connectionFailed`. Calling it again does nothing.
    public func shutdown() async {
        guard markShutDown() else { return }
        try? await client.shutdown()
    }

    /// True for the one caller that moves the client to shut down.
    private func markShutDown() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if isShutDown { return false }
        isShutDown = true
        return true
    }

    /// A response read to its end (or to the byte limit).
    struct Exchange: Sendable {
        var status: Int
        var header: @Sendable (String) -> String?
        var body: [UInt8]
        var truncated: Bool
    }

    public func send(_ request: ChatRequest, timeout: Double) async -> ChatOutcome {
        var http = HTTPClientRequest(url: endpoint)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "X-Client-Request-Id", value: request.correlationID)
        if let authorization { http.headers.add(name: "Authorization", value: authorization) }
        http.body = .bytes(RequestBody.encode(request))
        let nanoseconds = Int64((timeout.isNaN ? 0 : max(0, min(timeout, 1e9))) * 1e9)
        let client = client
        let prepared = http
        // AsyncHTTPClient's own deadline ends when the head arrives; the timer child ends the
        // body too, by cancelling the exchange.
        let exchange: Result<Exchange, Error>? = await withTaskGroup(of: Result<Exchange, Error>?.self) { group in
            group.addTask {
                do {
                    let response = try await client.execute(prepared, timeout: .nanoseconds(nanoseconds))
                    let status = Int(response.status.code)
                    let limit = (200..<300).contains(status) ? Self.maxReplyBytes : Self.maxErrorBytes
                    var body: [UInt8] = []
                    var truncated = false
                    for try await chunk in response.body {
                        let room = limit - body.count
                        if chunk.readableBytes > room {
                            body.append(contentsOf: chunk.readableBytesView.prefix(room))
                            truncated = true
                            break
                        }
                        body.append(contentsOf: chunk.readableBytesView)
                    }
                    let headers = response.headers
                    return .success(Exchange(status: status, header: { headers.first(name: $0) }, body: body, truncated: truncated))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(nanoseconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let exchange else { return .timeout }
        return Self.outcome(exchange)
    }

    /// The outcome of an exchange that ended before the deadline.
    static func outcome(_ exchange: Result<Exchange, Error>) -> ChatOutcome {
        switch exchange {
        case let .failure(error):
            return Self.map(error)
        case let .success(response):
            let hints = ResponseHeaders.hints(response.header)
            let text = { String(String(decoding: response.body, as: UTF8.self).prefix(4000)) }
            guard (200..<300).contains(response.status) else {
                return .httpError(status: response.status, body: text(), retryAfter: ResponseHeaders.retryAfter(response.header), hints: hints)
            }
            guard !response.truncated, let reply = ResponseBody.parse(Data(response.body)) else {
                return .malformed(status: response.status, body: text())
            }
            return .reply(reply, hints: hints)
        }
    }

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
