/// An ISO-8601 week (`2026-W47`: Monday to Sunday, week 1 holds the year's first Thursday),
/// and the instants it spans in a time zone.
public struct ReportWeek: Sendable, Hashable, CustomStringConvertible {
    /// The ISO week-numbering year, which differs from the calendar year around New Year.
    public var year: Int
    public var week: Int

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    /// The week holding a calendar date.
    public init(containing date: CivilDate) {
        let days = date.daysSinceEpoch
        let thursday = days - Self.weekdayIndex(days) + 3
        year = CivilDate(daysSinceEpoch: thursday).year
        week = (thursday - Self.mondayOfWeekOne(year)) / 7 + 1
    }

    /// Reads `2026-W47` (also `2026-w47`, `2026W47`); nil when the text is not such a week or
    /// the year has no such week.
    public init?(parsing text: String) {
        let upper = text.uppercased().replacingOccurrences(of: "-W", with: "W")
        let parts = upper.split(separator: "W", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), (1...2).contains(parts[1].count), let week = Int(parts[1]),
            week >= 1, week <= Self.weeks(in: year)
        else { return nil }
        self.init(year: year, week: week)
    }

    /// The number of ISO weeks in a year: 53 when it starts on a Thursday, or is a leap year starting on a Wednesday.
    public static func weeks(in year: Int) -> Int {
        ReportWeek(containing: CivilDate(year: year, month: 12, day: 28)).week
    }

    /// `2026-W47`.
    public var description: String { "\(year)-W" + (week < 10 ? "0" : "") + "\(week)" }

    /// Monday of the week.
    public var monday: CivilDate { CivilDate(daysSinceEpoch: Self.mondayOfWeekOne(year) + (week - 1) * 7) }
    /// Sunday of the week.
    public var sunday: CivilDate { CivilDate(daysSinceEpoch: monday.daysSinceEpoch + 6) }

    public var previous: ReportWeek { ReportWeek(containing: CivilDate(daysSinceEpoch: monday.daysSinceEpoch - 7)) }

    /// Milliseconds since the epoch from Monday 00:00 (inclusive) to the next Monday 00:00
    /// (exclusive), wall-clock time in `zone` — so a week across a DST change is 167 or 169 hours.
    public func interval(in zone: ZoneResolver) -> Range<Int64> {
        func start(ofDay days: Int) -> Int64 {
            let local = Int64(days) * 86_400
            return (local - Int64(zone.offset(forLocalSeconds: local))) * 1000
        }
        return start(ofDay: monday.daysSinceEpoch)..<start(ofDay: monday.daysSinceEpoch + 7)
    }

    /// The week an instant falls in, by its wall-clock date in `zone`.
    public init(at unixMillis: Int64, in zone: ZoneResolver) {
        self = WeekCalendar(zone: zone).week(of: unixMillis)
    }

    /// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
    static func weekdayIndex(_ days: Int) -> Int { ((days + 3) % 7 + 7) % 7 }

    static func mondayOfWeekOne(_ year: Int) -> Int {
        let january4 = CivilDate(year: year, month: 1, day: 4).daysSinceEpoch
        return january4 - weekdayIndex(january4)
    }
}

extension CivilDate {
    /// `2026-11-16`.
    public var isoText: String {
        String(year) + "-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
    }
}
