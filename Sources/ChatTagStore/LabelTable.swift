import ChatTagCore
import Foundation

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

    /// (gold, predicted) per labeled dialogue for one field, from the tags of a prompt hash
    /// and model; a missing or failed tag is a nil prediction. The gold label is the
    /// annotator `adjudicated` where there is one, otherwise the first annotator by name.
    public func pairs(field: String, promptHash: String, model: String) throws -> [(dialogueID: String, gold: String, predicted: String?)] {
        let column = ["intent", "sentiment", "missed_lead"].contains(field) ? field : "intent"
        let rows = try database.rows(
            """
            SELECT l.dialogue_id AS id, l.\(column) AS gold, CASE WHEN t.status = 'ok' THEN t.\(column) END AS predicted
            FROM labels l LEFT JOIN tags t ON t.dialogue_id = l.dialogue_id AND t.prompt_hash = ? AND t.model_requested = ?
            WHERE l.annotator = (SELECT annotator FROM labels x WHERE x.dialogue_id = l.dialogue_id ORDER BY (annotator = 'adjudicated') DESC, annotator LIMIT 1)
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
    /// Cohen's kappa between the two annotators who labeled the most dialogues in common,
    /// per field, as lines for people (empty when no dialogue has two annotators).
    public func agreement() throws -> [String] {
        let pairs = try database.rows(
            """
            SELECT a.annotator AS first, b.annotator AS second, COUNT(*) AS n FROM labels a JOIN labels b
            ON a.dialogue_id = b.dialogue_id AND a.annotator < b.annotator AND a.annotator <> 'adjudicated' AND b.annotator <> 'adjudicated'
            GROUP BY a.annotator, b.annotator ORDER BY n DESC LIMIT 1
            """)
        guard let pair = pairs.first, let first = pair["first"]?.text, let second = pair["second"]?.text else { return [] }
        var lines: [String] = []
        for field in Taxonomy.default.fields {
            let rows = try database.rows(
                """
                SELECT a.\(field.name) AS x, b.\(field.name) AS y FROM labels a JOIN labels b ON a.dialogue_id = b.dialogue_id
                WHERE a.annotator = ? AND b.annotator = ?
                """, [.text(first), .text(second)])
            let values = field.values
            var matrix = [[Int]](repeating: [Int](repeating: 0, count: values.count), count: values.count)
            for row in rows {
                func index(_ value: SQLValue?) -> Int? {
                    switch value {
                    case let .text(text)?: return values.firstIndex(of: text)
                    case let .integer(number)?: return values.firstIndex(of: number == 1 ? "true" : "false")
                    default: return nil
                    }
                }
                if let x = index(row["x"]), let y = index(row["y"]) { matrix[x][y] += 1 }
            }
            let kappa = FieldMetrics.cohenKappa(matrix, categories: values.count)
            lines.append(String(format: "agreement of %@ and %@ on %@: Cohen's kappa %.2f over %d dialogues", first, second, field.name, kappa, rows.count))
        }
        return lines
    }

    /// The tags of a prompt and model against the stored hand labels, field by field.
    public func validationReport(template: PromptTemplate, model: String) throws -> ValidationReport {
        var excerpts: [String: String] = [:]
        return try validationReport(template: template, model: model, pairs: fieldPairs(template: template, model: model), excerpts: &excerpts)
    }

    /// (dialogue, gold, predicted) per labeled dialogue, per field of the template.
    func fieldPairs(template: PromptTemplate, model: String) throws -> [String: [(dialogueID: String, gold: String, predicted: String?)]] {
        var byField: [String: [(dialogueID: String, gold: String, predicted: String?)]] = [:]
        for field in template.taxonomy.fields { byField[field.name] = try pairs(field: field.name, promptHash: template.hash, model: model) }
        return byField
    }

    /// The report from pairs already read; `excerpts` caches the text shown beside errors.
    func validationReport(
        template: PromptTemplate, model: String, pairs byField: [String: [(dialogueID: String, gold: String, predicted: String?)]], excerpts: inout [String: String]
    ) throws -> ValidationReport {
        var errors: [ValidationReport.ValidationError] = []
        var fields: [FieldMetrics] = []
        for field in template.taxonomy.fields {
            let rows = byField[field.name] ?? []
            fields.append(FieldMetrics(field: field.name, labels: field.values, pairs: rows.map { ($0.gold, $0.predicted) }))
            for row in rows where row.gold != row.predicted {
                errors.append(
                    .init(dialogueID: row.dialogueID, field: field.name, gold: row.gold, predicted: row.predicted, excerpt: try excerpt(of: row.dialogueID, cache: &excerpts)))
            }
        }
        var report = ValidationReport(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: model, fields: fields)
        report.errors = errors.sorted { ($0.dialogueID, $0.field) < ($1.dialogueID, $1.field) }
        return report
    }

    func excerpt(of dialogueID: String, cache: inout [String: String]) throws -> String {
        if let known = cache[dialogueID] { return known }
        let text = try excerpt(of: dialogueID)
        cache[dialogueID] = text
        return text
    }

    /// The first client message of a dialogue on one line, cut to about 120 characters (already anonymized).
    func excerpt(of dialogueID: String) throws -> String {
        let text =
            try database.rows(
                "SELECT text FROM messages WHERE dialogue_id = ? ORDER BY (role <> 'client'), seq LIMIT 1", [.text(dialogueID)]
            ).first?["text"]?.text ?? ""
        return Excerpt.of(text, limit: 120)
    }

    /// Saves a rendered report in `reports`.
    public func store(_ report: ValidationReport, format: String, body: String) throws {
        try database.statement(
            """
            INSERT INTO reports (kind, created_at, prompt_name, prompt_version, prompt_hash, model, format, body) VALUES ('validate', ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .text(ChatTagStore.timestamp()), .text(report.promptName), .text(report.promptVersion), .text(report.promptHash),
            .text(report.model), .text(format), .text(body),
        ])
    }
}

