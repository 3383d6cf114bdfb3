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
    /// The IANA zone the weeks were cut in.
    public var zone: String
    public var current: WeekFigures
    public var previous: WeekFigures
    public var trend: Trend
    /// The last weeks up to and including `current`, oldest first (at most ``historyWeeks``),
    /// each read with the instrument in effect in it: the page's trend lines.
    public var history: [WeekPoint]
    /// «Навыки менеджеров»: the week's rubric, when a rubric instrument is declared.
    public var rubric: RubricWeek?

    /// How many weeks the trend covers.
    public static let historyWeeks = 12

    /// Whether tag figures of the two weeks may be compared.
    public var tagsComparable: Bool { trend == .comparable }

    public init(zone: String, current: WeekFigures, previous: WeekFigures, history: [WeekPoint] = [], rubric: RubricWeek? = nil) {
        self.rubric = rubric
        self.zone = zone
        self.current = current
        self.previous = previous
        self.history = history
        switch (current.instrument, previous.instrument) {
        case (_?, _?) where previous.tagged == 0 || current.tagged == 0: trend = .noTags
        case let (now?, before?) where now != before: trend = .instrumentChanged
        case (_?, _?) where current.modelVersions != previous.modelVersions: trend = .modelChanged
        case (_?, _?): trend = .comparable
        default: trend = .noTags
        }
    }

    /// Why tag figures do not compare, in a sentence; nil when they do.
    public func instrumentNote(_ words: Wording) -> String? {
        switch trend {
        case .comparable: return nil
        case .noTags:
            return previous.dialogues == 0
                ? words.t("За \(previous.week) нет диалогов, сравнивать не с чем.", "No dialogues in \(previous.week) to compare with.")
                : words.t("В одной из двух недель нет тегов: показатели по тегам не сравниваются.", "One of the two weeks has no tags; tag figures are not compared.")
        case .instrumentChanged:
            let before = previous.instrument.map { $0.plainWords(words) } ?? "—", now = current.instrument.map { $0.plainWords(words) } ?? "—"
            return words.t(
                "Инструмент сменился: \(previous.week) размечена так — \(before), \(current.week) — \(now). Разница в намерениях, тональности и упущенных лидах — не тренд, а смена инструмента.",
                "The instrument changed: \(previous.week) was tagged with \(before), \(current.week) with \(now). Differences in intents, sentiment and missed leads are not a trend."
            )
        case .modelChanged:
            let before = previous.modelVersions.joined(separator: ", "), now = current.modelVersions.joined(separator: ", ")
            return words.t(
                "Сменилась версия модели: \(before) в \(previous.week), \(now) в \(current.week). Разница в показателях по тегам может идти от модели, а не от работы с клиентами.",
                "The answering model changed: \(before) in \(previous.week), \(now) in \(current.week). Differences in tag figures may come from the model, not the business.")
        }
    }

    /// Whether the week has any dialogue at all.
    public var isEmpty: Bool { current.dialogues == 0 }

    /// The sentence a week without data gets.
    public func emptyMessage(_ words: Wording) -> String {
        words.t(
            "В \(current.week) (\(current.firstDay) – \(current.lastDay), \(zone)) не началось ни одного диалога. Сначала импортируйте выгрузки за эту неделю или выберите другую неделю через --week.",
            "No dialogues started in \(current.week) (\(current.firstDay) – \(current.lastDay), \(zone)). Import that week's exports first, or pick another week with --week.")
    }
}

/// One week of the trend: the figures the page draws as lines over the last weeks.
public struct WeekPoint: Sendable, Equatable {
    public var week: ReportWeek
    public var instrument: Instrument?
    public var dialogues: Int
    public var tagged: Int
    public var missedLeads: Int
    public var unanswered: Int
    public var firstResponseMedianSeconds: Double?
    public var conversion: WeekFigures.Conversion

    public init(_ figures: WeekFigures) {
        week = figures.week
        instrument = figures.instrument
        dialogues = figures.dialogues
        tagged = figures.tagged
        missedLeads = figures.missedLeads.count
        unanswered = figures.unanswered
        firstResponseMedianSeconds = figures.firstResponseMedianSeconds
        conversion = figures.conversion
    }
}
