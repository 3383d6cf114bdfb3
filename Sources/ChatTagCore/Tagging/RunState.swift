import Synchronization

/// What all of a run's calls share: the response mode the server accepts, and whether the
/// run must stop. A lock, not an actor: each call reads it once on its critical path.
public final class RunState: Sendable {
    private let fields: Mutex<(mode: ResponseMode, abortReason: TaggingError?)>

    /// The state of a run that starts with `mode` (a run starts at the strictest, `jsonSchema`).
    public init(mode: ResponseMode = .jsonSchema) {
        fields = Mutex((mode, nil))
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
