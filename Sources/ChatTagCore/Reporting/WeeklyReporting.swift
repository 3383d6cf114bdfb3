/// The weekly report as a use case: which week, which instrument (prompt and model) its
/// tags come from, the figures of that week beside the previous one, and the rendered page
/// kept in `reports`.
///
/// ```swift
/// let reporting = WeeklyReporting(store: store)
/// let week = reporting.week("last", zone: zone)!
/// let report = try reporting.report(week: week, zone: zone, instruments: try reporting.instruments(template: nil, model: nil, week: week))
/// ```
public struct WeeklyReporting {
    let store: ReportStore
    let instruments: InstrumentStore
    let clock: Clock

    public init(store: ReportStore & InstrumentStore, clock: Clock = SystemClock()) {
        self.store = store
        self.instruments = store
        self.clock = clock
    }

    /// `last` (the last full week), `current` (the one in progress) or an ISO week such as
    /// `2026-W47`, in `zone`; nil for anything else.
    public func week(_ text: String, zone: ZoneResolver) -> ReportWeek? {
        let current = ReportWeek(at: clock.nowUnixMillis(), in: zone)
        switch text {
        case "last": return current.previous
        case "current": return current
        default: return ReportWeek(parsing: text)
        }
    }

    /// The instruments a week's report and the week before it read. Given a template and/or
    /// a model, the latest run that used them (both weeks). Given neither, the declared
    /// production instrument in effect in each week (see ``ProductionInstrument``), so a
    /// `compare` or a test run never moves Monday's figures.
    public func instruments(template: PromptTemplate?, model: String?, week: ReportWeek) throws -> (current: Instrument?, previous: Instrument?) {
        if template != nil || model != nil {
            if let found = try store.latestInstrument(promptName: template?.name, promptVersion: template?.version, model: model) { return (found, found) }
            if let template, let model {
                let named = Instrument(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: model)
                return (named, named)
            }
            throw UseCaseError.noRun(description: [template?.id, model].compactMap { $0 }.joined(separator: " × "))
        }
        let production = ProductionInstrument(store: instruments, clock: clock)
        let current = try production.forWeek(week)
        return (current, try production.forWeek(week.previous) ?? current)
    }

    /// The report of `week` beside the previous week, each read with its instrument; when
    /// they differ the report says the instrument changed instead of calling it a trend.
    public func report(week: ReportWeek, zone: ZoneResolver, instruments: (current: Instrument?, previous: Instrument?)) throws -> WeeklyReport {
        let previousRange = week.previous.interval(in: zone)
        return WeeklyReport(
            zone: zone.identifier,
            current: WeekFigures(
                week: week, instrument: instruments.current, dialogues: try store.weekDialogues(in: week.interval(in: zone), instrument: instruments.current)),
            previous: WeekFigures(
                week: week.previous, instrument: instruments.previous,
                dialogues: try store.weekDialogues(in: previousRange, instrument: instruments.previous)))
    }

    /// Renders the report and keeps it in `reports` (an empty week is not kept).
    public func render(_ report: WeeklyReport, format: PageFormat, instrument: Instrument?, csv: WeeklyReport.CSVStyle = .excel) throws -> String {
        let body: String
        switch format {
        case .json: body = try report.jsonText()
        case .md: body = report.markdown()
        case .csv: body = report.csv(style: csv)
        case .html: body = report.html()
        case .table: body = report.table()
        }
        if !report.isEmpty {
            try store.save(
                StoredReport(
                    kind: "week", instrument: instrument, format: format.rawValue,
                    params: ["week": report.current.week.description, "zone": report.zone], body: body))
        }
        return body
    }
}
