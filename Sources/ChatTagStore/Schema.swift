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
    ]

    /// The version a fully migrated database has.
    public static var latestVersion: Int { migrations.count }

    /// Brings the database to the latest version; refuses a database from a newer chattag.
    public static func migrate(_ database: Database) throws {
        let current = Int(try database.rows("PRAGMA user_version").first?["user_version"]?.integer ?? 0)
        guard current <= latestVersion else {
            throw DatabaseError(code: 1, message: "the database has schema version \(current), newer than this chattag's \(latestVersion); update chattag", sql: nil, path: database.path)
        }
        for version in current..<latestVersion {
            try database.transaction {
                try database.execute(migrations[version])
                try database.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }
}
