/// The prompt and model whose tags a report reads: the instrument that measured the week.
public struct Instrument: Sendable, Hashable, CustomStringConvertible {
    public var promptName: String
    public var promptVersion: String
    public var promptHash: String
    public var model: String

    public init(promptName: String, promptVersion: String, promptHash: String, model: String) {
        self.promptName = promptName
        self.promptVersion = promptVersion
        self.promptHash = promptHash
        self.model = model
    }

    /// `tagging@2 (9f86d081) × gpt-4.1-mini`.
    public var description: String { "\(promptName)@\(promptVersion) (\(promptHash.prefix(8))) × \(model)" }

    /// The instrument as an owner reads it: «шаблон tagging v2 (55a72603), модель gpt-4.1-mini».
    public func plainWords(_ words: Wording) -> String {
        words.t(
            "шаблон \(promptName) v\(promptVersion) (\(promptHash.prefix(8))), модель \(model)",
            "template \(promptName) v\(promptVersion) (\(promptHash.prefix(8))), model \(model)")
    }
}

/// The tag a report reads for one dialogue: the instrument's values, or a failure.
public struct WeekTag: Sendable, Equatable {
    public var ok: Bool
    public var intent: String?
    public var sentiment: String?
    public var missedLead: Bool?
    /// The `model` the server answered with.
    public var modelVersion: String?
    /// Every field the template asked, by name (the rubric's fields live only here).
    public var values: TagValues
    /// How sure the model was of each field, when the run asked for log-probabilities.
    public var confidence: [String: Double] = [:]
    /// A person's label of the dialogue (adjudicated, or its only annotator's): it settles a tag under review.
    public var humanLabel: TagValues?

    /// Whether some field is less sure than `threshold`.
    public func isUnsure(below threshold: Double?) -> Bool {
        guard let threshold else { return false }
        return confidence.values.contains { $0 < threshold }
    }

    /// Whether the tag is unsure and no person has labeled the dialogue yet.
    public func awaitsReview(below threshold: Double?) -> Bool { humanLabel == nil && isUnsure(below: threshold) }

    public init(ok: Bool, intent: String?, sentiment: String?, missedLead: Bool?, modelVersion: String?, values: TagValues = [:]) {
        self.ok = ok
        self.intent = intent
        self.sentiment = sentiment
        self.missedLead = missedLead
        self.modelVersion = modelVersion
        self.values = values
    }
}

/// A dialogue of the week with its tag, if the instrument tagged it.
public struct ReportDialogue: Sendable {
    public var dialogue: Dialogue
    public var tag: WeekTag?

    public init(dialogue: Dialogue, tag: WeekTag?) {
        self.dialogue = dialogue
        self.tag = tag
    }
}

/// One week's figures, as docs/weekly-job.md defines them. Times are seconds; medians and p90 use
/// linear interpolation between ranks (numpy's default); rates are nil when nothing to divide by.
public struct WeekFigures: Sendable, Equatable {
    public struct MissedLead: Sendable, Equatable {
        public var dialogueID: String
        public var channel: String
        public var startedAt: String
        /// Whoever replied first; nil when nobody did.
        public var staff: String?
        public var firstResponseSeconds: Double?
        /// The client's first message, anonymized, at most ``WeekFigures/excerptLength`` characters.
        public var excerpt: String
        public var outcome: Outcome?
    }

    /// One staff member or bot: the dialogues in which they replied first.
    public struct Staff: Sendable, Equatable {
        public var name: String
        public var isBot: Bool
        public var dialogues: Int
        public var firstResponseMedianSeconds: Double?
        public var firstResponseP90Seconds: Double?
        public var unanswered: Int
        /// Dialogues of theirs with an `ok` tag, the denominator of the missed-lead rate.
        public var tagged: Int
        public var missedLeads: Int
        public var missedLeadRate: Double? { tagged > 0 ? Double(missedLeads) / Double(tagged) : nil }
    }

    /// Dialogues a bot answered first, and those in which a person wrote after the bot.
    public struct BotShare: Sendable, Equatable {
        public var botFirst: Int
        /// The week's dialogues with any reply from the business, the denominator of `share`.
        public var answered: Int
        public var handedToStaff: Int
        /// `botFirst` over the week's answered dialogues.
        public var share: Double?
        /// `handedToStaff` over `botFirst`.
        public var fallbackRate: Double?
    }

