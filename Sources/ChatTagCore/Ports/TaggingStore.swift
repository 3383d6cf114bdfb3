/// Which dialogues a run covers.
public struct DialogueFilter: Sendable, Equatable {
    /// Only dialogues that started at or after this instant (milliseconds since the epoch).
    public var sinceUnixMillis: Int64?
    public var limit: Int?
    /// Only dialogues with a hand label.
    public var onlyLabeled: Bool

    public init(sinceUnixMillis: Int64? = nil, limit: Int? = nil, onlyLabeled: Bool = false) {
        self.sinceUnixMillis = sinceUnixMillis
        self.limit = limit
        self.onlyLabeled = onlyLabeled
    }
}

/// The cache key of a tag besides the dialogue: the same content, prompt, model and request
/// parameters give the same tag, so it is never bought twice.
public struct TagKey: Sendable, Hashable {
    public var promptHash: String
    public var model: String
    public var paramsHash: String

    public init(promptHash: String, model: String, paramsHash: String) {
        self.promptHash = promptHash
        self.model = model
        self.paramsHash = paramsHash
    }
}

/// What a run has to do, counted before the first call.
public struct RunPlan: Sendable, Equatable {
    /// Dialogues the filter selects.
    public var selected: Int
    /// Of those, already tagged `ok` with this key and unchanged content.
    public var cached: Int
    /// Of those, to tag now.
    public var pending: Int
    /// Total UTF-8 bytes of the pending dialogues' message texts, for the token estimate.
    public var pendingTextBytes: Int
    public var pendingMessages: Int

    public init(selected: Int, cached: Int, pending: Int, pendingTextBytes: Int, pendingMessages: Int) {
        self.selected = selected
        self.cached = cached
        self.pending = pending
        self.pendingTextBytes = pendingTextBytes
        self.pendingMessages = pendingMessages
    }
}

/// One attempt at the endpoint, for the `llm_calls` audit log. Never holds the API key.
public struct CallRecord: Sendable, Equatable {
    public var attempt: Int
    public var correlationID: String
    public var startedAt: ChatTime
    public var httpStatus: Int?
    public var outcome: CallOutcome
    public var latencyMs: Int
    public var tokensIn: Int?
    public var tokensOut: Int?
    /// Prompt tokens the provider served from its prompt cache.
    public var cachedTokens: Int?
    public var modelVersion: String?
    public var systemFingerprint: String?
    public var rawReply: String?
    public var error: String?

    public init(
        attempt: Int, correlationID: String, startedAt: ChatTime, httpStatus: Int?, outcome: CallOutcome, latencyMs: Int, tokensIn: Int?,
        tokensOut: Int?, modelVersion: String?, systemFingerprint: String?, rawReply: String?, error: String?
    ) {
        self.attempt = attempt
        self.correlationID = correlationID
        self.startedAt = startedAt
        self.httpStatus = httpStatus
        self.outcome = outcome
        self.latencyMs = latencyMs
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.modelVersion = modelVersion
        self.systemFingerprint = systemFingerprint
        self.rawReply = rawReply
        self.error = error
    }
}

/// The result of tagging one dialogue: a tag (`ok` or `failed` with the reason) and the
/// calls it took.
public struct TagResult: Sendable, Equatable {
    public var dialogueID: String
    public var contentHash: String
    public var values: TagValues?
    public var error: String?
    public var modelVersion: String?
    public var systemFingerprint: String?
    public var tokensIn: Int
    public var tokensOut: Int
    public var latencyMs: Int
    public var truncated: Bool
    public var calls: [CallRecord]
    /// How sure the model was of each field (0…1), when the server sent log-probabilities.
    public var confidence: [String: Double]?
    /// Prompt tokens served from the provider's cache, over every attempt.
    public var cachedTokens = 0

    public init(
        dialogueID: String, contentHash: String, values: TagValues?, error: String?, modelVersion: String?, systemFingerprint: String?,
        tokensIn: Int, tokensOut: Int, latencyMs: Int, truncated: Bool, calls: [CallRecord]
    ) {
        self.dialogueID = dialogueID
        self.contentHash = contentHash
        self.values = values
        self.error = error
        self.modelVersion = modelVersion
        self.systemFingerprint = systemFingerprint
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.latencyMs = latencyMs
        self.truncated = truncated
        self.calls = calls
    }

    public var isOK: Bool { values != nil }

    /// `ok` when the tag has values, else `failed`.
    public var status: TagStatus { values != nil ? .ok : .failed }
}

/// How a run is described in `runs`.
public struct RunStart: Sendable {
    public var template: PromptTemplate
    public var model: String
    public var paramsJSON: String
    public var paramsHash: String
    public var endpoint: String

    public init(template: PromptTemplate, model: String, paramsJSON: String, paramsHash: String, endpoint: String) {
        self.template = template
        self.model = model
        self.paramsJSON = paramsJSON
        self.paramsHash = paramsHash
        self.endpoint = endpoint
    }
}

/// Totals of a run.
public struct RunSummary: Sendable, Equatable, Codable {
    public var tagged = 0
    public var cached = 0
    public var failed = 0
    public var calls = 0
    public var tokensIn = 0
    public var tokensOut = 0
    /// Of `tokensIn`, those the provider served from its prompt cache.
    public var cachedTokens = 0
    public var seconds = 0.0
    public var costUSD: Double?
    public var latencyP50Ms: Int?
    public var latencyP95Ms: Int?
    public var modelVersions: [String] = []

    public init() {}
}

/// What tagging needs from the database. Implemented by `ChatTagStore` on SQLite.
public protocol TaggingStore: Sendable {
    /// Records the template in `prompts`; throws ``PromptError/changed(id:recordedHash:currentHash:)``
    /// when this name and version were used before with other text.
    func register(_ template: PromptTemplate) async throws
    func plan(_ key: TagKey, filter: DialogueFilter) async throws -> RunPlan
    /// The next pending dialogues in id order, after `afterID`.
    func pendingDialogues(_ key: TagKey, filter: DialogueFilter, afterID: String?, limit: Int) async throws -> [Dialogue]
    func beginRun(_ run: RunStart) async throws -> Int64
    /// Stores tags and their calls in one transaction.
    func record(_ results: [TagResult], runID: Int64, key: TagKey, template: PromptTemplate) async throws
    func finishRun(_ runID: Int64, summary: RunSummary, status: RunStatus) async throws
    /// The model version and system fingerprint the previous run of this prompt and model saw.
    func previousAnswer(_ key: TagKey, before runID: Int64) async throws -> (modelVersion: String?, systemFingerprint: String?)?
}
