/// Puts instants into ISO weeks of one zone for a single thread that sees them roughly in
/// time order (an import's writer): the zone's offset is looked up once per quarter hour of
/// time (zone transitions fall on quarter hours), not once per dialogue.
public final class WeekCalendar {
    public let zone: ZoneResolver
    private var quarter = Int64.min
    private var offset: Int32 = 0

    public init(zone: ZoneResolver) {
        self.zone = zone
    }

    /// The ISO week of the wall-clock date of an instant (milliseconds since the epoch).
    public func week(of unixMillis: Int64) -> ReportWeek {
        let seconds = floorDiv(unixMillis, 1000)
        let current = floorDiv(seconds, 900)
        if current != quarter {
            quarter = current
            offset = zone.offset(atUnixSeconds: current * 900)
        }
        return ReportWeek(containing: CivilDate(daysSinceEpoch: Int(floorDiv(seconds + Int64(offset), 86_400))))
    }
}
