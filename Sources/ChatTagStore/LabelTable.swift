import ChatTagCore
import Foundation

/// Writes and reads hand labels (`labels`) and the tags they are checked against.
public struct LabelTable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Stores labels (one row per dialogue and annotator; a relabel replaces the row).
    public func write(_ labels: [HandLabel], source: String) throws {
        let now = ChatTagStore.timestamp()
        try database.transaction {
            let upsert = try database.statement(
                """
                INSERT INTO labels (dialogue_id, annotator, intent, sentiment, missed_lead, note, source, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (dialogue_id, annotator) DO UPDATE SET intent = excluded.intent, sentiment = excluded.sentiment,
                    missed_lead = excluded.missed_lead, note = excluded.note, source = excluded.source, imported_at = excluded.imported_at
                """)
            for label in labels {
                try upsert.run([
                    .text(label.dialogueID), .text(label.annotator), label.values["intent"].map(SQLValue.text) ?? .null,
                    label.values["sentiment"].map(SQLValue.text) ?? .null,
                    label.values["missed_lead"].map { .integer($0 == "true" ? 1 : 0) } ?? .null, .text(label.note), .text(source), .text(now),
                ])
            }
        }
    }

    /// The label column of a field; the default taxonomy's fields have their own columns.
    static func column(_ field: String) -> String {
        ["intent", "sentiment", "missed_lead"].contains(field) ? field : "intent"
    }

    static func labelText(_ value: SQLValue?, column: String) -> String? {
        switch value {
        case let .text(text)?: return text
        case let .integer(number)? where column == "missed_lead": return number == 1 ? "true" : "false"
        default: return nil
        }
    }

    public func votes(field: String, promptHash: String, model: String) throws -> [LabelVote] {
        let column = Self.column(field)
        let rows = try database.rows(
            """
            SELECT l.dialogue_id AS id, l.annotator AS annotator, l.\(column) AS value, CASE WHEN t.status = 'ok' THEN t.\(column) END AS predicted
            FROM labels l LEFT JOIN tags t ON t.dialogue_id = l.dialogue_id AND t.prompt_hash = ? AND t.model_requested = ?
            WHERE l.dialogue_id IN (SELECT id FROM dialogues)
            ORDER BY l.dialogue_id, l.annotator
            """, [.text(promptHash), .text(model)])
        return rows.compactMap { row in
            guard let id = row["id"]?.text, let annotator = row["annotator"]?.text, let value = Self.labelText(row["value"], column: column) else { return nil }
            return LabelVote(dialogueID: id, annotator: annotator, value: value, predicted: Self.labelText(row["predicted"], column: column))
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
        let column = Self.column(field)
        return try database.rows(
            """
            SELECT a.\(column) AS x, b.\(column) AS y FROM labels a JOIN labels b ON a.dialogue_id = b.dialogue_id
            WHERE a.annotator = ? AND b.annotator = ?
            """, [.text(first), .text(second)]
        ).map { (Self.labelText($0["x"], column: column), Self.labelText($0["y"], column: column)) }
    }

    public func firstClientText(of dialogueID: String) throws -> String {
        try database.rows("SELECT text FROM messages WHERE dialogue_id = ? ORDER BY (role <> 'client'), seq LIMIT 1", [.text(dialogueID)]).first?["text"]?.text ?? ""
    }
}
