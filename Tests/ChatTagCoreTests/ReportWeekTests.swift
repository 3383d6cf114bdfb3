import Testing

@testable import ChatTagCore

@Suite struct ReportWeekTests {
    @Test func isoWeeksFollowTheCalendarAcrossYearEnds() {
        #expect(ReportWeek(containing: CivilDate(year: 2026, month: 11, day: 22)).description == "2026-W47")
        #expect(ReportWeek(containing: CivilDate(year: 2026, month: 11, day: 23)).description == "2026-W48")
        #expect(ReportWeek(containing: CivilDate(year: 2024, month: 12, day: 30)).description == "2025-W01")
        #expect(ReportWeek(containing: CivilDate(year: 2021, month: 1, day: 3)).description == "2020-W53")
        #expect(ReportWeek(containing: CivilDate(year: 2025, month: 3, day: 3)).description == "2025-W10")
        #expect(ReportWeek.weeks(in: 2020) == 53 && ReportWeek.weeks(in: 2026) == 53 && ReportWeek.weeks(in: 2025) == 52)
    }

    @Test func parsesWeeksAndRefusesOnesTheYearDoesNotHave() {
        #expect(ReportWeek(parsing: "2026-W47") == ReportWeek(year: 2026, week: 47))
        #expect(ReportWeek(parsing: "2026w05") == ReportWeek(year: 2026, week: 5))
        #expect(ReportWeek(parsing: "2025-W53") == nil)
        #expect(ReportWeek(parsing: "2026-W00") == nil)
        #expect(ReportWeek(parsing: "47") == nil)
        #expect(ReportWeek(parsing: "2026-11-16") == nil)
    }

    @Test func aWeekRunsFromMondayMidnightToMondayMidnightInTheZone() {
        let week = ReportWeek(year: 2026, week: 47)
        #expect(week.monday.isoText == "2026-11-16" && week.sunday.isoText == "2026-11-22")
        #expect(week.previous.description == "2026-W46")
        #expect(ReportWeek(year: 2026, week: 1).previous.description == "2025-W52")
        let moscow = week.interval(in: TestSupport.zone())
        // 2026-11-16T00:00+03:00 = 2026-11-15T21:00Z.
        #expect(moscow.lowerBound == 1_794_776_400_000)
        #expect(moscow.upperBound - moscow.lowerBound == 7 * 86_400_000)
        let utc = week.interval(in: TestSupport.zone("UTC"))
        #expect(utc.lowerBound - moscow.lowerBound == 3 * 3_600_000)
        // The week of the spring change in Berlin (29 March 2026) is an hour short.
        let berlin = ReportWeek(year: 2026, week: 13).interval(in: TestSupport.zone("Europe/Berlin"))
        #expect(berlin.upperBound - berlin.lowerBound == 167 * 3_600_000)
    }

    @Test func anInstantBelongsToTheWeekOfItsWallClockDateInTheZone() {
        // Sunday 2026-11-22 21:30 UTC is already Monday 00:30 in Moscow.
        let instant: Int64 = 1_795_383_000_000
        #expect(ReportWeek(at: instant, in: TestSupport.zone()).description == "2026-W48")
        #expect(ReportWeek(at: instant, in: TestSupport.zone("UTC")).description == "2026-W47")
    }

    @Test func theWeekCalendarFollowsTheZoneAcrossMidnightAndDaylightSaving() {
        let berlin = WeekCalendar(zone: TestSupport.zone("Europe/Berlin"))
        // Sunday 2026-03-29 22:30 UTC is Monday 00:30 in Berlin, after the spring change (UTC+2).
        #expect(berlin.week(of: 1_774_823_400_000).description == "2026-W14")
        // An hour earlier it is still Sunday 23:30 there.
        #expect(berlin.week(of: 1_774_819_800_000).description == "2026-W13")
        let moscow = WeekCalendar(zone: TestSupport.zone())
        #expect(moscow.week(of: 1_795_383_000_000).description == "2026-W48")
        #expect(moscow.week(of: 1_795_383_000_000 - 3_600_000).description == "2026-W47")
    }
}
