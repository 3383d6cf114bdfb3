import Testing

@testable import ChatTagCore

/// A report store in memory: the latest run's instrument, the tagged instruments and the
/// declared ones.
final class MemoryReportStore: ReportStore, InstrumentStore {
    var latest: Instrument?
    var counts: [InstrumentCount] = []
    var declared: [DeclaredInstrument] = []
    var saved: [StoredReport] = []
    /// The dialogues a week's range holds, with the instrument's tags.
    var dialoguesOfWeek: (Range<Int64>, Instrument?) -> [ReportDialogue] = { _, _ in [] }

    func declare(_ declaration: DeclaredInstrument) throws { declared.append(declaration) }
    func declarations() throws -> [DeclaredInstrument] { declared.sorted { $0.countsFrom < $1.countsFrom } }
    func taggedInstruments() throws -> [InstrumentCount] { counts }

    func latestInstrument() throws -> Instrument? { latest }
    func latestInstrument(promptName: String?, promptVersion: String?, model: String?) throws -> Instrument? {
        guard let latest, promptName == nil || promptName == latest.promptName, promptVersion == nil || promptVersion == latest.promptVersion,
            model == nil || model == latest.model
        else { return nil }
        return latest
    }
    func weekDialogues(in range: Range<Int64>, instrument: Instrument?) throws -> [ReportDialogue] { dialoguesOfWeek(range, instrument) }
    func tags(promptHash: String, model: String) throws -> [StoredTag] { [] }
    func save(_ report: StoredReport) throws { saved.append(report) }
}

/// A clock stopped at one instant.
struct FrozenClock: Clock {
    var unixMillis: Int64
    func nowUnixMillis() -> Int64 { unixMillis }
    func monotonicSeconds() -> Double { Double(unixMillis) / 1000 }
    func sleep(seconds: Double) async {}
}

@Suite struct WeeklyReportingTests {
    static let v1 = Instrument(promptName: "tagging", promptVersion: "1", promptHash: "h1", model: "m")
    static let v2 = Instrument(promptName: "tagging", promptVersion: "2", promptHash: "h2", model: "m")
    static let zone = TestSupport.zone()

    static let w47 = ReportWeek(year: 2026, week: 47)

    @Test func theWeekReadsTheDeclaredInstrumentNotTheLatestRunOrTheMostTags() throws {
        let store = MemoryReportStore()
        store.latest = Self.v2
        store.counts = [InstrumentCount(instrument: Self.v2, dialogues: 400, newestTag: 99), InstrumentCount(instrument: Self.v1, dialogues: 40, newestTag: 10)]
        let template = try PromptLibrary(directories: []).template("tagging@1")
        try ProductionInstrument(store: store, clock: FrozenClock(unixMillis: 1_795_383_000_000)).set(
            template: template, model: "m", countsFrom: "2026-01-01", zone: Self.zone)
        let declared = Instrument(promptName: "tagging", promptVersion: "1", promptHash: template.hash, model: "m")
        let chosen = try WeeklyReporting(store: store).instruments(template: nil, model: nil, week: Self.w47)
        #expect(chosen.current == declared && chosen.previous == declared)
    }

    @Test func aDeclaredChangeSplitsTheWeeksAndIsNotCalledATrend() throws {
        let store = MemoryReportStore()
        store.declared = [
            DeclaredInstrument(instrument: Self.v1, countsFrom: "2026-01-01", declaredAt: "2026-01-01T00:00:00Z"),
            // Counts from Sunday of W47: W47 reads v2, W46 still v1.
            DeclaredInstrument(instrument: Self.v2, countsFrom: "2026-11-22", declaredAt: "2026-11-22T09:00:00Z"),
        ]
        let reporting = WeeklyReporting(store: store)
        let chosen = try reporting.instruments(template: nil, model: nil, week: Self.w47)
        #expect(chosen.current == Self.v2 && chosen.previous == Self.v1)
        #expect(try reporting.instruments(template: nil, model: nil, week: Self.w47.previous).current == Self.v1)
        let (current, previous) = try WeeklyReportTests.weeks()
        let report = WeeklyReport(
            zone: "Europe/Moscow", current: WeekFigures(week: Self.w47, instrument: chosen.current, dialogues: current),
            previous: WeekFigures(week: Self.w47.previous, instrument: chosen.previous, dialogues: previous))
        #expect(report.trend == .instrumentChanged && report.instrumentNote(Wording(.en))?.contains("not a trend") == true)
    }

