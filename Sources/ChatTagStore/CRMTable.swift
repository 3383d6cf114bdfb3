import ChatTagCore

/// Writes and reads the CRM tables: `dialogue_phones`, `crm_links`, `crm_pushes`, `crm_events`.
struct CRMTable {
    let database: Database

    /// Stores a dialogue's keyed phones; `replacing` drops the keys of its earlier content
    /// first. Call inside the import's transaction, after the dialogue is written.
    func writePhoneKeys(of dialogue: Dialogue, replacing: Bool) throws {
        guard dialogue.startedAt != nil else { return }
        if replacing { try database.statement("DELETE FROM dialogue_phones WHERE dialogue_id = ?").run([.text(dialogue.id)]) }
        guard !dialogue.phoneKeys.isEmpty else { return }
        let insert = try database.statement("INSERT OR IGNORE INTO dialogue_phones (dialogue_id, phone_key) VALUES (?, ?)")
        for key in dialogue.phoneKeys { try insert.run([.text(dialogue.id), .text(key)]) }
    }

    func dialogues() throws -> [CRMDialogue] {
        var keys: [String: [String]] = [:]
        for row in try database.rows("SELECT dialogue_id, phone_key FROM dialogue_phones ORDER BY dialogue_id, phone_key") {
            if let id = row["dialogue_id"]?.text, let key = row["phone_key"]?.text { keys[id, default: []].append(key) }
        }
        let sql = """
            SELECT d.id, d.started_at_unix_ms, l.deal_id, l.contact_id, l.lead_id FROM dialogues d
            LEFT JOIN crm_links l ON l.dialogue_id = d.id AND l.crm = ? ORDER BY d.id
            """
        return try database.rows(sql, [.text(OpenLinesImport.linkSource)]).compactMap { row in
            guard let id = row["id"]?.text else { return nil }
            let binding =
                row["deal_id"]?.integer.map { CRMOwner(kind: .deal, id: Int($0)) } ?? row["contact_id"]?.integer.map { CRMOwner(kind: .contact, id: Int($0)) }
                ?? row["lead_id"]?.integer.map { CRMOwner(kind: .lead, id: Int($0)) }
            return CRMDialogue(id: id, startedAtUnixMillis: row["started_at_unix_ms"]?.integer ?? 0, phoneKeys: keys[id] ?? [], binding: binding)
        }
    }

    /// Call inside a transaction.
    func replaceLinks(_ links: [CRMLink], crm: String, now: String) throws {
        try database.statement("DELETE FROM crm_links WHERE crm = ?").run([.text(crm)])
        try addLinks(links, now: now)
    }

    /// Inserts or replaces each link.
    func addLinks(_ links: [CRMLink], now: String) throws {
        let insert = try database.statement(
            """
            INSERT OR REPLACE INTO crm_links (dialogue_id, crm, contact_id, deal_id, lead_id, responsible_id, stage_semantic, linked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for link in links {
            try insert.run([
                .text(link.dialogueID), .text(link.crm), Self.value(link.contactID), Self.value(link.dealID), Self.value(link.leadID), Self.value(link.responsibleID),
                link.stageSemantic.map(SQLValue.text) ?? .null, .text(now),
            ])
        }
    }

    func link(dialogueID: String, crm: String) throws -> CRMLink? {
        guard let row = try database.rows("SELECT * FROM crm_links WHERE dialogue_id = ? AND crm = ?", [.text(dialogueID), .text(crm)]).first else { return nil }
        return CRMLink(
            dialogueID: dialogueID, crm: crm, contactID: row["contact_id"]?.integer.map(Int.init), dealID: row["deal_id"]?.integer.map(Int.init),
            leadID: row["lead_id"]?.integer.map(Int.init), responsibleID: row["responsible_id"]?.integer.map(Int.init), stageSemantic: row["stage_semantic"]?.text)
    }

    func push(dialogueID: String, promptHash: String, model: String, crm: String) throws -> CRMPushRecord? {
        guard
            let row = try database.rows(
                "SELECT * FROM crm_pushes WHERE dialogue_id = ? AND prompt_hash = ? AND model = ? AND crm = ?", [.text(dialogueID), .text(promptHash), .text(model), .text(crm)]
            ).first
        else { return nil }
        return CRMPushRecord(
            dialogueID: dialogueID, promptHash: promptHash, model: model, crm: crm, week: row["week"]?.text ?? "", correlationID: row["correlation_id"]?.text ?? "",
            entityType: row["entity_type"]?.text, entityID: row["entity_id"]?.integer.map(Int.init),
            status: CRMPushRecord.Status(rawValue: row["status"]?.text ?? "") ?? .pending, error: row["error"]?.text)
    }

    func savePush(_ record: CRMPushRecord, now: String) throws {
        try database.statement(
            """
            INSERT INTO crm_pushes (dialogue_id, prompt_hash, model, crm, week, entity_type, entity_id, correlation_id, status, error, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dialogue_id, prompt_hash, model, crm) DO UPDATE SET week = excluded.week, entity_type = excluded.entity_type,
            entity_id = excluded.entity_id, correlation_id = excluded.correlation_id, status = excluded.status, error = excluded.error,
            updated_at = excluded.updated_at
            """
        ).run([
            .text(record.dialogueID), .text(record.promptHash), .text(record.model), .text(record.crm), .text(record.week), record.entityType.map(SQLValue.text) ?? .null,
            Self.value(record.entityID), .text(record.correlationID), .text(record.status.rawValue), record.error.map(SQLValue.text) ?? .null, .text(now), .text(now),
        ])
    }

    func record(_ event: CRMEvent, now: String) throws {
        try database.statement(
            "INSERT INTO crm_events (at, crm, action, correlation_id, dialogue_id, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).run([
            .text(now), .text(event.crm), .text(event.action), event.correlationID.map(SQLValue.text) ?? .null, event.dialogueID.map(SQLValue.text) ?? .null,
            .text(event.status), .text(event.detail),
        ])
    }

    static func value(_ number: Int?) -> SQLValue { number.map { .integer(Int64($0)) } ?? .null }
}
