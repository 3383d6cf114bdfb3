import ChatTagCore
import Foundation

/// Writes and reads hand labels (`labels`) and the tags they are checked against.
public struct LabelTable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Stores labels: one row per dialogue and annotator. A relabel replaces the fields it
    /// names and keeps the others, so one annotator labels the tags and the rubric apart.
    public func write(_ labels: [HandLabel], source: String) throws {
        let now = ChatTagStore.timestamp()
        try database.transaction {
            let upsert = try database.statement(
                """
                INSERT INTO labels (dialogue_id, annotator, intent, sentiment, missed_lead, values_json, note, source, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (dialogue_id, annotator) DO UPDATE SET intent = COALESCE(excluded.intent, labels.intent),
                    sentiment = COALESCE(excluded.sentiment, labels.sentiment), missed_lead = COALESCE(excluded.missed_lead, labels.missed_lead),
                    values_json = json_patch(COALESCE(labels.values_json, '{}'), excluded.values_json),
                    note = CASE WHEN excluded.note = '' OR instr(labels.note, excluded.note) > 0 THEN labels.note
                        WHEN labels.note = '' THEN excluded.note ELSE labels.note || ' | ' || excluded.note END, source = excluded.source,
                    imported_at = excluded.imported_at
                """)
            for label in labels {
                try upsert.run([
                    .text(label.dialogueID), .text(label.annotator), label.values["intent"].map(SQLValue.text) ?? .null,
                    label.values["sentiment"].map(SQLValue.text) ?? .null,
                    label.values["missed_lead"].map { .integer($0 == "true" ? 1 : 0) } ?? .null, .text(TagValuesJSON.encode(label.values)),
                    .text(label.note), .text(source), .text(now),
                ])
            }
        }
    }

    /// The SQL of a field's value in `labels` (alias `l`) or `tags` (alias `t`): any field
    /// lives in `values_json` as text.
    static func value(_ field: String, of alias: String) -> String {
        let path = "$." + field.filter { $0.isLetter || $0.isNumber || $0 == "_" }
        return "json_extract(\(alias).values_json, '\(path)')"
    }

    public func votes(field: String, promptHash: String, model: String) throws -> [LabelVote] {
        let rows = try database.rows(
            """
            SELECT l.dialogue_id AS id, l.annotator AS annotator, \(Self.value(field, of: "l")) AS value,
                   CASE WHEN t.status = 'ok' THEN \(Self.value(field, of: "t")) END AS predicted
            FROM labels l LEFT JOIN tags t ON t.dialogue_id = l.dialogue_id AND t.prompt_hash = ? AND t.model_requested = ?
            WHERE l.dialogue_id IN (SELECT id FROM dialogues)
            ORDER BY l.dialogue_id, l.annotator
            """, [.text(promptHash), .text(model)])
        return rows.compactMap { row in
            guard let id = row["id"]?.text, let annotator = row["annotator"]?.text, let value = row["value"]?.text else { return nil }
            return LabelVote(dialogueID: id, annotator: annotator, value: value, predicted: row["predicted"]?.text)
        }
    }

    public func usage(promptHash: String, model: String) throws -> TagUsageTotals {
        let row = try database.rows(
            """
            SELECT COUNT(*) AS n, COALESCE(SUM(status = 'failed'), 0) AS failed, AVG(tokens_in) AS tokens_in, AVG(tokens_out) AS tokens_out,
                   AVG(latency_ms) AS latency FROM tags
            WHERE prompt_hash = ? AND model_requested = ? AND dialogue_id IN (SELECT dialogue_id FROM labels)
            """, [.text(promptHash), .text(model)]
        ).first
        return TagUsageTotals(
            dialogues: Int(row?["n"]?.integer ?? 0), failed: Int(row?["failed"]?.integer ?? 0), tokensIn: row?["tokens_in"]?.number,
            tokensOut: row?["tokens_out"]?.number, latencyMs: row?["latency"]?.number)
    }

    public func annotatorsWithMostOverlap() throws -> (first: String, second: String)? {
        let pairs = try database.rows(
            """
            SELECT a.annotator AS first, b.annotator AS second, COUNT(*) AS n FROM labels a JOIN labels b
            ON a.dialogue_id = b.dialogue_id AND a.annotator < b.annotator AND a.annotator <> 'adjudicated' AND b.annotator <> 'adjudicated'
            GROUP BY a.annotator, b.annotator ORDER BY n DESC LIMIT 1
            """)
        guard let pair = pairs.first, let first = pair["first"]?.text, let second = pair["second"]?.text else { return nil }
        return (first, second)
    }

    public func pairedLabels(field: String, first: String, second: String) throws -> [(first: String?, second: String?)] {
        try database.rows(
            """
            SELECT \(Self.value(field, of: "a")) AS x, \(Self.value(field, of: "b")) AS y FROM labels a JOIN labels b ON a.dialogue_id = b.dialogue_id
            WHERE a.annotator = ? AND b.annotator = ?
            """, [.text(first), .text(second)]
        ).map { ($0["x"]?.text, $0["y"]?.text) }
    }

    public func confidences(field: String, promptHash: String, model: String) throws -> [String: Double] {
        let path = "$." + field.filter { $0.isLetter || $0.isNumber || $0 == "_" }
        var result: [String: Double] = [:]
        for row in try database.rows(
            """
            SELECT dialogue_id AS id, json_extract(confidence_json, '\(path)') AS c FROM tags
            WHERE prompt_hash = ? AND model_requested = ? AND status = 'ok' AND confidence_json IS NOT NULL
                AND dialogue_id IN (SELECT dialogue_id FROM labels)
            """, [.text(promptHash), .text(model)])
        {
            guard let id = row["id"]?.text else { continue }
            switch row["c"] {
            case let .real(value)?: result[id] = value
            case let .integer(value)?: result[id] = Double(value)
            default: continue
            }
        }
        return result
    }

    public func readings(promptHash: String, model: String) throws -> [String: TagReading] {
        var result: [String: TagReading] = [:]
        for row in try database.rows(
            """
            SELECT t.dialogue_id AS id, t.values_json AS v, t.confidence_json AS c FROM tags t JOIN dialogues d ON d.id = t.dialogue_id
            WHERE t.prompt_hash = ? AND t.model_requested = ? AND t.status = 'ok' AND t.content_hash = d.content_hash
            """, [.text(promptHash), .text(model)])
        {
            guard let id = row["id"]?.text else { continue }
            result[id] = TagReading(
                values: row["v"]?.text.map(TagValuesJSON.decode) ?? [:], confidence: row["c"]?.text.map(ConfidenceJSON.decode) ?? [:])
        }
        return result
    }

    public func labeledDialogueIDs(fields: [String]) throws -> Set<String> {
        guard !fields.isEmpty else { return [] }
        let condition = fields.map { "\(Self.value($0, of: "l")) IS NOT NULL" }.joined(separator: " OR ")
        return Set(try database.rows("SELECT DISTINCT l.dialogue_id AS id FROM labels l WHERE \(condition)").compactMap { $0["id"]?.text })
    }

    public func firstClientText(of dialogueID: String) throws -> String {
        try database.rows("SELECT text FROM messages WHERE dialogue_id = ? ORDER BY (role <> 'client'), seq LIMIT 1", [.text(dialogueID)]).first?["text"]?.text ?? ""
    }
}
