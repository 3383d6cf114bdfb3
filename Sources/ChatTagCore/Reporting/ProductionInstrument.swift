/// The production instrument: the one prompt and model whose tags Monday's figures read,
/// declared by a person (`chattag instrument set tagging@2 gpt-4.1-mini`) and kept with its
/// history. Experiments — a `compare`, a `run --limit`, a test of another prompt — tag with
/// other instruments and never move the weekly report.
public struct ProductionInstrument {
    let store: InstrumentStore
    let clock: Clock
    /// Which declarations this reads: the tags' (the default) or the rubric's.
    let role: InstrumentRole

    public init(store: InstrumentStore, clock: Clock = SystemClock(), role: InstrumentRole = .tags) {
        self.store = store
        self.clock = clock
        self.role = role
    }

    /// The declarations of this role, oldest `countsFrom` first.
    func declarations() throws -> [DeclaredInstrument] { try store.declarations().filter { $0.role == role } }

    /// Declares `template` × `model` as the instrument from `countsFrom` (YYYY-MM-DD;
    /// default: today in `zone`).
    @discardableResult
    public func set(template: PromptTemplate, model: String, countsFrom: String?, zone: ZoneResolver) throws -> DeclaredInstrument {
        let now = clock.nowUnixMillis()
        let from = countsFrom ?? ChatTime(unixMillis: now, offsetSeconds: zone.offset(atUnixSeconds: now / 1000)).iso8601.prefix(10).description
        guard Self.isDate(from) else { throw UseCaseError.badOption("--from takes a date as YYYY-MM-DD (got '\(from)').") }
        let instrument = Instrument(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: model)
        let role = InstrumentRole(template: template)
        // Declaring again what is already in effect from that date adds nothing to the history.
        if let latest = try store.declarations().filter({ $0.role == role }).last, latest.instrument == instrument, latest.countsFrom <= from { return latest }
        let declaration = DeclaredInstrument(instrument: instrument, countsFrom: from, declaredAt: clock.timestamp(), role: role)
        try store.declare(declaration)
        return declaration
    }

    /// The instrument in effect on `date` (YYYY-MM-DD): the latest declared to count from
    /// that date or earlier; before the first declaration, the first one. Nil when none was
    /// ever declared.
    public func inEffect(on date: String) throws -> Instrument? {
        let history = try declarations()
        return (history.last { $0.countsFrom <= date } ?? history.first)?.instrument
    }

    /// The instrument a week's report reads (the one in effect on its last day), or an error
    /// saying what to run when tags exist but no instrument was declared. Nil when there is
    /// nothing tagged at all.
    public func forWeek(_ week: ReportWeek) throws -> Instrument? {
        if let instrument = try inEffect(on: week.sunday.isoText) { return instrument }
        guard role == .tags else { return nil }
        let tagged = try store.taggedInstruments().filter { $0.instrument.promptName != "rubric" }
        guard let most = tagged.first else { return nil }
        throw UseCaseError.noInstrument(suggestion: "\(most.instrument.promptName)@\(most.instrument.promptVersion) \(most.instrument.model)")
    }

    public func history() throws -> [DeclaredInstrument] { try declarations() }

    /// Every declaration of every role, oldest `countsFrom` first.
    public func allDeclarations() throws -> [DeclaredInstrument] { try store.declarations() }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2, let month = Int(parts[1]), let day = Int(parts[2]),
            Int(parts[0]) != nil
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
