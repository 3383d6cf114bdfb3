import ChatTagCore

/// Writes and reads hand labels (`labels`).
public struct LabelTable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Stores labels (one row per dialogue and annotator; a relabel replaces the row).
    public func write(_ labels: [HandLabel], source: String) throws {
        let now = ChatTagStore.timestamp()
        try database.transaction {
            let upsert = try database.statement("""
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

    /// (gold, predicted) per labeled dialogue for one field, from the tags of a prompt hash
    /// and model; a missing or failed tag is a nil prediction. The first annotator (by name)
    /// is the gold label.
    public func pairs(field: String, promptHash: String, model: String) throws -> [(dialogueID: String, gold: String, predicted: String?)] {
        let column = ["intent", "sentiment", "missed_lead"].contains(field) ? field : "intent"
        let rows = try database.rows("""
            SELECT l.dialogue_id AS id, l.\(column) AS gold, CASE WHEN t.status = 'ok' THEN t.\(column) END AS predicted
            FROM labels l LEFT JOIN tags t ON t.dialogue_id = l.dialogue_id AND t.prompt_hash = ? AND t.model_requested = ?
            WHERE l.annotator = (SELECT MIN(annotator) FROM labels x WHERE x.dialogue_id = l.dialogue_id)
              AND l.dialogue_id IN (SELECT id FROM dialogues)
            ORDER BY l.dialogue_id
            """, [.text(promptHash), .text(model)])
        func text(_ value: SQLValue?) -> String? {
            switch value {
            case let .text(text)?: return text
            case let .integer(number)? where column == "missed_lead": return number == 1 ? "true" : "false"
            default: return nil
            }
        }
        return rows.compactMap { row in
            guard let id = row["id"]?.text, let gold = text(row["gold"]) else { return nil }
            return (id, gold, text(row["predicted"]))
        }
    }
}

extension LabelTable {
    /// The tags of a prompt and model against the stored hand labels, field by field.
    public func validationReport(template: PromptTemplate, model: String) throws -> ValidationReport {
        var errors: [ValidationReport.ValidationError] = []
        var fields: [FieldMetrics] = []
        for field in template.taxonomy.fields {
            let rows = try pairs(field: field.name, promptHash: template.hash, model: model)
            fields.append(FieldMetrics(field: field.name, labels: field.values, pairs: rows.map { ($0.gold, $0.predicted) }))
            for row in rows where row.gold != row.predicted {
                errors.append(.init(dialogueID: row.dialogueID, field: field.name, gold: row.gold, predicted: row.predicted, excerpt: try excerpt(of: row.dialogueID)))
            }
        }
        var report = ValidationReport(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: model, fields: fields)
        report.errors = errors.sorted { ($0.dialogueID, $0.field) < ($1.dialogueID, $1.field) }
        return report
    }

    /// The first client message of a dialogue, cut to about 120 characters (already anonymized).
    func excerpt(of dialogueID: String) throws -> String {
        let text = try database.rows(
            "SELECT text FROM messages WHERE dialogue_id = ? ORDER BY (role <> 'client'), seq LIMIT 1", [.text(dialogueID)]).first?["text"]?.text ?? ""
        return text.count > 120 ? String(text.prefix(117)) + "…" : text
    }

    /// Saves a rendered report in `reports`.
    public func store(_ report: ValidationReport, format: String, body: String) throws {
        try database.statement("""
            INSERT INTO reports (kind, created_at, prompt_name, prompt_version, prompt_hash, model, format, body) VALUES ('validate', ?, ?, ?, ?, ?, ?, ?)
            """).run([.text(ChatTagStore.timestamp()), .text(report.promptName), .text(report.promptVersion), .text(report.promptHash),
                      .text(report.model), .text(format), .text(body)])
    }
}