    /// Outcomes from the CRM against the missed-lead tag: the check that the tag means money.
    public struct OutcomeSplit: Sendable, Equatable {
        public var missedBooked = 0, missedNotBooked = 0, missedUnknown = 0
        public var otherBooked = 0, otherNotBooked = 0, otherUnknown = 0

        /// Booked share among missed leads with a known outcome.
        public var missedBookedRate: Double? { rate(missedBooked, missedBooked + missedNotBooked) }
        /// Booked share among the other tagged dialogues with a known outcome.
        public var otherBookedRate: Double? { rate(otherBooked, otherBooked + otherNotBooked) }
        public var known: Int { missedBooked + missedNotBooked + otherBooked + otherNotBooked }
        private func rate(_ part: Int, _ whole: Int) -> Double? { whole > 0 ? Double(part) / Double(whole) : nil }
    }

    /// Lead conversion: booked over dialogues with buying interest (intent `booking` or
    /// `question`) whose outcome is known (`booked` or `not_booked`).
    public struct Conversion: Sendable, Equatable {
        public var interested: Int
        public var booked: Int
        public var rate: Double? { interested > 0 ? Double(booked) / Double(interested) : nil }
    }

    public static let excerptLength = 140

    public var week: ReportWeek
    /// Wall-clock dates of the week's Monday and Sunday.
    public var firstDay: String
    public var lastDay: String
    public var instrument: Instrument?
    /// The distinct `model_version`s that answered for this week's tags.
    public var modelVersions: [String]
    public var dialogues: Int
    /// Dialogues with an `ok` tag from the instrument; tag figures count only these.
    public var tagged: Int
    /// Dialogues whose tag has a field under the review threshold and no human label yet: not
    /// counted as facts, only as waiting («12 диалогов ждут проверки»).
    public var awaitingReview = 0
    public var failed: Int
    public var byChannel: [String: Int]
    public var byIntent: [String: Int]
    public var bySentiment: [String: Int]
    public var missedLeads: [MissedLead]
    public var unanswered: Int
    /// Dialogues with a client message and no business reply at all.
    public var noReply: Int
    public var firstResponseMedianSeconds: Double?
    public var firstResponseP90Seconds: Double?
    public var bot: BotShare
    public var conversion: Conversion
    public var outcomes: OutcomeSplit
    /// Sorted by dialogues (most first), then name.
    public var staff: [Staff]

