import Synchronization

/// What all of a run's calls share: the response mode the server accepts, whether the
/// endpoint behaves like one (``EndpointHealth``), and whether the run must stop. A lock, not
/// an actor: each call reads it once on its critical path.
public final class RunState: Sendable {
    private let fields: Mutex<(mode: ResponseMode, abortReason: TaggingError?, health: EndpointHealth?)>

    /// The state of a run that starts with `mode` (a run starts at the strictest, `jsonSchema`);
    /// `health` is the breaker of a run that calls an endpoint (nil: none).
    public init(mode: ResponseMode = .jsonSchema, health: EndpointHealth? = nil) {
        fields = Mutex((mode, nil, health))
    }

    /// Notes an attempt's outcome with the run's breaker and says what the run does next. A
    /// trip aborts the run here, under the same lock, so the next call sees it.
    public func noteHealth(_ outcome: ChatOutcome) -> EndpointHealth.Verdict {
        fields.withLock { fields in
            guard var health = fields.health else { return .carryOn }
            let verdict = health.note(outcome)
            fields.health = health
            if case let .trip(reason) = verdict, fields.abortReason == nil { fields.abortReason = reason }
            return verdict
        }
    }

    /// The response mode calls use now.
    public var mode: ResponseMode { fields.withLock { $0.mode } }

    /// Why the run must stop, once it must.
    public var abortReason: TaggingError? { fields.withLock { $0.abortReason } }

    /// After a server refused `from`, use the next looser mode (once per refusal).
    public func stepDown(from refused: ResponseMode) {
        fields.withLock { fields in
            guard fields.mode == refused else { return }
            switch refused {
            case .jsonSchema: fields.mode = .jsonObject
            case .jsonObject: fields.mode = .none
            case .none: break
            }
        }
    }

    /// The mode to use, or nil when the run is aborted: one look for both.
    public func modeUnlessAborted() -> ResponseMode? {
        fields.withLock { $0.abortReason == nil ? $0.mode : nil }
    }

    /// Stops the run; the first reason given is kept.
    public func abort(_ reason: TaggingError) {
        fields.withLock { fields in
            if fields.abortReason == nil { fields.abortReason = reason }
        }
    }
}
