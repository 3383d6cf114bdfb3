import ChatTagCore

/// The versioned schema. Each migration runs once, in order, inside a transaction, and
/// bumps `PRAGMA user_version`; names and columns users query are never renamed.
public enum Schema {
    /// Migrations by version: index 0 takes the database from version 0 to 1.
    static let migrations: [String] = [
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            format TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            dialogues_new INTEGER NOT NULL DEFAULT 0,
            dialogues_updated INTEGER NOT NULL DEFAULT 0,
            dialogues_unchanged INTEGER NOT NULL DEFAULT 0,
            messages INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE dialogues (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            channel TEXT NOT NULL,
            business TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT NOT NULL,
            started_at_unix_ms INTEGER NOT NULL,
            message_count INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            outcome TEXT CHECK (outcome IN ('booked', 'not_booked', 'unknown')),
            import_id INTEGER REFERENCES imports(id),
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX dialogues_started ON dialogues(started_at_unix_ms);
        CREATE TABLE messages (
            dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            at TEXT NOT NULL,
            at_unix_ms INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('client', 'staff', 'bot', 'system')),
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (dialogue_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE prompts (
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            hash TEXT NOT NULL,
            text TEXT NOT NULL,
            first_used_at TEXT NOT NULL,
            PRIMARY KEY (name, version)
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            prompt_name TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            model_requested TEXT NOT NULL,
            params_json TEXT NOT NULL DEFAULT '{}',
            endpoint TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            tagged INTEGER NOT NULL DEFAULT 0,
            cached INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            calls INTEGER NOT NULL DEFAULT 0,
            tokens_in INTEGER NOT NULL DEFAULT 0,
            tokens_out INTEGER NOT NULL DEFAULT 0,
            cost_estimate REAL
        );
        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
            run_id INTEGER REFERENCES runs(id),
            prompt_name TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            model_requested TEXT NOT NULL,
            model_version TEXT,
            params_hash TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            intent TEXT,
            sentiment TEXT,
            missed_lead INTEGER,
            status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
            error TEXT,
            tokens_in INTEGER,
            tokens_out INTEGER,
            latency_ms INTEGER,
            truncated INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (dialogue_id, prompt_hash, model_requested)
        );
        CREATE TABLE llm_calls (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            dialogue_id TEXT,
            attempt INTEGER NOT NULL,
            correlation_id TEXT NOT NULL,
            started_at TEXT NOT NULL,
            http_status INTEGER,
            outcome TEXT NOT NULL,
            latency_ms INTEGER,
            tokens_in INTEGER,
            tokens_out INTEGER,
            model_version TEXT,
            system_fingerprint TEXT,
            raw_reply TEXT,
            error TEXT
        );
        CREATE INDEX llm_calls_run ON llm_calls(run_id);
        CREATE TABLE labels (
            dialogue_id TEXT NOT NULL,
            annotator TEXT NOT NULL,
            intent TEXT,
            sentiment TEXT,
            missed_lead INTEGER,
            note TEXT NOT NULL DEFAULT '',
            source TEXT,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (dialogue_id, annotator)
        );
        CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            prompt_name TEXT,
            prompt_version TEXT,
            prompt_hash TEXT,
            model TEXT,
            format TEXT NOT NULL,
            params_json TEXT NOT NULL DEFAULT '{}',
            body TEXT NOT NULL
        );
        """,
        // 2: the full tag values for templates with their own taxonomy, run notes (drift
        // warnings), and the index the tagging cache looks tags up by.
        """
        ALTER TABLE tags ADD COLUMN values_json TEXT;
        ALTER TABLE runs ADD COLUMN params_hash TEXT;
        ALTER TABLE runs ADD COLUMN latency_p50_ms INTEGER;
        ALTER TABLE runs ADD COLUMN latency_p95_ms INTEGER;
        ALTER TABLE runs ADD COLUMN model_versions TEXT;
        CREATE INDEX tags_by_key ON tags(prompt_hash, model_requested, status);
        CREATE INDEX llm_calls_dialogue ON llm_calls(dialogue_id);
        """,
        // 3: retention (pruned dialogues keep their facts and tags, not their text) and the
        // views BI tools read. `week` is the ISO week of the first message in the import's
        // `--tz`; rows imported before this version get the week of the offset they were
        // stored with.
        """
        ALTER TABLE dialogues ADD COLUMN pruned_at TEXT;
        ALTER TABLE dialogues ADD COLUMN week TEXT;
        UPDATE dialogues SET week = printf('%s-W%02d', strftime('%Y', date(substr(started_at, 1, 10), '-3 days', 'weekday 4')),
            (CAST(strftime('%j', date(substr(started_at, 1, 10), '-3 days', 'weekday 4')) AS INTEGER) - 1) / 7 + 1);
        CREATE INDEX dialogues_week ON dialogues(week);
        CREATE VIEW v_dialogue_facts AS
        SELECT d.id AS dialogue_id, d.channel, d.started_at, d.outcome, d.week,
               r.author AS first_responder, r.role AS first_responder_role,
               (r.at_unix_ms - c.at_unix_ms) / 1000.0 AS first_response_s,
               CASE WHEN l.seq IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM messages m WHERE m.dialogue_id = d.id AND m.seq > l.seq AND m.role IN ('staff', 'bot')) THEN 1 ELSE 0 END AS unanswered,
               c.seq IS NOT NULL AS has_client,
               substr(c.text, 1, 140) AS excerpt
        FROM dialogues d
        LEFT JOIN messages c ON c.dialogue_id = d.id AND c.seq = (SELECT MIN(seq) FROM messages WHERE dialogue_id = d.id AND role = 'client')
        LEFT JOIN messages r ON r.dialogue_id = d.id
            AND r.seq = (SELECT MIN(seq) FROM messages WHERE dialogue_id = d.id AND role IN ('staff', 'bot') AND seq > c.seq)
        LEFT JOIN messages l ON l.dialogue_id = d.id AND l.seq = (SELECT MAX(seq) FROM messages WHERE dialogue_id = d.id AND role = 'client');
        CREATE VIEW v_tags_latest AS
        SELECT t.dialogue_id, t.intent, t.sentiment, t.missed_lead, t.prompt_name, t.prompt_version, t.prompt_hash,
               t.model_requested, t.model_version, t.run_id, t.updated_at
        FROM tags t
        WHERE t.status = 'ok' AND t.id = (
            SELECT t2.id FROM tags t2 WHERE t2.dialogue_id = t.dialogue_id AND t2.status = 'ok' ORDER BY t2.updated_at DESC, t2.id DESC LIMIT 1);
        CREATE VIEW v_missed_leads AS
        SELECT f.week, f.dialogue_id, f.channel, f.started_at, f.first_responder AS staff, f.first_response_s, f.outcome, f.excerpt,
               t.prompt_name, t.prompt_version, t.prompt_hash, t.model_requested, t.run_id
        FROM v_tags_latest t JOIN v_dialogue_facts f ON f.dialogue_id = t.dialogue_id
        WHERE t.missed_lead = 1;
        CREATE VIEW v_staff_week AS
        WITH facts AS (
            SELECT f.week, f.first_responder AS staff, f.first_responder_role AS role, f.first_response_s, f.unanswered,
                   t.dialogue_id IS NOT NULL AS tagged, COALESCE(t.missed_lead, 0) AS missed_lead
            FROM v_dialogue_facts f LEFT JOIN v_tags_latest t ON t.dialogue_id = f.dialogue_id
            WHERE f.first_responder IS NOT NULL),
        ranked AS (
            SELECT week, staff, role, first_response_s,
                   ROW_NUMBER() OVER (PARTITION BY week, staff, role ORDER BY first_response_s) AS k,
                   COUNT(*) OVER (PARTITION BY week, staff, role) AS n
            FROM facts),
        quantiles AS (
            SELECT week, staff, role,
                   AVG(CASE WHEN k IN ((n + 1) / 2, (n + 2) / 2) THEN first_response_s END) AS median_s,
                   SUM(CASE WHEN k = CAST((n - 1) * 0.9 AS INTEGER) + 1 THEN first_response_s * (1 - ((n - 1) * 0.9 - CAST((n - 1) * 0.9 AS INTEGER)))
                            WHEN k = CAST((n - 1) * 0.9 AS INTEGER) + 2 THEN first_response_s * ((n - 1) * 0.9 - CAST((n - 1) * 0.9 AS INTEGER))
                            ELSE 0 END) AS p90_s
            FROM ranked GROUP BY week, staff, role)
        SELECT f.week, f.staff, f.role, COUNT(*) AS dialogues, q.median_s AS first_response_median_s, q.p90_s AS first_response_p90_s,
               SUM(f.unanswered) AS unanswered, SUM(f.tagged) AS tagged, SUM(f.missed_lead) AS missed_leads,
               CASE WHEN SUM(f.tagged) > 0 THEN ROUND(1.0 * SUM(f.missed_lead) / SUM(f.tagged), 3) END AS missed_lead_rate
        FROM facts f JOIN quantiles q ON q.week = f.week AND q.staff = f.staff AND q.role = f.role
        GROUP BY f.week, f.staff, f.role;
        """,
        // 4: the UTF-8 size of each dialogue's text, so a run's token estimate reads one row
        // per dialogue instead of every message.
        """
        ALTER TABLE dialogues ADD COLUMN text_bytes INTEGER NOT NULL DEFAULT 0;
        UPDATE dialogues SET text_bytes = (SELECT COALESCE(SUM(LENGTH(CAST(m.text AS BLOB))), 0) FROM messages m WHERE m.dialogue_id = dialogues.id);
        """,
        // 5: the declared production instrument with its history, and views pinned to it.
        // `v_tags` holds every instrument's tags; `v_tags_current` (and `v_tags_latest`, kept
        // for the tools that read it) only those of the instrument in effect for each
        // dialogue's date, so an experiment never moves the staff and missed-lead views.
        // Durations are whole seconds.
        """
        CREATE TABLE instruments (
            id INTEGER PRIMARY KEY,
            prompt_name TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            counts_from TEXT NOT NULL,
            declared_at TEXT NOT NULL
        );
        DROP VIEW v_staff_week;
        DROP VIEW v_missed_leads;
        DROP VIEW v_tags_latest;
        DROP VIEW v_dialogue_facts;
        CREATE VIEW v_dialogue_facts AS
        SELECT d.id AS dialogue_id, d.channel, d.started_at, d.outcome, d.week,
               r.author AS first_responder, r.role AS first_responder_role,
               CAST(ROUND((r.at_unix_ms - c.at_unix_ms) / 1000.0) AS INTEGER) AS first_response_s,
               CASE WHEN l.seq IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM messages m WHERE m.dialogue_id = d.id AND m.seq > l.seq AND m.role IN ('staff', 'bot')) THEN 1 ELSE 0 END AS unanswered,
               c.seq IS NOT NULL AS has_client,
               substr(c.text, 1, 140) AS excerpt
        FROM dialogues d
        LEFT JOIN messages c ON c.dialogue_id = d.id AND c.seq = (SELECT MIN(seq) FROM messages WHERE dialogue_id = d.id AND role = 'client')
        LEFT JOIN messages r ON r.dialogue_id = d.id
            AND r.seq = (SELECT MIN(seq) FROM messages WHERE dialogue_id = d.id AND role IN ('staff', 'bot') AND seq > c.seq)
        LEFT JOIN messages l ON l.dialogue_id = d.id AND l.seq = (SELECT MAX(seq) FROM messages WHERE dialogue_id = d.id AND role = 'client');
        CREATE VIEW v_tags AS
        SELECT t.dialogue_id, t.intent, t.sentiment, t.missed_lead, t.prompt_name, t.prompt_version, t.prompt_hash,
               t.model_requested, t.model_version, t.run_id, t.updated_at
        FROM tags t JOIN dialogues d ON d.id = t.dialogue_id
        WHERE t.status = 'ok' AND t.content_hash = d.content_hash;
        CREATE VIEW v_instrument_of_dialogue AS
        SELECT d.id AS dialogue_id, COALESCE(
            (SELECT i.id FROM instruments i WHERE i.counts_from <= substr(d.started_at, 1, 10) ORDER BY i.counts_from DESC, i.id DESC LIMIT 1),
            (SELECT i.id FROM instruments i ORDER BY i.counts_from, i.id LIMIT 1)) AS instrument_id
        FROM dialogues d;
        CREATE VIEW v_tags_current AS
        SELECT t.dialogue_id, t.intent, t.sentiment, t.missed_lead, t.prompt_name, t.prompt_version, t.prompt_hash,
               t.model_requested, t.model_version, t.run_id, t.updated_at
        FROM v_tags t
        JOIN v_instrument_of_dialogue x ON x.dialogue_id = t.dialogue_id
        JOIN instruments i ON i.id = x.instrument_id AND i.prompt_hash = t.prompt_hash AND i.model = t.model_requested;
        CREATE VIEW v_tags_latest AS SELECT * FROM v_tags_current;
        CREATE VIEW v_missed_leads AS
        SELECT f.week, f.dialogue_id, f.channel, f.started_at, f.first_responder AS staff, f.first_response_s, f.outcome, f.excerpt,
               t.prompt_name, t.prompt_version, t.prompt_hash, t.model_requested, t.run_id
        FROM v_tags_current t JOIN v_dialogue_facts f ON f.dialogue_id = t.dialogue_id
        WHERE t.missed_lead = 1;
        CREATE VIEW v_staff_week AS
        WITH facts AS (
            SELECT f.week, f.first_responder AS staff, f.first_responder_role AS role, f.first_response_s, f.unanswered,
                   t.dialogue_id IS NOT NULL AS tagged, COALESCE(t.missed_lead, 0) AS missed_lead
            FROM v_dialogue_facts f LEFT JOIN v_tags_current t ON t.dialogue_id = f.dialogue_id
            WHERE f.first_responder IS NOT NULL),
        ranked AS (
            SELECT week, staff, role, first_response_s,
                   ROW_NUMBER() OVER (PARTITION BY week, staff, role ORDER BY first_response_s) AS k,
                   COUNT(*) OVER (PARTITION BY week, staff, role) AS n
            FROM facts),
        quantiles AS (
            SELECT week, staff, role,
                   AVG(CASE WHEN k IN ((n + 1) / 2, (n + 2) / 2) THEN first_response_s END) AS median_s,
                   SUM(CASE WHEN k = CAST((n - 1) * 0.9 AS INTEGER) + 1 THEN first_response_s * (1 - ((n - 1) * 0.9 - CAST((n - 1) * 0.9 AS INTEGER)))
                            WHEN k = CAST((n - 1) * 0.9 AS INTEGER) + 2 THEN first_response_s * ((n - 1) * 0.9 - CAST((n - 1) * 0.9 AS INTEGER))
                            ELSE 0 END) AS p90_s
            FROM ranked GROUP BY week, staff, role)
        SELECT f.week, f.staff, f.role, COUNT(*) AS dialogues,
               CAST(ROUND(q.median_s) AS INTEGER) AS first_response_median_s, CAST(ROUND(q.p90_s) AS INTEGER) AS first_response_p90_s,
               SUM(f.unanswered) AS unanswered, SUM(f.tagged) AS tagged, SUM(f.missed_lead) AS missed_leads,
               CASE WHEN SUM(f.tagged) > 0 THEN ROUND(1.0 * SUM(f.missed_lead) / SUM(f.tagged), 3) END AS missed_lead_rate
        FROM facts f JOIN quantiles q ON q.week = f.week AND q.staff = f.staff AND q.role = f.role
        GROUP BY f.week, f.staff, f.role;
        """,
        // 6: whether the client closed the conversation («Спасибо», «Ок», 👍 after the reply),
        // decided in Swift when the text is at hand (see `backfill`), so a closed conversation
        // is not counted unanswered, in the views as in the report, even after pruning.
        """
        ALTER TABLE dialogues ADD COLUMN closed_by_client INTEGER NOT NULL DEFAULT 0;
        DROP VIEW v_dialogue_facts;
        CREATE VIEW v_dialogue_facts AS
        SELECT d.id AS dialogue_id, d.channel, d.started_at, d.outcome, d.week,
               r.author AS first_responder, r.role AS first_responder_role,
               CAST(ROUND((r.at_unix_ms - c.at_unix_ms) / 1000.0) AS INTEGER) AS first_response_s,
               CASE WHEN l.seq IS NOT NULL AND d.closed_by_client = 0 AND NOT EXISTS (
                   SELECT 1 FROM messages m WHERE m.dialogue_id = d.id AND m.seq > l.seq AND m.role IN ('staff', 'bot')) THEN 1 ELSE 0 END AS unanswered,
               c.seq IS NOT NULL AS has_client,
               substr(c.text, 1, 140) AS excerpt,
               d.closed_by_client
        FROM dialogues d
        LEFT JOIN messages c ON c.dialogue_id = d.id AND c.seq = (SELECT MIN(seq) FROM messages WHERE dialogue_id = d.id AND role = 'client')
        LEFT JOIN messages r ON r.dialogue_id = d.id
            AND r.seq = (SELECT MIN(seq) FROM messages WHERE dialogue_id = d.id AND role IN ('staff', 'bot') AND seq > c.seq)
        LEFT JOIN messages l ON l.dialogue_id = d.id AND l.seq = (SELECT MAX(seq) FROM messages WHERE dialogue_id = d.id AND role = 'client');
        """,
        // 7: the manager rubric (rubric@1). Labels keep every field in `values_json`, so one
        // annotator labels several template families; a declared instrument has a role (tags
        // or rubric); the rubric's views score each answered dialogue −2…10.
        """
        ALTER TABLE labels ADD COLUMN values_json TEXT;
        UPDATE labels SET values_json = json_object('intent', intent, 'sentiment', sentiment, 'missed_lead',
            CASE missed_lead WHEN 1 THEN 'true' WHEN 0 THEN 'false' END);
        UPDATE tags SET values_json = json_object('intent', intent, 'sentiment', sentiment, 'missed_lead',
            CASE missed_lead WHEN 1 THEN 'true' WHEN 0 THEN 'false' END) WHERE values_json IS NULL AND status = 'ok';
        ALTER TABLE instruments ADD COLUMN role TEXT NOT NULL DEFAULT 'tags' CHECK (role IN ('tags', 'rubric'));
        DROP VIEW v_instrument_of_dialogue;
        CREATE VIEW v_instrument_of_dialogue AS
        SELECT d.id AS dialogue_id, COALESCE(
            (SELECT i.id FROM instruments i WHERE i.role = 'tags' AND i.counts_from <= substr(d.started_at, 1, 10) ORDER BY i.counts_from DESC, i.id DESC LIMIT 1),
            (SELECT i.id FROM instruments i WHERE i.role = 'tags' ORDER BY i.counts_from, i.id LIMIT 1)) AS instrument_id
        FROM dialogues d;
        CREATE VIEW v_rubric_instrument_of_dialogue AS
        SELECT d.id AS dialogue_id, COALESCE(
            (SELECT i.id FROM instruments i WHERE i.role = 'rubric' AND i.counts_from <= substr(d.started_at, 1, 10) ORDER BY i.counts_from DESC, i.id DESC LIMIT 1),
            (SELECT i.id FROM instruments i WHERE i.role = 'rubric' ORDER BY i.counts_from, i.id LIMIT 1)) AS instrument_id
        FROM dialogues d;
        CREATE VIEW v_dialogue_rubric AS
        SELECT f.week, f.dialogue_id, f.first_responder AS staff, f.first_responder_role AS role, f.first_response_s,
               CASE WHEN f.first_response_s <= 180 THEN 3 WHEN f.first_response_s <= 900 THEN 2 ELSE 0 END AS response_points,
               CASE json_extract(t.values_json, '$.needs_clarified') WHEN 'full' THEN 3 WHEN 'partial' THEN 1 ELSE 0 END AS needs_points,
               CASE WHEN json_extract(t.values_json, '$.offer_made') = 'true' THEN 3 ELSE 0 END AS offer_points,
               CASE WHEN json_extract(t.values_json, '$.rude_or_error') = 'true' THEN -2 ELSE 1 END AS conduct_points,
               json_extract(t.values_json, '$.needs_clarified') AS needs_clarified,
               json_extract(t.values_json, '$.offer_made') = 'true' AS offer_made,
               json_extract(t.values_json, '$.rude_or_error') = 'true' AS rude_or_error,
               json_extract(t.values_json, '$.recommended_action') AS recommended_action,
               t.prompt_name, t.prompt_version, t.prompt_hash, t.model_requested
        FROM v_dialogue_facts f
        JOIN dialogues d ON d.id = f.dialogue_id
        JOIN tags t ON t.dialogue_id = f.dialogue_id AND t.status = 'ok' AND t.content_hash = d.content_hash
        JOIN v_rubric_instrument_of_dialogue x ON x.dialogue_id = f.dialogue_id
        JOIN instruments i ON i.id = x.instrument_id AND i.prompt_hash = t.prompt_hash AND i.model = t.model_requested
        WHERE f.first_responder IS NOT NULL AND f.first_response_s IS NOT NULL;
        CREATE VIEW v_staff_rubric_week AS
        SELECT week, staff, role, COUNT(*) AS dialogues,
               ROUND(AVG(response_points + needs_points + offer_points + conduct_points), 2) AS mean_score,
               ROUND(AVG(needs_clarified = 'full'), 3) AS needs_clarified_rate,
               ROUND(AVG(offer_made), 3) AS offer_rate,
               ROUND(AVG(rude_or_error = 0), 3) AS no_rudeness_rate,
               ROUND(AVG(response_points = 3), 3) AS fast_response_rate
        FROM v_dialogue_rubric GROUP BY week, staff, role;
        """,
        // 8: how sure the model was of each field (from log-probabilities), per tag; prompt
        // tokens the provider served from its cache, per call.
        """
        ALTER TABLE tags ADD COLUMN confidence_json TEXT;
        ALTER TABLE llm_calls ADD COLUMN cached_tokens INTEGER;
        """,
        // 9: CRM links. The keyed phones of each dialogue (HMAC with the pseudonym key, never
        // the phone), each dialogue's matched CRM records, the pushes of missed leads with
        // their correlation ids, and the audit events of CRM commands.
        """
        CREATE TABLE dialogue_phones (
            dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
            phone_key TEXT NOT NULL,
            PRIMARY KEY (dialogue_id, phone_key)
        ) WITHOUT ROWID;
        CREATE INDEX dialogue_phones_key ON dialogue_phones(phone_key);
        CREATE TABLE crm_links (
            dialogue_id TEXT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
            crm TEXT NOT NULL,
            contact_id INTEGER,
            deal_id INTEGER,
            lead_id INTEGER,
            responsible_id INTEGER,
            stage_semantic TEXT,
            linked_at TEXT NOT NULL,
            PRIMARY KEY (dialogue_id, crm)
        );
        CREATE TABLE crm_pushes (
            id INTEGER PRIMARY KEY,
            dialogue_id TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            crm TEXT NOT NULL,
            week TEXT NOT NULL,
            entity_type TEXT,
            entity_id INTEGER,
            correlation_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
            error TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (dialogue_id, prompt_hash, model, crm)
        );
        CREATE INDEX crm_pushes_correlation ON crm_pushes(correlation_id);
        CREATE TABLE crm_events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            crm TEXT NOT NULL,
            action TEXT NOT NULL,
            correlation_id TEXT,
            dialogue_id TEXT,
            status TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        """,
    ]

    /// The version a fully migrated database has.
    public static var latestVersion: Int { migrations.count }

    /// Brings the database to the latest version; refuses a database from a newer chattag.
    public static func migrate(_ database: Database) throws {
        let current = Int(try database.rows("PRAGMA user_version").first?["user_version"]?.integer ?? 0)
        guard current <= latestVersion else {
            throw DatabaseError(
                code: 1, message: "the database has schema version \(current), newer than this chattag's \(latestVersion); update chattag", sql: nil, path: database.path)
        }
        for version in current..<latestVersion {
            try database.transaction {
                try database.execute(migrations[version])
                if version + 1 == 6 { try backfillClosedByClient(database) }
                try database.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }

    /// Migration 6's column for dialogues stored before it, from their text (pruned ones have
    /// none left and stay 0).
    static func backfillClosedByClient(_ database: Database) throws {
        let table = DialogueTable(database: database)
        let ids = try database.rows("SELECT id FROM dialogues WHERE pruned_at IS NULL").compactMap { $0["id"]?.text }
        let update = try database.statement("UPDATE dialogues SET closed_by_client = 1 WHERE id = ?")
        for id in ids {
            guard var dialogue = try table.dialogue(id: id) else { continue }
            dialogue.closedByClient = nil
            if DialogueFacts(dialogue).closedByClient { try update.run([.text(id)]) }
        }
    }
}
