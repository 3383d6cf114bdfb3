import Foundation

/// One week's figures in machine output (seconds for times, 0…1 for rates, null for none):
/// the keys listed in docs/json.md under `report`.
public struct WeekJSON: Encodable, Sendable, Equatable {
    public struct MissedLeadJSON: Encodable, Sendable, Equatable {
        public var dialogueID: String
        public var channel: String
        public var startedAt: String
        @NullWhenAbsent public var staff: String?
        @NullWhenAbsent public var firstResponseS: Double?
        public var excerpt: String
        @NullWhenAbsent public var outcome: String?

        enum CodingKeys: String, CodingKey {
            case channel, staff, excerpt, outcome
            case dialogueID = "dialogue_id"
            case startedAt = "started_at"
            case firstResponseS = "first_response_s"
        }
    }

    public struct BotJSON: Encodable, Sendable, Equatable {
        public var botFirst: Int
        /// The week's dialogues with any reply, the denominator of `share`.
        public var answered: Int
        public var handedToStaff: Int
        @NullWhenAbsent public var share: Double?
        @NullWhenAbsent public var fallbackRate: Double?

        enum CodingKeys: String, CodingKey {
            case share, answered
            case botFirst = "bot_first"
            case handedToStaff = "handed_to_staff"
            case fallbackRate = "fallback_rate"
        }
    }

    public struct ConversionJSON: Encodable, Sendable, Equatable {
        public var interested: Int
        public var booked: Int
        @NullWhenAbsent public var rate: Double?
    }

    public struct OutcomeCountsJSON: Encodable, Sendable, Equatable {
        public var booked: Int
        public var notBooked: Int
        public var unknown: Int
        @NullWhenAbsent public var bookedRate: Double?

        enum CodingKeys: String, CodingKey {
            case booked, unknown
            case notBooked = "not_booked"
            case bookedRate = "booked_rate"
        }
    }

    public struct MissedLeadOutcomesJSON: Encodable, Sendable, Equatable {
        public var missed: OutcomeCountsJSON
        public var other: OutcomeCountsJSON
    }

    public struct StaffJSON: Encodable, Sendable, Equatable {
        public var name: String
        public var bot: Bool
        public var dialogues: Int
        @NullWhenAbsent public var firstResponseMedianS: Double?
        @NullWhenAbsent public var firstResponseP90S: Double?
        public var unanswered: Int
        public var tagged: Int
        public var missedLeads: Int
        @NullWhenAbsent public var missedLeadRate: Double?
        /// The week's rubric for this person; null without a rubric instrument or a scored dialogue.
        @NullWhenAbsent public var rubric: StaffRubricJSON?

        enum CodingKeys: String, CodingKey {
            case name, bot, dialogues, unanswered, tagged, rubric
            case firstResponseMedianS = "first_response_median_s"
            case firstResponseP90S = "first_response_p90_s"
            case missedLeads = "missed_leads"
            case missedLeadRate = "missed_lead_rate"
        }
    }

    public struct InstrumentJSON: Encodable, Sendable, Equatable {
        public var prompt: PromptIdentity
        public var model: String
    }

    public var week: String
    public var from: String
    public var to: String
    public var dialogues: Int
    public var tagged: Int
    /// Dialogues whose tag waits for review (a field under `--review-below`); not in the tag figures.
    public var awaitingReview: Int
    public var failed: Int
    public var untagged: Int
    public var byChannel: [String: Int]
    public var byIntent: [String: Int]
    public var bySentiment: [String: Int]
    public var unanswered: Int
    public var noReply: Int
    @NullWhenAbsent public var firstResponseMedianS: Double?
    @NullWhenAbsent public var firstResponseP90S: Double?
    public var modelVersions: [String]
    public var missedLeads: [MissedLeadJSON]
    public var bot: BotJSON
    public var conversion: ConversionJSON
    public var missedLeadOutcomes: MissedLeadOutcomesJSON
    public var staff: [StaffJSON]
    @NullWhenAbsent public var instrument: InstrumentJSON?

