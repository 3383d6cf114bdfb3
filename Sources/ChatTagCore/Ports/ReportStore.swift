/// How many dialogues one prompt and model tagged.
public struct InstrumentCount: Sendable, Equatable {
    public var instrument: Instrument
    public var dialogues: Int
    /// The newest tag's row id: the more recent instrument wins a tie.
    public var newestTag: Int64

    public init(instrument: Instrument, dialogues: Int, newestTag: Int64) {
        self.instrument = instrument
        self.dialogues = dialogues
        self.newestTag = newestTag
    }
}

/// A rendered report kept in `reports`, with what made it.
public struct StoredReport: Sendable, Equatable {
    /// `validate`, `compare` or `week`.
    public var kind: String
    public var instrument: Instrument?
    public var format: String
    public var params: [String: String]
    public var body: String

    public init(kind: String, instrument: Instrument?, format: String, params: [String: String] = [:], body: String) {
        self.kind = kind
        self.instrument = instrument
        self.format = format
        self.params = params
        self.body = body
    }
}

/// One stored tag as `export` writes it.
public struct StoredTag: Sendable, Equatable {
    public var dialogueID: String
    public var intent: String?
    public var sentiment: String?
    public var missedLead: Bool?
    public var status: String
    public var error: String?
    public var promptName: String
    public var promptVersion: String
    public var promptHash: String
    public var modelRequested: String
    public var modelVersion: String?
    public var runID: Int64?

    public init(
        dialogueID: String, intent: String?, sentiment: String?, missedLead: Bool?, status: String, error: String?, promptName: String,
        promptVersion: String, promptHash: String, modelRequested: String, modelVersion: String?, runID: Int64?
    ) {
        self.dialogueID = dialogueID
        self.intent = intent
        self.sentiment = sentiment
        self.missedLead = missedLead
        self.status = status
        self.error = error
        self.promptName = promptName
        self.promptVersion = promptVersion
        self.promptHash = promptHash
        self.modelRequested = modelRequested
        self.modelVersion = modelVersion
        self.runID = runID
    }
}

/// What weekly reports and exports read. Implemented on SQLite by `ChatTagStore`; which
/// instrument a week uses is decided in ``WeeklyReporting``.
public protocol ReportStore {
    /// The prompt and model of the most recent run.
    func latestInstrument() throws -> Instrument?
    /// The latest run's instrument matching a prompt name and version and/or a model.
    func latestInstrument(promptName: String?, promptVersion: String?, model: String?) throws -> Instrument?
    /// The dialogues whose first message falls in `range` (unix ms), each with the
    /// instrument's tag for its current content, if any.
    func weekDialogues(in range: Range<Int64>, instrument: Instrument?) throws -> [ReportDialogue]
    /// Every tag of a prompt hash and model, in dialogue id order.
    func tags(promptHash: String, model: String) throws -> [StoredTag]
    func save(_ report: StoredReport) throws
}

/// What pruning removes (or would remove) for dialogues that started before a cutoff.
public struct PruneTotals: Sendable, Equatable {
    public var dialogues = 0
    public var messages = 0
    /// Bytes of message text removed.
    public var textBytes = 0
    public var rawReplies = 0
    /// Bytes of raw model replies removed.
    public var replyBytes = 0
    /// Rendered reports older than the window (they quote short excerpts of dialogues).
    public var reports = 0
    /// Dialogues past the window kept whole because they are hand-labeled (the validation set).
    public var keptLabeled = 0

    public init() {}
}

/// Retention on the store: what would go, and removing it.
public protocol RetentionStore {
    func prunePlan(before cutoffUnixMillis: Int64) throws -> PruneTotals
    func prune(before cutoffUnixMillis: Int64) throws -> PruneTotals
    /// The database file's size in bytes.
    func fileBytes() -> Int
}
