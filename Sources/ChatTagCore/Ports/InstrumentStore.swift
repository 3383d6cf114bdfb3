/// What a declared instrument measures: the tags (intent, sentiment, missed leads) or the
/// manager rubric. The template's fields decide it.
public enum InstrumentRole: String, Sendable, CaseIterable {
    case tags
    case rubric

    /// The role a template plays: `rubric` when it asks the rubric's fields.
    public init(template: PromptTemplate) {
        self = template.taxonomy.isRubric ? .rubric : .tags
    }
}

/// One declaration of a production instrument: from `countsFrom` (a date, YYYY-MM-DD in
/// the business's zone) the weekly report, exports and BI views read this prompt and
/// model's tags (or rubric, by `role`).
public struct DeclaredInstrument: Sendable, Equatable {
    public var instrument: Instrument
    public var countsFrom: String
    /// When it was declared (ISO-8601, UTC).
    public var declaredAt: String
    public var role: InstrumentRole

    public init(instrument: Instrument, countsFrom: String, declaredAt: String, role: InstrumentRole = .tags) {
        self.instrument = instrument
        self.countsFrom = countsFrom
        self.declaredAt = declaredAt
        self.role = role
    }
}

/// Where the history of declared instruments lives. Implemented on SQLite by `ChatTagStore`.
public protocol InstrumentStore {
    func declare(_ declaration: DeclaredInstrument) throws
    /// Every declaration, oldest `countsFrom` first (ties: in declaration order).
    func declarations() throws -> [DeclaredInstrument]
    /// Per prompt and model, how many dialogues have an `ok` tag, most first.
    func taggedInstruments() throws -> [InstrumentCount]
}