    enum CodingKeys: String, CodingKey {
        case week, from, to, dialogues, tagged, failed, untagged, unanswered, bot, conversion, staff, instrument
        case awaitingReview = "awaiting_review"
        case byChannel = "by_channel"
        case byIntent = "by_intent"
        case bySentiment = "by_sentiment"
        case noReply = "no_reply"
        case firstResponseMedianS = "first_response_median_s"
        case firstResponseP90S = "first_response_p90_s"
        case modelVersions = "model_versions"
        case missedLeads = "missed_leads"
        case missedLeadOutcomes = "missed_lead_outcomes"
    }
}

/// `report --format json`: the current week's figures at the top level, `previous` with the
/// same shape, `trend`, `instrument_note` and `changes`.
public struct WeeklyReportJSON: Encodable, Sendable, Equatable {
    public struct StaffChangeJSON: Encodable, Sendable, Equatable {
        public var name: String
        public var dialogues: Int
        public var unanswered: Int
        @NullWhenAbsent public var firstResponseMedianS: Double?
        @NullWhenAbsent public var missedLeads: Int?

        enum CodingKeys: String, CodingKey {
            case name, dialogues, unanswered
            case firstResponseMedianS = "first_response_median_s"
            case missedLeads = "missed_leads"
        }
    }

    /// This week minus the previous; tag-based changes are null when the instrument changed.
    public struct ChangesJSON: Encodable, Sendable, Equatable {
        public var dialogues: Int
        public var unanswered: Int
        @NullWhenAbsent public var firstResponseMedianS: Double?
        @NullWhenAbsent public var firstResponseP90S: Double?
        @NullWhenAbsent public var missedLeads: Int?
        @NullWhenAbsent public var byIntent: [String: Int]?
        @NullWhenAbsent public var bySentiment: [String: Int]?
        public var staff: [StaffChangeJSON]

        enum CodingKeys: String, CodingKey {
            case dialogues, unanswered, staff
            case firstResponseMedianS = "first_response_median_s"
            case firstResponseP90S = "first_response_p90_s"
            case missedLeads = "missed_leads"
            case byIntent = "by_intent"
            case bySentiment = "by_sentiment"
        }
    }

    public var current: WeekJSON
    /// The rubric's week-level figures; null without a rubric instrument.
    public var rubric: RubricJSON?
    public var zone: String
    public var empty: Bool
    public var previous: WeekJSON
    /// `comparable`, `instrument_changed`, `model_changed` or `no_tags`.
    public var trend: String
    public var instrumentNote: String?
    public var changes: ChangesJSON
    /// The last weeks, oldest first, ending with this one: the trend the HTML page draws.
    public var history: [WeekPointJSON]

    /// One week of the trend.
    public struct WeekPointJSON: Encodable, Sendable, Equatable {
        public var week: String
        public var dialogues: Int
        public var tagged: Int
        public var missedLeads: Int
        public var unanswered: Int
        @NullWhenAbsent public var firstResponseMedianS: Double?
        public var conversion: WeekJSON.ConversionJSON
        @NullWhenAbsent public var instrument: WeekJSON.InstrumentJSON?

        enum CodingKeys: String, CodingKey {
            case week, dialogues, tagged, unanswered, conversion, instrument
            case missedLeads = "missed_leads"
            case firstResponseMedianS = "first_response_median_s"
        }
    }

    enum CodingKeys: String, CodingKey {
        case zone, empty, previous, trend, changes, history, rubric
        case instrumentNote = "instrument_note"
    }

    public func encode(to encoder: Encoder) throws {
        try current.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(zone, forKey: .zone)
        try container.encode(empty, forKey: .empty)
        try container.encode(previous, forKey: .previous)
        try container.encode(trend, forKey: .trend)
        try container.encode(instrumentNote, forKey: .instrumentNote)
        try container.encode(changes, forKey: .changes)
        try container.encode(history, forKey: .history)
        try container.encode(rubric, forKey: .rubric)
    }
}

