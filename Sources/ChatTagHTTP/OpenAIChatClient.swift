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
        do {
            urlRequest.httpBody = try JSONSerialization.data(withJSONObject: RequestBody.make(request), options: [.sortedKeys])
        } catch {
            return .connectionFailed("cannot encode the request: \(error)")
        }
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
            let hints = Self.hints(http)
            let body = String(decoding: data, as: UTF8.self)
            guard (200..<300).contains(http.statusCode) else {
                return .httpError(status: http.statusCode, body: String(body.prefix(4000)), retryAfter: Self.retryAfter(http), hints: hints)
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

    static func header(_ response: HTTPURLResponse, _ name: String) -> String? {
        response.value(forHTTPHeaderField: name)
    }

    /// `retry-after-ms` (milliseconds) wins over `Retry-After` (seconds or an HTTP date).
    static func retryAfter(_ response: HTTPURLResponse) -> Double? {
        if let text = header(response, "retry-after-ms"), let millis = Double(text.trimmingCharacters(in: .whitespaces)) { return millis / 1000 }
        guard let text = header(response, "Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(text) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func hints(_ response: HTTPURLResponse) -> RateLimitHints {
        RateLimitHints(
            remainingRequests: header(response, "x-ratelimit-remaining-requests").flatMap { Int($0) },
            remainingTokens: header(response, "x-ratelimit-remaining-tokens").flatMap { Int($0) },
            resetRequestsSeconds: header(response, "x-ratelimit-reset-requests").flatMap(RetryPolicy.parseDuration),
            resetTokensSeconds: header(response, "x-ratelimit-reset-tokens").flatMap(RetryPolicy.parseDuration))
    }
}

/// The JSON body of a chat-completion request.
enum RequestBody {
    static func make(_ request: ChatRequest) -> [String: Any] {
        var body: [String: Any] = [
            "model": request.model,
            "messages": request.messages.map { ["role": $0.role, "content": $0.content] },
        ]
        if let temperature = request.temperature { body["temperature"] = temperature }
        if let maxTokens = request.maxTokens { body["max_tokens"] = maxTokens }
        if let seed = request.seed { body["seed"] = seed }
        switch request.responseMode {
        case .jsonSchema:
            body["response_format"] = ["type": "json_schema", "json_schema": ["name": "chat_tags", "strict": true, "schema": schema(request.taxonomy)]]
        case .jsonObject:
            body["response_format"] = ["type": "json_object"]
        case .none:
            break
        }
        return body
    }

    /// A strict JSON schema built from the template's fields.
    static func schema(_ taxonomy: Taxonomy) -> [String: Any] {
        var properties: [String: Any] = [:]
        for field in taxonomy.fields {
            properties[field.name] = field.isBoolean ? ["type": "boolean"] : ["type": "string", "enum": field.values]
        }
        return ["type": "object", "properties": properties, "required": taxonomy.fields.map(\.name), "additionalProperties": false]
    }
}

/// Reads the parts of a chat-completion response that chattag keeps.
enum ResponseBody {
    static func parse(_ data: Data) -> ChatReply? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]], let first = choices.first,
              let message = first["message"] as? [String: Any] else { return nil }
        let content = message["content"] as? String ?? ""
        let usage = object["usage"] as? [String: Any]
        return ChatReply(
            content: content, modelVersion: object["model"] as? String, systemFingerprint: object["system_fingerprint"] as? String,
            tokensIn: (usage?["prompt_tokens"] as? NSNumber)?.intValue, tokensOut: (usage?["completion_tokens"] as? NSNumber)?.intValue)
    }
}