    @Test func theTrendCoversTwelveWeeksAndBreaksWhereTheInstrumentChanged() throws {
        let store = MemoryReportStore()
        store.declared = [
            DeclaredInstrument(instrument: Self.v1, countsFrom: "2026-01-01", declaredAt: "2026-01-01T00:00:00Z"),
            DeclaredInstrument(instrument: Self.v2, countsFrom: "2026-10-26", declaredAt: "2026-10-26T09:00:00Z"),  // Monday of W44
        ]
        let (current, _) = try WeeklyReportTests.weeks()
        store.dialoguesOfWeek = { _, _ in current }
        let reporting = WeeklyReporting(store: store)
        let report = try reporting.report(week: Self.w47, zone: Self.zone, instruments: try reporting.instruments(template: nil, model: nil, week: Self.w47))
        #expect(report.history.count == 12)
        #expect(report.history.first?.week == ReportWeek(year: 2026, week: 36) && report.history.last?.week == Self.w47)
        #expect(report.history.map(\.instrument) == Array(repeating: Self.v1, count: 8) + Array(repeating: Self.v2, count: 4))
        // Each week: 7 dialogues, 2 missed leads of 6 tagged, 3 unanswered (the hand count of the W47 fixture).
        #expect(report.history.allSatisfy { $0.dialogues == 7 && $0.missedLeads == 2 && $0.tagged == 6 && $0.unanswered == 3 })
        let charts = report.trendCharts(Wording(.ru))
        #expect(charts.map(\.title) == ["Упущенные лиды, доля размеченных", "Медиана первого ответа", "Без ответа, доля диалогов", "Конверсия лидов"])
        // Tag figures break between W43 and W44; figures from timestamps do not.
        #expect(charts[0].points.map(\.segment) == Array(repeating: 0, count: 8) + Array(repeating: 1, count: 4))
        #expect(charts[1].points.allSatisfy { $0.segment == 0 })
        let page = report.html()
        #expect(page.components(separatedBy: "stroke-dasharray").count - 1 == 2)
        #expect(page.contains("Последние 12 недель") && page.contains("Пунктир — смена инструмента"))
        #expect((jsonDictionary(report.json)["history"] as? [[String: Any]])?.count == 12)
    }

    @Test func tagsWithoutADeclaredInstrumentAreRefusedSayingWhatToRun() throws {
        let store = MemoryReportStore()
        #expect(try WeeklyReporting(store: store).instruments(template: nil, model: nil, week: Self.w47).current == nil, "nothing tagged: facts only")
        store.counts = [InstrumentCount(instrument: Self.v2, dialogues: 40, newestTag: 10)]
        #expect(throws: UseCaseError.noInstrument(suggestion: "tagging@2 m")) {
            try WeeklyReporting(store: store).instruments(template: nil, model: nil, week: Self.w47)
        }
    }

    @Test func aNamedModelThatNeverRanIsRefusedSayingWhatToRun() throws {
        let store = MemoryReportStore()
        store.latest = Self.v1
        #expect(throws: UseCaseError.noRun(description: "gpt-x")) {
            try WeeklyReporting(store: store).instruments(template: nil, model: "gpt-x", week: Self.w47)
        }
    }

    @Test func lastAndCurrentWeeksComeFromTheClockInTheReportZone() {
        // Monday 2026-11-23 00:30 in Moscow is still Sunday in UTC.
        let reporting = WeeklyReporting(store: MemoryReportStore(), clock: FrozenClock(unixMillis: 1_795_383_000_000))
        #expect(reporting.week("current", zone: Self.zone) == ReportWeek(year: 2026, week: 48))
        #expect(reporting.week("last", zone: Self.zone) == ReportWeek(year: 2026, week: 47))
        #expect(reporting.week("2026-W03", zone: Self.zone) == ReportWeek(year: 2026, week: 3))
        #expect(reporting.week("soon", zone: Self.zone) == nil)
    }

    @Test func anEmptyWeekIsRenderedButNotKept() throws {
        let store = MemoryReportStore()
        let reporting = WeeklyReporting(store: store)
        let report = try reporting.report(week: Self.w47, zone: Self.zone, instruments: (nil, nil))
        _ = try reporting.render(report, format: .json, instrument: nil)
        #expect(report.isEmpty && store.saved.isEmpty)
    }
}