extension WeekFigures {
    /// One week's figures as machine output.
    public var json: WeekJSON {
        let value = JSONOutput.rounded
        return WeekJSON(
            week: week.description, from: firstDay, to: lastDay, dialogues: dialogues, tagged: tagged, awaitingReview: awaitingReview, failed: failed,
            untagged: dialogues - tagged - failed, byChannel: byChannel, byIntent: byIntent, bySentiment: bySentiment, unanswered: unanswered,
            noReply: noReply, firstResponseMedianS: value(firstResponseMedianSeconds), firstResponseP90S: value(firstResponseP90Seconds),
            modelVersions: modelVersions,
            missedLeads: missedLeads.map {
                .init(
                    dialogueID: $0.dialogueID, channel: $0.channel, startedAt: $0.startedAt, staff: $0.staff,
                    firstResponseS: value($0.firstResponseSeconds), excerpt: $0.excerpt, outcome: $0.outcome?.rawValue)
            },
            bot: .init(botFirst: bot.botFirst, answered: bot.answered, handedToStaff: bot.handedToStaff, share: value(bot.share), fallbackRate: value(bot.fallbackRate)),
            conversion: .init(interested: conversion.interested, booked: conversion.booked, rate: value(conversion.rate)),
            missedLeadOutcomes: .init(
                missed: .init(
                    booked: outcomes.missedBooked, notBooked: outcomes.missedNotBooked, unknown: outcomes.missedUnknown,
                    bookedRate: value(outcomes.missedBookedRate)),
                other: .init(
                    booked: outcomes.otherBooked, notBooked: outcomes.otherNotBooked, unknown: outcomes.otherUnknown,
                    bookedRate: value(outcomes.otherBookedRate))),
            staff: staff.map {
                .init(
                    name: $0.name, bot: $0.isBot, dialogues: $0.dialogues, firstResponseMedianS: value($0.firstResponseMedianSeconds),
                    firstResponseP90S: value($0.firstResponseP90Seconds), unanswered: $0.unanswered, tagged: $0.tagged, missedLeads: $0.missedLeads,
                    missedLeadRate: value($0.missedLeadRate), rubric: nil)
            },
            instrument: instrument.map {
                .init(prompt: PromptIdentity(name: $0.promptName, version: $0.promptVersion, hash: $0.promptHash), model: $0.model)
            })
    }
}

extension WeeklyReport {
    /// The report as machine output.
    public var json: WeeklyReportJSON {
        func delta(_ now: Double?, _ before: Double?) -> Double? {
            guard let now, let before else { return nil }
            return JSONOutput.rounded(now - before)
        }
        func countDelta(_ now: [String: Int], _ before: [String: Int]) -> [String: Int]? {
            guard tagsComparable else { return nil }
            return Dictionary(uniqueKeysWithValues: Set(now.keys).union(before.keys).map { ($0, (now[$0] ?? 0) - (before[$0] ?? 0)) })
        }
        let changes = WeeklyReportJSON.ChangesJSON(
            dialogues: current.dialogues - previous.dialogues, unanswered: current.unanswered - previous.unanswered,
            firstResponseMedianS: delta(current.firstResponseMedianSeconds, previous.firstResponseMedianSeconds),
            firstResponseP90S: delta(current.firstResponseP90Seconds, previous.firstResponseP90Seconds),
            missedLeads: tagsComparable ? current.missedLeads.count - previous.missedLeads.count : nil,
            byIntent: countDelta(current.byIntent, previous.byIntent), bySentiment: countDelta(current.bySentiment, previous.bySentiment),
            staff: current.staff.map { member in
                let earlier = previous.staff.first { $0.name == member.name && $0.isBot == member.isBot }
                return .init(
                    name: member.name, dialogues: member.dialogues - (earlier?.dialogues ?? 0), unanswered: member.unanswered - (earlier?.unanswered ?? 0),
                    firstResponseMedianS: delta(member.firstResponseMedianSeconds, earlier?.firstResponseMedianSeconds),
                    missedLeads: tagsComparable ? member.missedLeads - (earlier?.missedLeads ?? 0) : nil)
            })
        var currentJSON = current.json
        if let rubric {
            for index in currentJSON.staff.indices {
                let member = currentJSON.staff[index]
                currentJSON.staff[index].rubric = rubric.staff.first { $0.name == member.name && $0.isBot == member.bot }.map(StaffRubricJSON.init)
            }
        }
        return WeeklyReportJSON(
            current: currentJSON, rubric: rubric.map(RubricJSON.init), zone: zone, empty: isEmpty, previous: previous.json, trend: trend.rawValue,
            instrumentNote: instrumentNote(Wording(.en)), changes: changes,
            history: history.map { point in
                .init(
                    week: point.week.description, dialogues: point.dialogues, tagged: point.tagged, missedLeads: point.missedLeads, unanswered: point.unanswered,
                    firstResponseMedianS: JSONOutput.rounded(point.firstResponseMedianSeconds),
                    conversion: .init(interested: point.conversion.interested, booked: point.conversion.booked, rate: JSONOutput.rounded(point.conversion.rate)),
                    instrument: point.instrument.map { .init(prompt: PromptIdentity(name: $0.promptName, version: $0.promptVersion, hash: $0.promptHash), model: $0.model) })
            })
    }