extension LabelTable {
    /// Tokens, latency, failures and cost per labeled dialogue of one prompt and model.
    public func usage(promptHash: String, model: String, prices: PriceTable) throws -> SideUsage {
        let row = try database.rows(
            """
            SELECT COUNT(*) AS n, COALESCE(SUM(status = 'failed'), 0) AS failed, AVG(tokens_in) AS tokens_in, AVG(tokens_out) AS tokens_out,
                   AVG(latency_ms) AS latency FROM tags
            WHERE prompt_hash = ? AND model_requested = ? AND dialogue_id IN (SELECT dialogue_id FROM labels)
            """, [.text(promptHash), .text(model)]
        ).first
        let tokensIn = row?["tokens_in"]?.number, tokensOut = row?["tokens_out"]?.number
        let cost = prices.cost(model: model, tokensIn: Int((tokensIn ?? 0) * 1000), tokensOut: Int((tokensOut ?? 0) * 1000)).map { $0 / 1000 }
        return SideUsage(
            dialogues: Int(row?["n"]?.integer ?? 0), failed: Int(row?["failed"]?.integer ?? 0), tokensInPerDialogue: tokensIn,
            tokensOutPerDialogue: tokensOut, latencyMsPerDialogue: row?["latency"]?.number, costPerDialogue: cost)
    }

    /// A against B on the stored hand labels, from each side's tags.
    public func comparisonReport(a: (template: PromptTemplate, model: String), b: (template: PromptTemplate, model: String), prices: PriceTable) throws -> ComparisonReport {
        let pairsA = try fieldPairs(template: a.template, model: a.model)
        let pairsB = try fieldPairs(template: b.template, model: b.model)
        var excerpts: [String: String] = [:]
        let validationA = try validationReport(template: a.template, model: a.model, pairs: pairsA, excerpts: &excerpts)
        let validationB = try validationReport(template: b.template, model: b.model, pairs: pairsB, excerpts: &excerpts)
        for pair in pairsA.values.joined() { _ = try excerpt(of: pair.dialogueID, cache: &excerpts) }
        return ComparisonReport(
            a: .init(validation: validationA, usage: try usage(promptHash: a.template.hash, model: a.model, prices: prices)),
            b: .init(validation: validationB, usage: try usage(promptHash: b.template.hash, model: b.model, prices: prices)),
            taxonomy: a.template.taxonomy, pairsA: pairsA, pairsB: pairsB, excerpts: excerpts)
    }
}
