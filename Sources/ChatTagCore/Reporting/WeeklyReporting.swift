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
    /// they differ the report says the instrument changed instead of calling it a trend. The
    /// trend of the last ``WeeklyReport/historyWeeks`` weeks (from the first week with
    /// dialogues) reads each week with the instrument in effect in it, or the named one.
    public func report(
        week: ReportWeek, zone: ZoneResolver, instruments: (current: Instrument?, previous: Instrument?), named: Bool = false, reviewBelow: Double? = nil
    ) throws -> WeeklyReport {
        let currentItems = try store.weekDialogues(in: week.interval(in: zone), instrument: instruments.current)
        let previousItems = try store.weekDialogues(in: week.previous.interval(in: zone), instrument: instruments.previous)
        let current = WeekFigures(week: week, instrument: instruments.current, dialogues: currentItems, reviewBelow: reviewBelow)
        let previous = WeekFigures(week: week.previous, instrument: instruments.previous, dialogues: previousItems, reviewBelow: reviewBelow)
        var history = [WeekPoint(current), WeekPoint(previous)]
        var earlier = week.previous
        let production = ProductionInstrument(store: self.instruments, clock: clock)
        for _ in 2..<WeeklyReport.historyWeeks {
            earlier = earlier.previous
            let instrument = named ? instruments.current : ((try? production.forWeek(earlier)) ?? instruments.previous)
            let items = try store.weekDialogues(in: earlier.interval(in: zone), instrument: instrument)
            history.append(WeekPoint(WeekFigures(week: earlier, instrument: instrument, dialogues: items, reviewBelow: reviewBelow)))
        }
        while let oldest = history.last, oldest.dialogues == 0, history.count > 1 { history.removeLast() }
        var rubric = try rubricWeek(week, zone: zone, items: currentItems)
        rubric?.compare(with: try rubricWeek(week.previous, zone: zone, items: previousItems))
        return WeeklyReport(zone: zone.identifier, current: current, previous: previous, history: history.reversed(), rubric: rubric)
    }

    /// One staff member's coaching page for `week`, from the week's report.
    public func coaching(_ report: WeeklyReport, name: String) throws -> StaffCoaching {
        guard let rubric = report.rubric else { throw UseCaseError.noRubric }
        guard let page = StaffCoaching(rubric: rubric, week: report.current.week, name: name) else {
            throw UseCaseError.unknownStaff(name: name, week: report.current.week.description, known: rubric.staff.map(\.name))
        }
        return page
    }

    /// The week's rubric, read with the rubric instrument in effect in it; nil when none is declared.
    func rubricWeek(_ week: ReportWeek, zone: ZoneResolver, items: [ReportDialogue]) throws -> RubricWeek? {
        guard let instrument = try ProductionInstrument(store: instruments, clock: clock, role: .rubric).forWeek(week) else { return nil }
        let rubricItems = try store.weekDialogues(in: week.interval(in: zone), instrument: instrument)
        return RubricWeek(
            instrument: instrument, dialogues: rubricItems.map(\.dialogue),
            rubricTags: Dictionary(rubricItems.compactMap { item in item.tag.map { (item.dialogue.id, $0) } }, uniquingKeysWith: { first, _ in first }),
            tags: Dictionary(items.compactMap { item in item.tag.map { (item.dialogue.id, $0) } }, uniquingKeysWith: { first, _ in first }))
    }

    /// Renders the report and keeps it in `reports` (an empty week is not kept).
    public func render(
        _ report: WeeklyReport, format: PageFormat, instrument: Instrument?, csv: WeeklyReport.CSVStyle = .excel, language: OutputLanguage = .ru
    ) throws -> String {
        let body: String
        switch format {
        case .json: body = try report.jsonText()
        case .md: body = report.markdown(language)
        case .csv: body = report.csv(style: csv, language: language)
        case .html: body = report.html(language)
        case .table: body = report.table(language)
        }
        if !report.isEmpty {
            try store.save(
                StoredReport(
                    kind: "week", instrument: instrument, format: format.rawValue,
                    params: ["week": report.current.week.description, "zone": report.zone, "lang": language.rawValue], body: body))
        }
        return body
    }
}
