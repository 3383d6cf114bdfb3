import ChatTagCore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The OpenAI-compatible adapter: sends ``ChatRequest``s to `POST {base}/chat/completions`
/// over one keep-alive URLSession, with a total deadline per request, and maps every answer
/// or failure to a ``ChatOutcome``. The API key goes only into the `Authorization` header.
///
/// ```swift
/// let client = OpenAIChatClient(baseURL: URL(string: "http://127.0.0.1:8080/v1")!, apiKey: key, maxConnections: 64)
/// let outcome = await client.send(request, timeout: 60)
/// ```
public final class OpenAIChatClient: ChatTransport, @unchecked Sendable {
    public let baseURL: URL
    private let apiKey: String?
    private let session: URLSession

    /// `maxConnections` should be at least the run's concurrency (URLSession on Linux
    /// defaults to 6 per host).
    public init(baseURL: URL, apiKey: String?, maxConnections: Int) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(6, maxConnections)
        configuration.timeoutIntervalForRequest = 600
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldUsePipelining = false
        // No cache lookups or cookie parsing on every call: neither applies to completions.
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ request: ChatRequest, timeout: Double) async -> ChatOutcome {
        var urlRequest = URLRequest(url: baseURL.appendingPathComponent("chat/completions"))
        urlRequest.httpMethod = "POST"
        // libcurl takes whole seconds (0.5 would mean "time out now"); the deadline below is exact.
        urlRequest.timeoutInterval = timeout.rounded(.up) + 1
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue(request.correlationID, forHTTPHeaderField: "X-Client-Request-Id")
        if let apiKey, !apiKey.isEmpty { urlRequest.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        urlRequest.httpBody = RequestBody.encode(request)
        let session = session
        let prepared = urlRequest
        let exchange: Result<(Data, URLResponse), Error>? = await withTaskGroup(of: Result<(Data, URLResponse), Error>?.self) { group in
            group.addTask {
                do { return .success(try await session.data(for: prepared)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let exchange else { return .timeout }
        switch exchange {
        case let .failure(error):
            return Self.map(error)
        case let .success((data, response)):
            guard let http = response as? HTTPURLResponse else { return .connectionFailed("not an HTTP response") }
            let hints = ResponseHeaders.hints(http.value(forHTTPHeaderField:))
            let body = String(decoding: data, as: UTF8.self)
            guard (200..<300).contains(http.statusCode) else {
                return .httpError(status: http.statusCode, body: String(body.prefix(4000)), retryAfter: ResponseHeaders.retryAfter(http.value(forHTTPHeaderField:)), hints: hints)
            }
            guard let reply = ResponseBody.parse(data) else { return .malformed(status: http.statusCode, body: String(body.prefix(4000))) }
            return .reply(reply, hints: hints)
        }
    }

    static func map(_ error: Error) -> ChatOutcome {
        guard let urlError = error as? URLError else { return .connectionFailed(String(describing: error)) }
        switch urlError.code {
        case .timedOut: return .timeout
        case .cancelled: return .timeout
        default: return .connectionFailed("\(urlError.code.rawValue): \(urlError.localizedDescription)")
        }
    }
}
