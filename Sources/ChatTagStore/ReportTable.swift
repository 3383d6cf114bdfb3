import ChatTagCore
import Foundation

/// Reads what weekly reports and exports need (dialogues of a week, one instrument's tags)
/// and keeps rendered reports in `reports`.
public struct ReportTable {
    let database: Database
    let dialogues: DialogueTable

    public init(database: Database) {
        self.database = database
        dialogues = DialogueTable(database: database)
    }

    public func latestInstrument() throws -> Instrument? {
        try latestInstrument(promptName: nil, promptVersion: nil, model: nil)
    }

    public func latestInstrument(promptName: String?, promptVersion: String?, model: String?) throws -> Instrument? {
        var conditions = ["1 = 1"]
        var values: [SQLValue] = []
        if let promptName {
            conditions.append("prompt_name = ?")
            values.append(.text(promptName))
        }
        if let promptVersion {
            conditions.append("prompt_version = ?")
            values.append(.text(promptVersion))
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

    public func taggedInstruments() throws -> [InstrumentCount] {
        try database.rows(
            """
            SELECT prompt_name, prompt_version, prompt_hash, model_requested, COUNT(*) AS n, MAX(id) AS newest
            FROM tags WHERE status = 'ok' GROUP BY prompt_hash, model_requested ORDER BY n DESC, newest DESC
            """
        ).compactMap { row in
            Self.instrument(row).map { InstrumentCount(instrument: $0, dialogues: Int(row["n"]?.integer ?? 0), newestTag: row["newest"]?.integer ?? 0) }
        }
    }

    public func declare(_ declaration: DeclaredInstrument) throws {
        let instrument = declaration.instrument
        try database.statement(
            "INSERT INTO instruments (prompt_name, prompt_version, prompt_hash, model, counts_from, declared_at, role) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).run([
            .text(instrument.promptName), .text(instrument.promptVersion), .text(instrument.promptHash), .text(instrument.model),
            .text(declaration.countsFrom), .text(declaration.declaredAt), .text(declaration.role.rawValue),
        ])
    }

    public func declarations() throws -> [DeclaredInstrument] {
        try database.rows("SELECT prompt_name, prompt_version, prompt_hash, model, counts_from, declared_at, role FROM instruments ORDER BY counts_from, id")
            .compactMap { row in
                guard let name = row["prompt_name"]?.text, let version = row["prompt_version"]?.text, let hash = row["prompt_hash"]?.text,
                    let model = row["model"]?.text, let from = row["counts_from"]?.text, let at = row["declared_at"]?.text
                else { return nil }
                return DeclaredInstrument(
                    instrument: Instrument(promptName: name, promptVersion: version, promptHash: hash, model: model), countsFrom: from, declaredAt: at,
                    role: row["role"]?.text.flatMap(InstrumentRole.init(rawValue:)) ?? .tags)
            }
    }

    public func weekDialogues(in range: Range<Int64>, instrument: Instrument?) throws -> [ReportDialogue] {
        let rows = try database.rows(
            """
            SELECT d.id, t.status, t.intent, t.sentiment, t.missed_lead, t.model_version, t.values_json, t.confidence_json,
                COALESCE((SELECT values_json FROM labels WHERE dialogue_id = d.id AND annotator = 'adjudicated'),
                    (SELECT MAX(values_json) FROM labels WHERE dialogue_id = d.id HAVING COUNT(*) = 1)) AS label_json
            FROM dialogues d LEFT JOIN tags t ON t.dialogue_id = d.id AND t.prompt_hash = ? AND t.model_requested = ?
                AND t.content_hash = d.content_hash
            WHERE d.started_at_unix_ms >= ? AND d.started_at_unix_ms < ? ORDER BY d.id
            """, [.text(instrument?.promptHash ?? ""), .text(instrument?.model ?? ""), .integer(range.lowerBound), .integer(range.upperBound)])
        return try rows.compactMap { row in
            guard let id = row["id"]?.text, let dialogue = try dialogues.dialogue(id: id) else { return nil }
            let tag = row["status"]?.text.map { status in
                WeekTag(
                    ok: status == "ok", intent: row["intent"]?.text, sentiment: row["sentiment"]?.text,
                    missedLead: row["missed_lead"]?.integer.map { $0 == 1 }, modelVersion: row["model_version"]?.text,
                    values: row["values_json"]?.text.map(TagValuesJSON.decode) ?? [:])
            }
            .map { tag -> WeekTag in
                var tag = tag
                tag.confidence = row["confidence_json"]?.text.map(ConfidenceJSON.decode) ?? [:]
                tag.humanLabel = row["label_json"]?.text.map(TagValuesJSON.decode)
                return tag
            }
            return ReportDialogue(dialogue: dialogue, tag: tag)
        }
    }

    public func tags(promptHash: String, model: String) throws -> [StoredTag] {
        try database.rows(
            """
            SELECT dialogue_id, intent, sentiment, missed_lead, status, error, prompt_name, prompt_version, prompt_hash, model_requested,
                   model_version, run_id FROM tags WHERE prompt_hash = ? AND model_requested = ? ORDER BY dialogue_id
            """, [.text(promptHash), .text(model)]
        ).compactMap { row in
            guard let id = row["dialogue_id"]?.text else { return nil }
            return StoredTag(
                dialogueID: id, intent: row["intent"]?.text, sentiment: row["sentiment"]?.text, missedLead: row["missed_lead"]?.integer.map { $0 == 1 },
                status: row["status"]?.text ?? "failed", error: row["error"]?.text, promptName: row["prompt_name"]?.text ?? "",
                promptVersion: row["prompt_version"]?.text ?? "", promptHash: row["prompt_hash"]?.text ?? "",
                modelRequested: row["model_requested"]?.text ?? "", modelVersion: row["model_version"]?.text, runID: row["run_id"]?.integer)
        }
    }

    public func busiestWeek() throws -> ReportWeek? {
        try database.rows("SELECT week, COUNT(*) AS n FROM dialogues GROUP BY week ORDER BY n DESC, week DESC LIMIT 1").first?["week"]?.text
            .flatMap(ReportWeek.init(parsing:))
    }

    public func save(_ report: StoredReport) throws {
        let paramsJSON = String(decoding: try JSONEncoder.sorted.encode(report.params), as: UTF8.self)
        let instrument = report.instrument
        try database.statement(
            """
            INSERT INTO reports (kind, created_at, prompt_name, prompt_version, prompt_hash, model, format, params_json, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .text(report.kind), .text(ChatTagStore.timestamp()), instrument.map { .text($0.promptName) } ?? .null,
            instrument.map { .text($0.promptVersion) } ?? .null, instrument.map { .text($0.promptHash) } ?? .null,
            instrument.map { .text($0.model) } ?? .null, .text(report.format), .text(paramsJSON), .text(report.body),
        ])
    }

    static func instrument(_ row: [String: SQLValue]) -> Instrument? {
        guard let name = row["prompt_name"]?.text, let version = row["prompt_version"]?.text, let hash = row["prompt_hash"]?.text,
            let model = row["model_requested"]?.text
        else { return nil }
        return Instrument(promptName: name, promptVersion: version, promptHash: hash, model: model)
    }
}

extension JSONEncoder {
    /// Sorted keys, slashes unescaped: stable bytes for stored and printed JSON.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
