/// The weekly report as a use case: which week, which instrument (prompt and model) its
/// tags come from, the figures of that week beside the previous one, and the rendered page
/// kept in `reports`.
public struct WeeklyReporting {
    let store: ReportStore
    let clock: Clock

    public init(store: ReportStore, clock: Clock = SystemClock()) {
        self.store = store
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

    /// The instrument a week's report reads. Given a template and/or a model, the latest run
    /// that used them (or exactly them, when both are given and nothing ran yet is refused).
    /// Given neither, the instrument that tagged most of the week, the latest run's on a tie,
    /// so a `compare` or a `run --limit` since the weekly run does not hollow out the report.
    public func instrument(template: PromptTemplate?, model: String?, week: ReportWeek, zone: ZoneResolver) throws -> Instrument? {
        if template != nil || model != nil {
            if let found = try store.latestInstrument(promptName: template?.name, promptVersion: template?.version, model: model) { return found }
            if let template, let model {
                return Instrument(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: model)
            }
            throw UseCaseError.noRun(description: [template?.id, model].compactMap { $0 }.joined(separator: " × "))
        }
        let latest = try store.latestInstrument()
        return try dominantInstrument(in: week.interval(in: zone), preferred: latest) ?? latest
    }

    /// The instrument that tagged most dialogues of `range`; `preferred` wins a tie.
    func dominantInstrument(in range: Range<Int64>, preferred: Instrument?) throws -> Instrument? {
        let counts = try store.instrumentCounts(in: range)
        guard let top = counts.first else { return nil }
        if let preferred, let match = counts.first(where: { $0.instrument.promptHash == preferred.promptHash && $0.instrument.model == preferred.model }),
            match.dialogues == top.dialogues
        {
            return preferred
        }
        return top.instrument
    }

    /// The report of `week` from `instrument`'s tags; the previous week reads the instrument
    /// that tagged most of it (this one on a tie), so a change of prompt between the weeks
    /// shows as an instrument change rather than a trend.
    public func report(week: ReportWeek, zone: ZoneResolver, instrument: Instrument?) throws -> WeeklyReport {
        let previousRange = week.previous.interval(in: zone)
        let previousInstrument = try dominantInstrument(in: previousRange, preferred: instrument) ?? instrument
        return WeeklyReport(
            zone: zone.identifier,
            current: WeekFigures(week: week, instrument: instrument, dialogues: try store.weekDialogues(in: week.interval(in: zone), instrument: instrument)),
            previous: WeekFigures(
                week: week.previous, instrument: previousInstrument, dialogues: try store.weekDialogues(in: previousRange, instrument: previousInstrument)))
    }

    /// Renders the report and keeps it in `reports` (an empty week is not kept).
    public func render(_ report: WeeklyReport, format: PageFormat, instrument: Instrument?) throws -> String {
        let body: String
        switch format {
        case .json: body = try report.jsonText()
        case .md: body = report.markdown()
        case .csv: body = report.csv()
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
