/// What the business owner reads on Monday: one week's figures beside the previous week's.
///
/// Changes in figures that come from tags (intents, sentiment, missed leads) are called a
/// trend only when both weeks were tagged by the same instrument — the same prompt hash and
/// model, answered by the same model versions. Otherwise the report says the instrument
/// changed, because a new prompt moves the numbers by itself. Response times and unanswered
/// dialogues come from timestamps and always compare.
public struct WeeklyReport: Sendable, Equatable {
    /// Whether the tag figures of the two weeks compare, and if not, why.
    public enum Trend: String, Sendable {
        case comparable
        /// Another prompt hash or model tagged the previous week.
        case instrumentChanged = "instrument_changed"
        /// Same prompt and model, answered by other model versions.
        case modelChanged = "model_changed"
        /// One of the weeks has no tags (or no dialogues) to compare.
        case noTags = "no_tags"
    }

    /// The IANA zone the weeks were cut in.
    public var zone: String
    public var current: WeekFigures
    public var previous: WeekFigures
    public var trend: Trend
    /// Why tag figures do not compare, in a sentence; nil when they do.
    public var instrumentNote: String?

    /// Whether tag figures of the two weeks may be compared.
    public var tagsComparable: Bool { trend == .comparable }

    public init(zone: String, current: WeekFigures, previous: WeekFigures) {
        self.zone = zone
        self.current = current
        self.previous = previous
        switch (current.instrument, previous.instrument) {
        case (_?, _?) where previous.tagged == 0 || current.tagged == 0:
            trend = .noTags
            instrumentNote = previous.dialogues == 0 ? "No dialogues in \(previous.week) to compare with." : "One of the two weeks has no tags; tag figures are not compared."
        case let (now?, before?) where now != before:
            trend = .instrumentChanged
            instrumentNote =
                "The instrument changed: \(previous.week) was tagged with \(before), \(current.week) with \(now). Differences in intents, sentiment and missed leads are not a trend."
        case (_?, _?) where current.modelVersions != previous.modelVersions:
            trend = .modelChanged
            instrumentNote =
                "The answering model changed: \(previous.modelVersions.joined(separator: ", ")) in \(previous.week), \(current.modelVersions.joined(separator: ", ")) in \(current.week). Differences in tag figures may come from the model, not the business."
        case (_?, _?):
            trend = .comparable
            instrumentNote = nil
        default:
            trend = .noTags
            instrumentNote = previous.dialogues == 0 ? "No dialogues in \(previous.week) to compare with." : "One of the two weeks has no tags; tag figures are not compared."
        }
    }

    /// Whether the week has any dialogue at all.
    public var isEmpty: Bool { current.dialogues == 0 }

    /// The sentence a week without data gets.
    public var emptyMessage: String {
        "No dialogues started in \(current.week) (\(current.firstDay) – \(current.lastDay), \(zone)). Import that week's exports first, or pick another week with --week."
    }
}
