/// One labeled dialogue's gold value for a field and what a prompt and model predicted
/// (nil: no tag, or a failed one).
public typealias LabelPair = (dialogueID: String, gold: String, predicted: String?)

/// One stored tag as the labeling loop reads it.
public struct TagReading: Sendable, Equatable {
    public var values: TagValues
    public var confidence: [String: Double]

    public init(values: TagValues, confidence: [String: Double]) {
        self.values = values
        self.confidence = confidence
    }

    /// The least sure field's confidence; nil without confidences.
    public var lowestConfidence: Double? { confidence.values.min() }
}

/// Tokens, latency and failures of one prompt and model's tags on the labeled dialogues.
public struct TagUsageTotals: Sendable, Equatable {
    /// Labeled dialogues with a tag (ok or failed).
    public var dialogues: Int
    public var failed: Int
    /// Means per tag; nil when there is no tag.
    public var tokensIn: Double?
    public var tokensOut: Double?
    /// Milliseconds per tag, every attempt included.
    public var latencyMs: Double?

    public init(dialogues: Int, failed: Int, tokensIn: Double?, tokensOut: Double?, latencyMs: Double?) {
        self.dialogues = dialogues
        self.failed = failed
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.latencyMs = latencyMs
    }
}

/// Where hand labels live, and the tags they are checked against. Implemented on SQLite by
/// `ChatTagStore`; it answers queries, the reports are built in ``LabelEvaluation``.
public protocol LabelStore {
    /// Stores labels (one row per dialogue and annotator; a relabel replaces the row), all or none.
    func write(_ labels: [HandLabel], source: String) throws
    /// Every annotator's value of one field on imported dialogues, each with the prediction
    /// of a prompt hash and model; which one is gold is decided by ``GoldLabels``.
    func labelVotes(field: String, promptHash: String, model: String) throws -> [LabelVote]
    func tagUsage(promptHash: String, model: String) throws -> TagUsageTotals
    /// Every `ok` tag of a prompt hash and model on the current content of its dialogue: its
    /// values and confidences, by dialogue id.
    func tagReadings(promptHash: String, model: String) throws -> [String: TagReading]
    /// Per labeled dialogue, the confidence of a field's `ok` tag of a prompt hash and model (those with one).
    func tagConfidences(field: String, promptHash: String, model: String) throws -> [String: Double]
    /// The two annotators (other than `adjudicated`) who labeled the most dialogues in common.
    func annotatorsWithMostOverlap() throws -> (first: String, second: String)?
    /// The two annotators' values of `field` on the dialogues both labeled.
    func pairedLabels(field: String, first: String, second: String) throws -> [(first: String?, second: String?)]
    /// Dialogues with a label of any of `fields` from any annotator: never offered for labeling again.
    func labeledDialogueIDs(fields: [String]) throws -> Set<String>
    /// The first client message of a dialogue (anonymized), for the excerpt beside an error.
    func firstClientText(of dialogueID: String) throws -> String
}
