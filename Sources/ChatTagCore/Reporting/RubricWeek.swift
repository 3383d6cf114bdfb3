import Foundation

/// «Навыки менеджеров»: one week's rubric per staff member — the mean score with its 95%
/// interval and n, the rate of each rubric part, the most frequent recommended action — and
/// the scenarios where clients are lost most (client intent × the part that failed, among
/// missed leads), each with two anonymized excerpts.
public struct RubricWeek: Sendable, Equatable {
    /// One answered dialogue with its score and what the tag instrument said of it.
    public struct ScoredDialogue: Sendable, Equatable {
        public var dialogueID: String
        public var staff: String
        public var isBot: Bool
        public var channel: String
        public var score: RubricScore
        public var intent: String?
        public var missedLead: Bool?
        /// The client's first message, anonymized.
        public var excerpt: String
    }

    /// One staff member's (or bot's) rubric figures.
    public struct StaffRubric: Sendable, Equatable {
        public var name: String
        public var isBot: Bool
        public var n: Int
        public var meanScore: Double
        /// The t-interval at 95% of the mean; nil below two dialogues.
        public var interval: ClosedRange<Double>?
        /// Share of the dialogues with full marks on each part.
        public var rates: [RubricScore.Part: Double]
        public var topAction: String?
        /// Mean score minus last week's, when both weeks were scored by the same rubric instrument.
        public var change: Double?
    }

    /// Where clients are lost: missed leads of an intent that failed one rubric part.
    public struct Scenario: Sendable, Equatable {
        public var intent: String
        public var part: RubricScore.Part
        public var count: Int
        public var examples: [String]
    }

    /// Fewer dialogues than this make a staff member's mean too rough to compare with another's.
    public static let smallN = 5

    public var instrument: Instrument
    public var dialogues: [ScoredDialogue]
    public var staff: [StaffRubric]
    public var scenarios: [Scenario]
    /// Answered dialogues without a rubric tag (not yet scored).
    public var unscored: Int

    /// Scores the week's answered dialogues. `rubricTags` are the rubric instrument's tags by
    /// dialogue id; `tags` the tag instrument's (intent and missed lead for the scenarios).
    public init(instrument: Instrument, dialogues items: [Dialogue], rubricTags: [String: WeekTag], tags: [String: WeekTag]) {
        self.instrument = instrument
        var scored: [ScoredDialogue] = []
        var unscored = 0
        for dialogue in items.sorted(by: { $0.id < $1.id }) {
            let facts = DialogueFacts(dialogue)
            guard let staff = facts.firstResponder else { continue }
            guard let tag = rubricTags[dialogue.id], tag.ok, let score = RubricScore(facts: facts, values: tag.values) else {
                unscored += 1
                continue
            }
            let mainTag = tags[dialogue.id].flatMap { $0.ok ? $0 : nil }
            scored.append(
                ScoredDialogue(
                    dialogueID: dialogue.id, staff: staff, isBot: facts.firstResponderRole == .bot, channel: dialogue.channel, score: score,
                    intent: mainTag?.intent, missedLead: mainTag?.missedLead, excerpt: WeekFigures.excerpt(of: dialogue)))
        }
        dialogues = scored
        self.unscored = unscored
        var byStaff: [String: [ScoredDialogue]] = [:]
        for item in scored { byStaff[item.staff + (item.isBot ? "\u{1}" : ""), default: []].append(item) }
        staff = byStaff.values.map { Self.staffRubric($0) }.sorted { ($0.n, $1.name) > ($1.n, $0.name) }
        var counts: [String: (intent: String, part: RubricScore.Part, examples: [String], count: Int)] = [:]
        for item in scored where item.missedLead == true {
            for part in item.score.failedParts {
                let intent = item.intent ?? "other"
                let key = "\(intent)|\(part.rawValue)"
                var entry = counts[key] ?? (intent, part, [], 0)
                entry.count += 1
                if entry.examples.count < 2 { entry.examples.append(item.excerpt) }
                counts[key] = entry
            }
        }
        let order = RubricScore.Part.allCases
        scenarios = counts.values.sorted {
            ($0.count, -(order.firstIndex(of: $0.part) ?? 0), $1.intent) > ($1.count, -(order.firstIndex(of: $1.part) ?? 0), $0.intent)
        }.prefix(3).map { Scenario(intent: $0.intent, part: $0.part, count: $0.count, examples: $0.examples) }
    }

    static func staffRubric(_ items: [ScoredDialogue]) -> StaffRubric {
        let scores = items.map { Double($0.score.total) }
        let n = scores.count
        let mean = scores.reduce(0, +) / Double(n)
        var interval: ClosedRange<Double>?
        if n >= 2 {
            let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            let half = tQuantile975(degreesOfFreedom: n - 1) * (variance / Double(n)).squareRoot()
            interval = max(-2, mean - half)...min(10, mean + half)
        }
        var rates: [RubricScore.Part: Double] = [:]
        for part in RubricScore.Part.allCases {
            let full = items.filter { item in item.score.parts.contains { $0.part == part && $0.points == $0.maximum } }.count
            rates[part] = Double(full) / Double(n)
        }
        var actions: [String: Int] = [:]
        for item in items { if let action = item.score.recommendedAction { actions[action, default: 0] += 1 } }
        let topAction = actions.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first?.key
        return StaffRubric(name: items[0].staff, isBot: items[0].isBot, n: n, meanScore: mean, interval: interval, rates: rates, topAction: topAction, change: nil)
    }

    /// Student's t at 0.975 for small samples; 1.96 beyond 30 degrees of freedom.
    static func tQuantile975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
            2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        return df >= 1 && df <= table.count ? table[df - 1] : 1.96
    }

    /// People (not bots) with too few scored dialogues to compare.
    public var tooFew: [StaffRubric] { staff.filter { !$0.isBot && $0.n < Self.smallN } }

    /// Sets each staff member's change against last week's rubric, read by the same instrument.
    public mutating func compare(with previous: RubricWeek?) {
        guard let previous, previous.instrument == instrument else { return }
        for index in staff.indices {
            if let before = previous.staff.first(where: { $0.name == staff[index].name && $0.isBot == staff[index].isBot }) {
                staff[index].change = staff[index].meanScore - before.meanScore
            }
        }
    }
}
