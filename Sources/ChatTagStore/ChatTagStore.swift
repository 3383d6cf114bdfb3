import ChatTagCore
import Foundation

/// The SQLite store of chattag: opens (and migrates) the database file and writes imports
/// atomically, one file per transaction.
///
/// ```swift
/// let store = try ChatTagStore(path: "chattag.db")
/// let totals = try store.importFile(name: "chat.txt", format: "whatsapp") { write in
///     try importer.importFile("chat.txt") { try write($0) }
/// }
/// ```
public final class ChatTagStore {
    public let database: Database
    public let dialogues: DialogueTable

    public init(path: String) throws {
        database = try Database(path: path)
        try Schema.migrate(database)
        dialogues = DialogueTable(database: database)
    }

    /// Runs one file's import in a single transaction: every dialogue `body` writes lands,
    /// or (when it throws) none does and the database is as it was. `zone` (the import's
    /// `--tz`) decides the week the BI views count each dialogue in.
    public func importFile(name: String, zone: ZoneResolver? = nil, body: (_ write: (Dialogue) throws -> Void) throws -> FileImportReport) throws -> (
        FileImportReport, ImportTotals
    ) {
        let now = Self.timestamp()
        let calendar = zone.map(WeekCalendar.init(zone:))
        return try database.transaction {
            try database.statement("INSERT INTO imports (file_name, fingerprint, format, started_at) VALUES (?, '', '', ?)").run([.text(name), .text(now)])
            let importID = database.lastInsertID
            var totals = ImportTotals()
            let report = try body { dialogue in
                switch try dialogues.write(dialogue, importID: importID, now: now, calendar: calendar) {
                case .inserted: totals.inserted += 1
                case .updated: totals.updated += 1
                case .unchanged: totals.unchanged += 1
                }
                totals.messages += dialogue.messages.count
            }
            try database.statement(
                """
                UPDATE imports SET fingerprint = ?, format = ?, finished_at = ?, dialogues_new = ?, dialogues_updated = ?,
                dialogues_unchanged = ?, messages = ? WHERE id = ?
                """
            ).run([
                .text(report.fingerprint), .text(report.format.rawValue), .text(Self.timestamp()), .integer(Int64(totals.inserted)),
                .integer(Int64(totals.updated)), .integer(Int64(totals.unchanged)), .integer(Int64(totals.messages)), .integer(importID),
            ])
            return (report, totals)
        }
    }

    /// The current UTC time as ISO-8601.
    public static func timestamp() -> String {
        let millis = Int64(Date().timeIntervalSince1970 * 1000)
        return ChatTime(unixMillis: millis, offsetSeconds: 0).iso8601
    }
}
