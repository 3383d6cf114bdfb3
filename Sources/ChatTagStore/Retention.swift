import ChatTagCore
import Foundation

/// Retention: past the window, message text, raw model replies, error texts that may quote
/// them, and rendered reports go; dialogues, their timestamps, roles and authors (so reports
/// and views still count them), tags and the audit metadata of calls stay. A pruned dialogue
/// is never sent for tagging again. Hand-labeled dialogues are kept whole: they are the
/// validation set every new prompt is measured on.
public struct Retention {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private static let selection = "started_at_unix_ms < ? AND pruned_at IS NULL AND id NOT IN (SELECT dialogue_id FROM labels)"

    /// What `prune(before:)` would remove.
    public func plan(before cutoffUnixMillis: Int64) throws -> PruneTotals {
        let cutoff = SQLValue.integer(cutoffUnixMillis)
        var totals = PruneTotals()
        let dialogues = try database.rows(
            """
            SELECT COUNT(*) AS n, COALESCE(SUM(message_count), 0) AS messages FROM dialogues WHERE \(Self.selection)
            """, [cutoff]
        ).first
        totals.dialogues = Int(dialogues?["n"]?.integer ?? 0)
        totals.keptLabeled = Int(
            try database.rows(
                "SELECT COUNT(*) AS n FROM dialogues WHERE started_at_unix_ms < ? AND pruned_at IS NULL AND id IN (SELECT dialogue_id FROM labels)", [cutoff]
            ).first?["n"]?.integer ?? 0)
        totals.messages = Int(dialogues?["messages"]?.integer ?? 0)
        totals.textBytes = Int(
            try database.rows(
                """
                SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) AS bytes FROM messages WHERE dialogue_id IN (SELECT id FROM dialogues WHERE \(Self.selection))
                """, [cutoff]
            ).first?["bytes"]?.integer ?? 0)
        let replies = try database.rows(
            """
            SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(CAST(raw_reply AS BLOB))), 0) AS bytes FROM llm_calls
            WHERE raw_reply IS NOT NULL AND dialogue_id IN (SELECT id FROM dialogues WHERE \(Self.selection))
            """, [cutoff]
        ).first
        totals.rawReplies = Int(replies?["n"]?.integer ?? 0)
        totals.replyBytes = Int(replies?["bytes"]?.integer ?? 0)
        totals.reports = Int(try database.rows("SELECT COUNT(*) AS n FROM reports WHERE created_at < ?", [.text(Self.iso(cutoffUnixMillis))]).first?["n"]?.integer ?? 0)
        return totals
    }

    /// Removes text, raw replies and old reports in one transaction, then returns the freed
    /// pages to the file system (`VACUUM`) so the text is gone from the file too.
    public func prune(before cutoffUnixMillis: Int64) throws -> PruneTotals {
        let cutoff = SQLValue.integer(cutoffUnixMillis)
        let totals = try database.transaction {
            let totals = try plan(before: cutoffUnixMillis)
            try database.statement("UPDATE messages SET text = '' WHERE dialogue_id IN (SELECT id FROM dialogues WHERE \(Self.selection))").run([cutoff])
            try database.statement(
                """
                UPDATE llm_calls SET raw_reply = NULL, error = CASE WHEN error IS NULL THEN NULL ELSE '(pruned)' END
                WHERE dialogue_id IN (SELECT id FROM dialogues WHERE \(Self.selection))
                """
            ).run([cutoff])
            // A failure's reason may quote the model's reply.
            try database.statement("UPDATE tags SET error = '(pruned)' WHERE error IS NOT NULL AND dialogue_id IN (SELECT id FROM dialogues WHERE \(Self.selection))")
                .run([cutoff])
            try database.statement("DELETE FROM reports WHERE created_at < ?").run([.text(Self.iso(cutoffUnixMillis))])
            try database.statement("UPDATE dialogues SET pruned_at = ?, text_bytes = 0 WHERE \(Self.selection)").run([.text(ChatTagStore.timestamp()), cutoff])
            return totals
        }
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try database.execute("VACUUM")
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return totals
    }

    static func iso(_ unixMillis: Int64) -> String { ChatTime(unixMillis: unixMillis, offsetSeconds: 0).iso8601 }
}
