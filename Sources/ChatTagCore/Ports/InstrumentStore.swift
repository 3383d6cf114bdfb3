/// One declaration of the production instrument: from `countsFrom` (a date, YYYY-MM-DD in
/// the business's zone) the weekly report, exports and BI views read this prompt and
/// model's tags.
public struct DeclaredInstrument: Sendable, Equatable {
    public var instrument: Instrument
    public var countsFrom: String
    /// When it was declared (ISO-8601, UTC).
    public var declaredAt: String

    public init(instrument: Instrument, countsFrom: String, declaredAt: String) {
        self.instrument = instrument
        self.countsFrom = countsFrom
        self.declaredAt = declaredAt
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
