import ChatTagCore
import Foundation

/// Writes and reads the `dialogues` and `messages` tables.
public struct DialogueTable {
    let database: Database
    public init(database: Database) {
        self.database = database
    }

    /// Inserts a new dialogue, replaces one whose content changed (same id, new content hash),
    /// and leaves an identical one alone. Call inside a transaction.
    /// `calendar` decides the ISO week stored for BI views (`dialogues.week`); without one,
    /// the week of the first message's wall-clock date at its own offset.
    public func write(_ dialogue: Dialogue, importID: Int64, now: String, calendar: WeekCalendar? = nil) throws -> DialogueWrite {
        guard let startedAt = dialogue.startedAt, let endedAt = dialogue.endedAt else { return .unchanged }
        let contentHash = dialogue.contentHash
        let lookup = try database.statement("SELECT content_hash, outcome, pruned_at FROM dialogues WHERE id = ?")
        try lookup.bind([.text(dialogue.id)])
        let found = try lookup.step()
        let existing = found ? lookup.text(0) : nil
        let storedOutcome = found ? lookup.text(1) : nil
        let pruned = found && lookup.text(2) != nil
        lookup.reset()
        if existing == contentHash {
            // The outcome is not part of the content: a CRM export that only changed it still lands.
            guard let outcome = dialogue.outcome, outcome.rawValue != storedOutcome else { return .unchanged }
            try database.statement("UPDATE dialogues SET outcome = ?, updated_at = ? WHERE id = ?").run([.text(outcome.rawValue), .text(now), .text(dialogue.id)])
            return .updated
        }
        let values: [SQLValue] = [
            .text(dialogue.source), .text(dialogue.channel), dialogue.business.map(SQLValue.text) ?? .null,
            .text(startedAt.iso8601), .text(endedAt.iso8601), .integer(startedAt.unixMillis), .integer(Int64(dialogue.messages.count)),
            .text(contentHash), dialogue.outcome.map { .text($0.rawValue) } ?? .null, .integer(importID), .text(now),
            .text((calendar?.week(of: startedAt.unixMillis) ?? ReportWeek(containing: startedAt.local.date)).description),
            .integer(pruned ? 0 : Int64(dialogue.messages.reduce(0) { $0 + $1.text.utf8.count })),
            .integer(DialogueFacts(dialogue).closedByClient ? 1 : 0),
        ]
        let result: DialogueWrite
        if existing != nil {
            try database.statement("DELETE FROM messages WHERE dialogue_id = ?").run([.text(dialogue.id)])
            try database.statement(
                """
                UPDATE dialogues SET source = ?, channel = ?, business = ?, started_at = ?, ended_at = ?, started_at_unix_ms = ?,
                message_count = ?, content_hash = ?, outcome = COALESCE(?, outcome), import_id = ?, updated_at = ?, week = ?, text_bytes = ?,
                closed_by_client = ? WHERE id = ?
                """
            ).run(values + [.text(dialogue.id)])
            result = .updated
        } else {
            try database.statement(
                """
                INSERT INTO dialogues (source, channel, business, started_at, ended_at, started_at_unix_ms, message_count,
                content_hash, outcome, import_id, updated_at, week, text_bytes, closed_by_client, imported_at, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).run(values + [.text(now), .text(dialogue.id)])
            result = .inserted
        }
        let insert = try database.statement("INSERT INTO messages (dialogue_id, seq, at, at_unix_ms, role, author, text) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for (seq, message) in dialogue.messages.enumerated() {
            try insert.run([
                .text(dialogue.id), .integer(Int64(seq + 1)), .text(message.at.iso8601), .integer(message.at.unixMillis),
                // A pruned dialogue stays pruned when a later export of the whole chat brings it again.
                .text(message.role.rawValue), .text(message.author), .text(pruned ? "" : message.text),
            ])
        }
        return result
    }

    /// Number of stored dialogues.
    public func count() throws -> Int {
        Int(try database.rows("SELECT COUNT(*) AS n FROM dialogues").first?["n"]?.integer ?? 0)
    }

    /// One stored dialogue with its messages, or nil.
    public func dialogue(id: String) throws -> Dialogue? {
        guard let row = try database.rows("SELECT * FROM dialogues WHERE id = ?", [.text(id)]).first else { return nil }
        let statement = try database.statement("SELECT at, at_unix_ms, role, author, text FROM messages WHERE dialogue_id = ? ORDER BY seq")
        try statement.bind([.text(id)])
        defer { statement.reset() }
        var messages: [Message] = []
        while try statement.step() {
            let iso = statement.text(0) ?? ""
            let millis = statement.value(1).integer ?? 0
            let offset = Self.offsetSeconds(ofISO: iso)
            messages.append(
                Message(
                    at: ChatTime(unixMillis: millis, offsetSeconds: offset), role: Role(rawValue: statement.text(2) ?? "") ?? .client,
                    author: statement.text(3) ?? "", text: statement.text(4) ?? ""))
        }
        return Dialogue(
            id: id, source: row["source"]?.text ?? "", channel: row["channel"]?.text ?? "", business: row["business"]?.text,
            messages: messages, outcome: row["outcome"]?.text.flatMap(Outcome.init(rawValue:)),
            closedByClient: row["closed_by_client"]?.integer.map { $0 == 1 })
    }

    static func offsetSeconds(ofISO iso: String) -> Int32 {
        if iso.hasSuffix("Z") { return 0 }
        let tail = iso.suffix(6)
        guard tail.count == 6, let sign = tail.first, sign == "+" || sign == "-",
            let hours = Int32(tail.dropFirst().prefix(2)), let minutes = Int32(tail.suffix(2))
        else { return 0 }
        return (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
    }
}

extension DialogueTable {
    /// Sets the outcome of each listed dialogue. Call inside a transaction.
    public func apply(_ rows: [OutcomeRow], to totals: inout OutcomeTotals) throws {
        let lookup = try database.statement("SELECT outcome FROM dialogues WHERE id = ?")
        let update = try database.statement("UPDATE dialogues SET outcome = ? WHERE id = ?")
        for row in rows {
            try lookup.bind([.text(row.dialogueID)])
            guard try lookup.step() else {
                lookup.reset()
                totals.noteUnknown(row.dialogueID)
                continue
            }
            let current = lookup.text(0)
            lookup.reset()
            if current == row.outcome.rawValue {
                totals.unchanged += 1
            } else {
                try update.run([.text(row.outcome.rawValue), .text(row.dialogueID)])
                totals.updated += 1
            }
        }
    }
}
