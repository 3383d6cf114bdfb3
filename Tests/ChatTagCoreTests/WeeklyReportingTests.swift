import Testing

@testable import ChatTagCore

/// A report store in memory: the runs' instruments and each week's tag counts.
final class MemoryReportStore: ReportStore {
    var latest: Instrument?
    var counts: [InstrumentCount] = []
    var saved: [StoredReport] = []

    func latestInstrument() throws -> Instrument? { latest }
    func latestInstrument(promptName: String?, promptVersion: String?, model: String?) throws -> Instrument? {
        guard let latest, promptName == nil || promptName == latest.promptName, promptVersion == nil || promptVersion == latest.promptVersion,
            model == nil || model == latest.model
        else { return nil }
        return latest
    }
    func instrumentCounts(in range: Range<Int64>) throws -> [InstrumentCount] { counts }
    func weekDialogues(in range: Range<Int64>, instrument: Instrument?) throws -> [ReportDialogue] { [] }
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

    @Test func theWeekReadsTheInstrumentThatTaggedMostOfItNotTheLatestRun() throws {
        let store = MemoryReportStore()
        store.latest = Self.v2
        store.counts = [InstrumentCount(instrument: Self.v1, dialogues: 40, newestTag: 10), InstrumentCount(instrument: Self.v2, dialogues: 5, newestTag: 99)]
        let week = ReportWeek(year: 2026, week: 47)
        #expect(try WeeklyReporting(store: store).instrument(template: nil, model: nil, week: week, zone: Self.zone) == Self.v1)
        store.counts[1].dialogues = 40
        #expect(try WeeklyReporting(store: store).instrument(template: nil, model: nil, week: week, zone: Self.zone) == Self.v2, "the latest run wins a tie")
    }

    @Test func aNamedModelThatNeverRanIsRefusedSayingWhatToRun() throws {
        let store = MemoryReportStore()
        store.latest = Self.v1
        #expect(throws: UseCaseError.noRun(description: "gpt-x")) {
            try WeeklyReporting(store: store).instrument(template: nil, model: "gpt-x", week: ReportWeek(year: 2026, week: 47), zone: Self.zone)
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
        let report = try reporting.report(week: ReportWeek(year: 2026, week: 47), zone: Self.zone, instrument: nil)
        _ = try reporting.render(report, format: .json, instrument: nil)
        #expect(report.isEmpty && store.saved.isEmpty)
    }
}
