import ChatTagCore
import Foundation

/// Reads what the weekly report needs (dialogues of a week and one instrument's tags) and
/// keeps rendered reports in `reports`.
public struct ReportTable {
    let database: Database
    let dialogues: DialogueTable

    public init(database: Database) {
        self.database = database
        dialogues = DialogueTable(database: database)
    }

    /// The prompt and model of the most recent run, the report's default instrument.
    public func latestInstrument() throws -> Instrument? {
        try database.rows("SELECT prompt_name, prompt_version, prompt_hash, model_requested FROM runs ORDER BY id DESC LIMIT 1").first.flatMap(Self.instrument)
    }

    /// The instrument that tagged most of the dialogues that started in `range` (unix ms);
    /// `preferred` wins a tie. Nil when none of them has an `ok` tag.
    public func dominantInstrument(in range: Range<Int64>, preferred: Instrument?) throws -> Instrument? {
        let rows = try database.rows(
            """
            SELECT t.prompt_name, t.prompt_version, t.prompt_hash, t.model_requested, COUNT(*) AS n, MAX(t.id) AS newest
            FROM tags t JOIN dialogues d ON d.id = t.dialogue_id
            WHERE t.status = 'ok' AND d.started_at_unix_ms >= ? AND d.started_at_unix_ms < ?
            GROUP BY t.prompt_hash, t.model_requested ORDER BY n DESC, newest DESC
            """, [.integer(range.lowerBound), .integer(range.upperBound)])
        guard let top = rows.first, let best = Self.instrument(top) else { return nil }
        if let preferred, let match = rows.first(where: { $0["prompt_hash"]?.text == preferred.promptHash && $0["model_requested"]?.text == preferred.model }),
            match["n"]?.integer == top["n"]?.integer
        {
            return preferred
        }
        return best
    }

    /// The dialogues whose first message falls in `range` (unix ms), each with the
    /// instrument's tag when there is one for its current content (a dialogue that grew
    /// since it was tagged counts as not tagged until the next run).
    public func dialogues(in range: Range<Int64>, instrument: Instrument?) throws -> [ReportDialogue] {
        let rows = try database.rows(
            """
            SELECT d.id, t.status, t.intent, t.sentiment, t.missed_lead, t.model_version
            FROM dialogues d LEFT JOIN tags t ON t.dialogue_id = d.id AND t.prompt_hash = ? AND t.model_requested = ?
                AND t.content_hash = d.content_hash
            WHERE d.started_at_unix_ms >= ? AND d.started_at_unix_ms < ? ORDER BY d.id
            """, [.text(instrument?.promptHash ?? ""), .text(instrument?.model ?? ""), .integer(range.lowerBound), .integer(range.upperBound)])
        return try rows.compactMap { row in
            guard let id = row["id"]?.text, let dialogue = try dialogues.dialogue(id: id) else { return nil }
            let tag = row["status"]?.text.map { status in
                WeekTag(
                    ok: status == "ok", intent: row["intent"]?.text, sentiment: row["sentiment"]?.text,
                    missedLead: row["missed_lead"]?.integer.map { $0 == 1 }, modelVersion: row["model_version"]?.text)
            }
            return ReportDialogue(dialogue: dialogue, tag: tag)
        }
    }

    /// The report of `week` in `zone` from `instrument`'s tags; the previous week reads the
    /// instrument that tagged most of it (this one when it ties), so a change of prompt
    /// between the weeks shows as an instrument change rather than a trend.
    public func weeklyReport(week: ReportWeek, zone: ZoneResolver, instrument: Instrument?) throws -> WeeklyReport {
        let currentRange = week.interval(in: zone)
        let previousRange = week.previous.interval(in: zone)
        let previousInstrument = try dominantInstrument(in: previousRange, preferred: instrument) ?? instrument
        return WeeklyReport(
            zone: zone.identifier,
            current: WeekFigures(week: week, instrument: instrument, dialogues: try dialogues(in: currentRange, instrument: instrument)),
            previous: WeekFigures(week: week.previous, instrument: previousInstrument, dialogues: try dialogues(in: previousRange, instrument: previousInstrument)))
    }

    /// The week with the most dialogues (the latest of equals), by the weeks stored at import.
    public func busiestWeek() throws -> ReportWeek? {
        try database.rows("SELECT week, COUNT(*) AS n FROM dialogues GROUP BY week ORDER BY n DESC, week DESC LIMIT 1").first?["week"]?.text
            .flatMap(ReportWeek.init(parsing:))
    }

    /// Saves a rendered report (`kind` is `validate`, `compare` or `week`).
    public func save(kind: String, instrument: Instrument?, format: String, params: [String: String], body: String) throws {
        let paramsJSON = String(decoding: try JSONSerialization.data(withJSONObject: params, options: [.sortedKeys]), as: UTF8.self)
        try database.statement(
            """
            INSERT INTO reports (kind, created_at, prompt_name, prompt_version, prompt_hash, model, format, params_json, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .text(kind), .text(ChatTagStore.timestamp()), instrument.map { .text($0.promptName) } ?? .null,
            instrument.map { .text($0.promptVersion) } ?? .null, instrument.map { .text($0.promptHash) } ?? .null,
            instrument.map { .text($0.model) } ?? .null, .text(format), .text(paramsJSON), .text(body),
        ])
    }

    static func instrument(_ row: [String: SQLValue]) -> Instrument? {
        guard let name = row["prompt_name"]?.text, let version = row["prompt_version"]?.text, let hash = row["prompt_hash"]?.text,
            let model = row["model_requested"]?.text
        else { return nil }
        return Instrument(promptName: name, promptVersion: version, promptHash: hash, model: model)
    }
}

extension ReportTable {
    /// The latest run's instrument matching a prompt `name@version` and/or a model; nil when
    /// no run used them.
    public func instrument(prompt: (name: String, version: String)?, model: String?) throws -> Instrument? {
        var conditions = ["1 = 1"]
        var values: [SQLValue] = []
        if let prompt {
            conditions.append("prompt_name = ? AND prompt_version = ?")
            values += [.text(prompt.name), .text(prompt.version)]
        }
        if let model {
            conditions.append("model_requested = ?")
            values.append(.text(model))
        }
        return try database.rows(
            """
            SELECT prompt_name, prompt_version, prompt_hash, model_requested FROM runs WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT 1
            """, values
        ).first.flatMap(Self.instrument)
    }
}
