/// Something that tags one dialogue: an LLM behind an endpoint (``LLMTagger``) or the
/// offline rule-based baseline (``BaselineTagger``). The run supplies shared state (the
/// response mode, the abort flag) and the concurrency limiter.
public protocol DialogueTagger: Sendable {
    /// The tag (`ok` or `failed` with its reason and calls), or nil when the run was aborted.
    func tag(_ dialogue: Dialogue, state: RunState, limiter: AdaptiveLimiter) async -> TagResult?

    /// Runs the whole run's work where the tagger's transport wants it (see ``ChatTransport/host(_:)``).
    func host<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T

    /// Whether each tag is a call to an endpoint (whose first calls the run spaces out, see
    /// ``TaggingOptions/startSpacing``); false for the offline baseline.
    var callsAnEndpoint: Bool { get }
}

extension DialogueTagger {
    public func host<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T { try await work() }
    public var callsAnEndpoint: Bool { false }
}
