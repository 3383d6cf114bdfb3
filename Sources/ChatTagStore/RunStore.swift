import ChatTagCore
import Foundation

/// The tagging side of the store (`prompts`, `runs`, `tags`, `llm_calls`) on its own
/// connection, as an actor so a run's concurrent tasks write through one serial door.
public actor RunStore: BatchStore {
    let database: Database
    let dialogueTable: DialogueTable
    /// SQLite calls block: they run on their own thread (see ``DatabaseExecutor``).
    private nonisolated let executor = DatabaseExecutor(name: "chattag.run-store")

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(path: String) throws {
        database = try Database(path: path)
        try Schema.migrate(database)
        // Checkpoint every ~800 KB of log (SQLite's default is ~4 MB): the store's thread does it
        // while calls are in flight, so closing at the end of a run has little left to copy and
        // sync (17 ms → 4 ms after 5,000 tags).
        try database.execute("PRAGMA wal_autocheckpoint = 200")
        dialogueTable = DialogueTable(database: database)
    }

    /// Records the template at its first use. A later use with another hash is refused when the
    /// file's text changed; when only chattag's rendering changed (same text, new
    /// ``DialogueFraming/version``), the row takes the new hash and the run tags anew.
    public func register(_ template: PromptTemplate) throws {
        let rows = try database.rows("SELECT hash, text FROM prompts WHERE name = ? AND version = ?", [.text(template.name), .text(template.version)])
        if let recorded = rows.first?["hash"]?.text {
            if recorded == template.hash { return }
            guard rows.first?["text"]?.text == template.text else {
                throw PromptError.changed(id: template.id, recordedHash: recorded, currentHash: template.hash)
            }
            try database.statement("UPDATE prompts SET hash = ? WHERE name = ? AND version = ?")
                .run([.text(template.hash), .text(template.name), .text(template.version)])
            return
        }
        try database.statement("INSERT INTO prompts (name, version, hash, text, first_used_at) VALUES (?, ?, ?, ?, ?)")
            .run([.text(template.name), .text(template.version), .text(template.hash), .text(template.text), .text(ChatTagStore.timestamp())])
    }

    /// `WHERE` conditions and values for a filter over `dialogues d`.
    private func conditions(_ filter: DialogueFilter) -> (sql: String, values: [SQLValue]) {
        // Pruned dialogues have no text left to send.
        var sql = "d.pruned_at IS NULL"
        var values: [SQLValue] = []
        if let since = filter.sinceUnixMillis {
            sql += " AND d.started_at_unix_ms >= ?"
            values.append(.integer(since))
        }
        if filter.onlyLabeled { sql += " AND d.id IN (SELECT dialogue_id FROM labels)" }
        return (sql, values)
    }

    private static let pendingCondition =
        "(t.dialogue_id IS NULL OR t.status <> 'ok' OR t.content_hash <> d.content_hash OR t.params_hash <> ?)"

    public func plan(_ key: TagKey, filter: DialogueFilter) throws -> RunPlan {
        let (whereSQL, values) = conditions(filter)
        let row = try database.rows(
            """
            SELECT COUNT(*) AS selected,
                   COALESCE(SUM(CASE WHEN \(Self.pendingCondition) THEN 0 ELSE 1 END), 0) AS cached
            FROM dialogues d LEFT JOIN tags t ON t.dialogue_id = d.id AND t.prompt_hash = ? AND t.model_requested = ?
            WHERE \(whereSQL)
            """, [.text(key.paramsHash), .text(key.promptHash), .text(key.model)] + values
        ).first
        let selected = Int(row?["selected"]?.integer ?? 0)
        let cached = Int(row?["cached"]?.integer ?? 0)
        var pending = selected - cached
        if let limit = filter.limit { pending = min(pending, limit) }
        var bytes = 0
        var messages = 0
        if pending > 0 {
            let sizes = try database.rows(
                """
                SELECT COALESCE(SUM(text_bytes), 0) AS bytes, COALESCE(SUM(message_count), 0) AS messages FROM (
                    SELECT d.text_bytes, d.message_count FROM dialogues d
                    LEFT JOIN tags t ON t.dialogue_id = d.id AND t.prompt_hash = ? AND t.model_requested = ?
                    WHERE \(whereSQL) AND \(Self.pendingCondition) ORDER BY d.id LIMIT ?)
                """, [.text(key.promptHash), .text(key.model)] + values + [.text(key.paramsHash), .integer(Int64(pending))]
            ).first
            bytes = Int(sizes?["bytes"]?.integer ?? 0)
            messages = Int(sizes?["messages"]?.integer ?? 0)
        }
        return RunPlan(selected: selected, cached: cached, pending: pending, pendingTextBytes: bytes, pendingMessages: messages)
    }

    public func pendingDialogues(_ key: TagKey, filter: DialogueFilter, afterID: String?, limit: Int) throws -> [Dialogue] {
        let (whereSQL, values) = conditions(filter)
        let ids = try database.rows(
            """
            SELECT d.id AS id FROM dialogues d LEFT JOIN tags t ON t.dialogue_id = d.id AND t.prompt_hash = ? AND t.model_requested = ?
            WHERE \(whereSQL) AND \(Self.pendingCondition) AND d.id > ? ORDER BY d.id LIMIT ?
            """, [.text(key.promptHash), .text(key.model)] + values + [.text(key.paramsHash), .text(afterID ?? ""), .integer(Int64(limit))])
        return try database.reading { try ids.compactMap { row in try row["id"]?.text.flatMap { try dialogueTable.dialogue(id: $0) } } }
    }

    public func beginRun(_ run: RunStart) throws -> Int64 {
        try database.statement(
            """
            INSERT INTO runs (started_at, prompt_name, prompt_version, prompt_hash, model_requested, params_json, params_hash, endpoint, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .text(ChatTagStore.timestamp()), .text(run.template.name), .text(run.template.version), .text(run.template.hash),
            .text(run.model), .text(run.paramsJSON), .text(run.paramsHash), .text(run.endpoint), .text(RunStatus.running.rawValue),
        ])
        return database.lastInsertID
    }

    public func record(_ results: [TagResult], runID: Int64, key: TagKey, template: PromptTemplate) throws {
        let now = ChatTagStore.timestamp()
        try database.transaction {
            let upsert = try database.statement(
                """
                INSERT INTO tags (dialogue_id, run_id, prompt_name, prompt_version, prompt_hash, model_requested, model_version, params_hash,
                    content_hash, intent, sentiment, missed_lead, values_json, status, error, tokens_in, tokens_out, latency_ms, truncated,
                    created_at, updated_at, confidence_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (dialogue_id, prompt_hash, model_requested) DO UPDATE SET
                    run_id = excluded.run_id, prompt_name = excluded.prompt_name, prompt_version = excluded.prompt_version,
                    model_version = excluded.model_version, params_hash = excluded.params_hash, content_hash = excluded.content_hash,
                    intent = excluded.intent, sentiment = excluded.sentiment, missed_lead = excluded.missed_lead,
                    values_json = excluded.values_json, status = excluded.status, error = excluded.error, tokens_in = excluded.tokens_in,
                    tokens_out = excluded.tokens_out, latency_ms = excluded.latency_ms, truncated = excluded.truncated,
                    updated_at = excluded.updated_at, confidence_json = excluded.confidence_json
                """)
            for result in results {
                let values = result.values ?? [:]
                let missed: SQLValue = values["missed_lead"].map { .integer($0 == "true" ? 1 : 0) } ?? .null
                let json = values.isEmpty ? SQLValue.null : .text(TagValuesJSON.encode(values))
                try upsert.run([
                    .text(result.dialogueID), .integer(runID), .text(template.name), .text(template.version), .text(key.promptHash),
                    .text(key.model), result.modelVersion.map(SQLValue.text) ?? .null, .text(key.paramsHash), .text(result.contentHash),
                    values["intent"].map(SQLValue.text) ?? .null, values["sentiment"].map(SQLValue.text) ?? .null, missed, json,
                    .text(result.status.rawValue), result.error.map(SQLValue.text) ?? .null, .integer(Int64(result.tokensIn)),
                    .integer(Int64(result.tokensOut)), .integer(Int64(result.latencyMs)), .integer(result.truncated ? 1 : 0), .text(now), .text(now),
                    result.confidence.map { .text(ConfidenceJSON.encode($0)) } ?? .null,
                ])
                let insertCall = try database.statement(
                    """
                    INSERT INTO llm_calls (run_id, dialogue_id, attempt, correlation_id, started_at, http_status, outcome, latency_ms,
                        tokens_in, tokens_out, model_version, system_fingerprint, raw_reply, error, cached_tokens)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for call in result.calls {
                    try insertCall.run([
                        .integer(runID), .text(result.dialogueID), .integer(Int64(call.attempt)), .text(call.correlationID),
                        .text(call.startedAt.iso8601), call.httpStatus.map { .integer(Int64($0)) } ?? .null, .text(call.outcome.rawValue),
                        .integer(Int64(call.latencyMs)), call.tokensIn.map { .integer(Int64($0)) } ?? .null,
                        call.tokensOut.map { .integer(Int64($0)) } ?? .null, call.modelVersion.map(SQLValue.text) ?? .null,
                        call.systemFingerprint.map(SQLValue.text) ?? .null, call.rawReply.map(SQLValue.text) ?? .null,
                        call.error.map(SQLValue.text) ?? .null, call.cachedTokens.map { .integer(Int64($0)) } ?? .null,
                    ])
                }
            }
        }
    }

    public func finishRun(_ runID: Int64, summary: RunSummary, status: RunStatus) throws {
        try database.statement(
            """
            UPDATE runs SET finished_at = ?, status = ?, tagged = ?, cached = ?, failed = ?, calls = ?, tokens_in = ?, tokens_out = ?,
                cost_estimate = ?, latency_p50_ms = ?, latency_p95_ms = ?, model_versions = ? WHERE id = ?
            """
        ).run([
            .text(ChatTagStore.timestamp()), .text(status.rawValue), .integer(Int64(summary.tagged)), .integer(Int64(summary.cached)),
            .integer(Int64(summary.failed)), .integer(Int64(summary.calls)), .integer(Int64(summary.tokensIn)),
            .integer(Int64(summary.tokensOut)), summary.costUSD.map(SQLValue.real) ?? .null,
            summary.latencyP50Ms.map { .integer(Int64($0)) } ?? .null, summary.latencyP95Ms.map { .integer(Int64($0)) } ?? .null,
            .text(summary.modelVersions.joined(separator: ",")), .integer(runID),
        ])
    }

    /// The prompt hash, model and parameters hash a run was made with.
    public func runKey(_ runID: Int64) throws -> (key: TagKey, promptName: String, promptVersion: String)? {
        guard let row = try database.rows("SELECT prompt_name, prompt_version, prompt_hash, model_requested, params_hash FROM runs WHERE id = ?", [.integer(runID)]).first,
            let hash = row["prompt_hash"]?.text, let model = row["model_requested"]?.text, let name = row["prompt_name"]?.text,
            let version = row["prompt_version"]?.text, let paramsHash = row["params_hash"]?.text
        else { return nil }
        return (TagKey(promptHash: hash, model: model, paramsHash: paramsHash), name, version)
    }

    /// The content hash of a stored dialogue, or nil when it is not in the database.
    public func contentHash(of dialogueID: String) throws -> String? {
        try database.rows("SELECT content_hash FROM dialogues WHERE id = ?", [.text(dialogueID)]).first?["content_hash"]?.text
    }

    public func previousAnswer(_ key: TagKey, before runID: Int64) throws -> (modelVersion: String?, systemFingerprint: String?)? {
        let rows = try database.rows(
            """
            SELECT c.model_version AS model_version, c.system_fingerprint AS system_fingerprint FROM llm_calls c
            WHERE c.outcome = 'ok' AND c.run_id = (
                SELECT MAX(r.id) FROM runs r WHERE r.prompt_hash = ? AND r.model_requested = ? AND r.id < ?
                AND EXISTS (SELECT 1 FROM llm_calls x WHERE x.run_id = r.id AND x.outcome = 'ok'))
            ORDER BY c.id DESC LIMIT 1
            """, [.text(key.promptHash), .text(key.model), .integer(runID)])
        guard let row = rows.first else { return nil }
        return (row["model_version"]?.text, row["system_fingerprint"]?.text)
    }
}
