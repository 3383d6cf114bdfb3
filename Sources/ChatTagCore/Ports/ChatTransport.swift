/// How the tagging stage asks for structured output, from strictest to loosest. A run starts
/// at `jsonSchema` and steps down when a server refuses a mode.
public enum ResponseMode: String, Sendable, CaseIterable {
    case jsonSchema = "json_schema"
    case jsonObject = "json_object"
    case none
}

/// One chat-completion request, independent of the wire format.
public struct ChatRequest: Sendable {
    public struct Turn: Sendable, Hashable {
        public var role: String
        public var content: String

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    public var model: String
    public var messages: [Turn]
    public var temperature: Double?
    public var maxTokens: Int?
    public var seed: Int?
    public var responseMode: ResponseMode
    public var taxonomy: Taxonomy
    /// Sent as `X-Client-Request-Id` and stored in `llm_calls`, to find a call in server logs.
    public var correlationID: String
    /// Ask for the tokens' log-probabilities and the 5 likeliest alternatives at each.
    public var logprobs = false

    public init(model: String, messages: [Turn], temperature: Double?, maxTokens: Int?, seed: Int?, responseMode: ResponseMode, taxonomy: Taxonomy, correlationID: String) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.seed = seed
        self.responseMode = responseMode
        self.taxonomy = taxonomy
        self.correlationID = correlationID
    }
}

/// Rate-limit hints a server sent with a response (OpenAI's `x-ratelimit-*` headers).
public struct RateLimitHints: Sendable, Equatable {
    public var remainingRequests: Int?
    public var remainingTokens: Int?
    /// Seconds until the request budget resets (`x-ratelimit-reset-requests: 1.5s`).
    public var resetRequestsSeconds: Double?
    /// Seconds until the token budget resets (`x-ratelimit-reset-tokens: 6m0s`).
    public var resetTokensSeconds: Double?

    public init(remainingRequests: Int? = nil, remainingTokens: Int? = nil, resetRequestsSeconds: Double? = nil, resetTokensSeconds: Double? = nil) {
        self.remainingRequests = remainingRequests
        self.remainingTokens = remainingTokens
        self.resetRequestsSeconds = resetRequestsSeconds
        self.resetTokensSeconds = resetTokensSeconds
    }
}

/// A successful completion.
public struct ChatReply: Sendable, Equatable {
    public var content: String
    /// The `model` field of the response: the model that actually answered.
    public var modelVersion: String?
    public var systemFingerprint: String?
    public var tokensIn: Int?
    public var tokensOut: Int?
    /// The reply's tokens with their log-probabilities, when the server sent them.
    public var tokens: [TokenLogprob]?
    /// Prompt tokens the provider served from its cache (`usage.prompt_tokens_details.cached_tokens`).
    public var cachedTokens: Int?

    public init(content: String, modelVersion: String?, systemFingerprint: String?, tokensIn: Int?, tokensOut: Int?) {
        self.content = content
        self.modelVersion = modelVersion
        self.systemFingerprint = systemFingerprint
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
    }
}

/// What came back from one attempt.
public enum ChatOutcome: Sendable, Equatable {
    case reply(ChatReply, hints: RateLimitHints)
    /// A non-2xx answer; `retryAfter` in seconds from `Retry-After` or `retry-after-ms`.
    case httpError(status: Int, body: String, retryAfter: Double?, hints: RateLimitHints)
    /// A 2xx answer that is not a chat completion (truncated or not JSON).
    case malformed(status: Int, body: String)
    case timeout
    case connectionFailed(String)
}

/// The one thing tagging needs from the network: send a chat request, get an outcome.
/// Implemented over HTTP by `ChatTagHTTP`; tests point it at a real loopback server.
public protocol ChatTransport: Sendable {
    /// Sends one request; never throws — every failure is an outcome to record.
    /// `timeout` is the whole request's deadline in seconds.
    func send(_ request: ChatRequest, timeout: Double) async -> ChatOutcome

    /// Runs a whole run's work where this transport wants it. An HTTP transport runs it on
    /// the thread it does its I/O on, so an answer is handled and the next request written
    /// without a hop between threads; the run's blocking work (SQLite) has a thread of its own.
    /// By default the work runs where it is called.
    func host<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T
}

extension ChatTransport {
    public func host<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T { try await work() }
}