    /// The JSON text with sorted keys.
    public func jsonText() throws -> String { try JSONOutput.text(json) }
}

/// One staff member's rubric in `report --json` (`staff[].rubric`).
public struct StaffRubricJSON: Encodable, Sendable, Equatable {
    public var n: Int
    public var meanScore: Double
    @NullWhenAbsent public var meanScoreLow: Double?
    @NullWhenAbsent public var meanScoreHigh: Double?
    /// Share of the dialogues with full marks on each part: `first_response`, `needs_clarified`, `offer_made`, `no_rudeness`.
    public var rates: [String: Double]
    @NullWhenAbsent public var topRecommendedAction: String?
    @NullWhenAbsent public var change: Double?

    enum CodingKeys: String, CodingKey {
        case n, rates, change
        case meanScore = "mean_score"
        case meanScoreLow = "mean_score_low"
        case meanScoreHigh = "mean_score_high"
        case topRecommendedAction = "top_recommended_action"
    }

    init(_ staff: RubricWeek.StaffRubric) {
        n = staff.n
        meanScore = JSONOutput.rounded(staff.meanScore) ?? 0
        meanScoreLow = JSONOutput.rounded(staff.interval?.lowerBound)
        meanScoreHigh = JSONOutput.rounded(staff.interval?.upperBound)
        rates = Dictionary(uniqueKeysWithValues: staff.rates.map { ($0.key.rawValue, JSONOutput.rounded($0.value) ?? 0) })
        topRecommendedAction = staff.topAction
        change = JSONOutput.rounded(staff.change)
    }
}

/// The week's rubric in `report --json` (`rubric`): its instrument, what was not scored, and
/// where clients are lost most.
public struct RubricJSON: Encodable, Sendable, Equatable {
    public struct ScenarioJSON: Encodable, Sendable, Equatable {
        public var intent: String
        public var part: String
        public var count: Int
        public var examples: [String]
    }

    public var instrument: WeekJSON.InstrumentJSON
    public var scored: Int
    public var unscored: Int
    /// Staff members with fewer scored dialogues than can be compared.
    public var tooFew: [String]
    public var scenarios: [ScenarioJSON]

    enum CodingKeys: String, CodingKey {
        case instrument, scored, unscored, scenarios
        case tooFew = "too_few"
    }

    init(_ week: RubricWeek) {
        instrument = .init(
            prompt: PromptIdentity(name: week.instrument.promptName, version: week.instrument.promptVersion, hash: week.instrument.promptHash), model: week.instrument.model)
        scored = week.dialogues.count
        unscored = week.unscored
        tooFew = week.tooFew.map(\.name)
        scenarios = week.scenarios.map { ScenarioJSON(intent: $0.intent, part: $0.part.rawValue, count: $0.count, examples: $0.examples) }
    }
}