    /// Computes the figures of one week from its dialogues (those whose first message falls in
    /// the week) and the instrument's tags.
    public init(week: ReportWeek, instrument: Instrument?, dialogues items: [ReportDialogue], reviewBelow: Double? = nil) {
        self.week = week
        firstDay = week.monday.isoText
        lastDay = week.sunday.isoText
        self.instrument = instrument
        dialogues = items.count
        var versions: Set<String> = []
        var awaiting = 0
        var tagged = 0, failed = 0, unanswered = 0, noReply = 0, botFirst = 0, handed = 0, answered = 0, interested = 0, booked = 0
        var byChannel: [String: Int] = [:], byIntent: [String: Int] = [:], bySentiment: [String: Int] = [:]
        var missed: [MissedLead] = []
        var responseTimes: [Double] = []
        var outcomes = OutcomeSplit()
        struct StaffKey: Hashable { var name: String; var isBot: Bool }
        var staffTimes: [StaffKey: [Double]] = [:]
        var staffCounts: [StaffKey: (dialogues: Int, unanswered: Int, tagged: Int, missed: Int)] = [:]
        for item in items.sorted(by: { $0.dialogue.id < $1.dialogue.id }) {
            let dialogue = item.dialogue
            let facts = DialogueFacts(dialogue)
            byChannel[dialogue.channel, default: 0] += 1
            if facts.unanswered { unanswered += 1 }
            if facts.hasClient && facts.firstResponder == nil { noReply += 1 }
            if let seconds = facts.firstResponseSeconds { responseTimes.append(seconds) }
            if facts.firstResponder != nil { answered += 1 }
            if facts.firstResponderRole == .bot {
                botFirst += 1
                if facts.handedToStaff { handed += 1 }
            }
            var okTag = item.tag.flatMap { $0.ok ? $0 : nil }
            if let tag = item.tag, tag.ok, tag.awaitsReview(below: reviewBelow) {
                awaiting += 1
                okTag = nil
            } else if let tag = item.tag {
                if tag.ok { tagged += 1 } else { failed += 1 }
                if let version = tag.modelVersion { versions.insert(version) }
            }
            // A person's label settles an unsure tag: it counts as gold.
            if var settled = okTag, settled.isUnsure(below: reviewBelow), let label = settled.humanLabel {
                settled.intent = label["intent"] ?? settled.intent
                settled.sentiment = label["sentiment"] ?? settled.sentiment
                settled.missedLead = label["missed_lead"].map { $0 == "true" } ?? settled.missedLead
                okTag = settled
            }
            let isMissed = okTag?.missedLead == true
            if let okTag {
                if let intent = okTag.intent { byIntent[intent, default: 0] += 1 }
                if let sentiment = okTag.sentiment { bySentiment[sentiment, default: 0] += 1 }
                if okTag.intent == "booking" || okTag.intent == "question", let outcome = dialogue.outcome, outcome != .unknown {
                    interested += 1
                    if outcome == .booked { booked += 1 }
                }
                switch (isMissed, dialogue.outcome ?? .unknown) {
                case (true, .booked): outcomes.missedBooked += 1
                case (true, .notBooked): outcomes.missedNotBooked += 1
                case (true, .unknown): outcomes.missedUnknown += 1
                case (false, .booked): outcomes.otherBooked += 1
                case (false, .notBooked): outcomes.otherNotBooked += 1
                case (false, .unknown): outcomes.otherUnknown += 1
                }
            }
            if isMissed {
                missed.append(
                    MissedLead(
                        dialogueID: dialogue.id, channel: dialogue.channel, startedAt: dialogue.startedAt?.iso8601 ?? "",
                        staff: facts.firstResponder, firstResponseSeconds: facts.firstResponseSeconds,
                        excerpt: Self.excerpt(of: dialogue), outcome: dialogue.outcome))
            }
            if let name = facts.firstResponder {
                let key = StaffKey(name: name, isBot: facts.firstResponderRole == .bot)
                var counts = staffCounts[key] ?? (0, 0, 0, 0)
                counts.dialogues += 1
                if facts.unanswered { counts.unanswered += 1 }
                if okTag != nil { counts.tagged += 1 }
                if isMissed { counts.missed += 1 }
                staffCounts[key] = counts
                if let seconds = facts.firstResponseSeconds { staffTimes[key, default: []].append(seconds) }
            }
        }
        modelVersions = versions.sorted()
        awaitingReview = awaiting
        self.tagged = tagged
        self.failed = failed
        self.byChannel = byChannel
        self.byIntent = byIntent
        self.bySentiment = bySentiment
        missedLeads = missed
        self.unanswered = unanswered
        self.noReply = noReply
        firstResponseMedianSeconds = Self.percentile(responseTimes, 0.5)
        firstResponseP90Seconds = Self.percentile(responseTimes, 0.9)
        bot = BotShare(
            botFirst: botFirst, answered: answered, handedToStaff: handed, share: answered > 0 ? Double(botFirst) / Double(answered) : nil,
            fallbackRate: botFirst > 0 ? Double(handed) / Double(botFirst) : nil)
        conversion = Conversion(interested: interested, booked: booked)
        self.outcomes = outcomes
        staff = staffCounts.map { key, counts in
            let times = staffTimes[key] ?? []
            return Staff(
                name: key.name, isBot: key.isBot, dialogues: counts.dialogues, firstResponseMedianSeconds: Self.percentile(times, 0.5),
                firstResponseP90Seconds: Self.percentile(times, 0.9), unanswered: counts.unanswered, tagged: counts.tagged, missedLeads: counts.missed)
        }.sorted { ($0.dialogues, $1.name) > ($1.dialogues, $0.name) }
    }

    /// The p-th quantile (0…1) with linear interpolation between closest ranks; nil for no values.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = Double(sorted.count - 1) * p
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// The client's first message (else the first message), cut at a word within ``excerptLength`` characters.
    static func excerpt(of dialogue: Dialogue) -> String {
        Excerpt.of((dialogue.messages.first { $0.role == .client } ?? dialogue.messages.first)?.text ?? "", limit: excerptLength)
    }
}
