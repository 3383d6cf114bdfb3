/// What happened to a dialogue written by an import.
public enum DialogueWrite: Sendable, Equatable {
    case inserted, updated, unchanged
}

/// Totals of one file's import.
public struct ImportTotals: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var messages = 0
    /// Stored dialogues of a chat that a re-segmented dialogue now contains, removed.
    public var superseded = 0

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, messages: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.messages = messages
    }
}

/// What loading a CRM's outcomes changed.
public struct OutcomeTotals: Sendable, Equatable {
    public var updated = 0
    public var unchanged = 0
    /// How many rows name a dialogue that is not in the database (not imported yet, or another
    /// business's).
    public var unknown = 0
    /// The first ``listedUnknownIDs`` of those ids.
    public var unknownIDs: [String] = []
    /// How many unknown ids are kept to show; the rest are only counted.
    public static let listedUnknownIDs = 100

    /// Counts an unknown id, keeping it while the list is short.
    public mutating func noteUnknown(_ id: String) {
        unknown += 1
        if unknownIDs.count < Self.listedUnknownIDs { unknownIDs.append(id) }
    }

    public init() {}
}

/// Where imported dialogues live. Implemented on SQLite by `ChatTagStore`.
public protocol DialogueStore {
    /// Runs one file's import atomically: every dialogue `body` writes lands, or (when it
    /// throws) none does. `zone` decides the ISO week stored for BI views.
    func importFile(name: String, zone: ZoneResolver?, body: (_ write: (Dialogue) throws -> Void) throws -> FileImportReport) throws -> (
        FileImportReport, ImportTotals
    )
    /// Sets the outcome of each listed dialogue, all or none.
    ///
    /// `body` hands the rows over in chunks through `apply`, all in one transaction: they all
    /// land, or (when `body` throws) none does, and no chunk holds the whole sheet.
    func applyOutcomes(_ body: (_ apply: ([OutcomeRow]) throws -> Void) throws -> Void) throws -> OutcomeTotals
    /// Removes the stored dialogues of chat `source` other than `keeping` that start within
    /// `span` (unix ms): a re-import that follows the conversation merged them into `keeping`.
    /// Their tags go with them; hand labels stay. Call inside ``importFile``'s body.
    func supersede(source: String, within span: ClosedRange<Int64>, keeping: String) throws -> Int
    /// One stored dialogue with its messages, or nil.
    func dialogue(id: String) throws -> Dialogue?
    /// Ids of stored dialogues in id order; pruned ones (no text left) only when asked.
    func dialogueIDs(includingPruned: Bool) throws -> [String]
    /// The week with the most dialogues (the latest of equals).
    func busiestWeek() throws -> ReportWeek?
}
