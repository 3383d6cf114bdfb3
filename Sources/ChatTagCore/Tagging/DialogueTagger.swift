/// Something that tags one dialogue: an LLM behind an endpoint (``LLMTagger``) or the
/// offline rule-based baseline (``BaselineTagger``). The run supplies shared state (the
/// response mode, the abort flag) and the concurrency limiter.
public protocol DialogueTagger: Sendable {
    /// The tag (`ok` or `failed` with its reason and calls), or nil when the run was aborted.
    func tag(_ dialogue: Dialogue, state: RunState, limiter: AdaptiveLimiter) async -> TagResult?

    /// Where the run's tasks should execute (see ``ChatTransport/preferredExecutor``).
    var preferredExecutor: (any TaskExecutor)? { get }

    /// Whether each tag is a call to an endpoint (whose first calls the run spaces out, see
    /// ``TaggingOptions/startSpacing``); false for the offline baseline.
    var callsAnEndpoint: Bool { get }
}

extension DialogueTagger {
    public var preferredExecutor: (any TaskExecutor)? { nil }
    public var callsAnEndpoint: Bool { false }
}
