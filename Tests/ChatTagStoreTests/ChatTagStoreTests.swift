import ChatTagCore
import Foundation
import Testing

@testable import ChatTagStore

/// The store on a real SQLite file: schema, WAL, permissions, atomic and idempotent imports.
@Suite final class ChatTagStoreTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func dialogue(_ id: String, texts: [String]) -> Dialogue {
        let messages = texts.enumerated().map { index, text in
            Message(
                at: ChatTime(unixMillis: 1_736_074_800_000 + Int64(index) * 60_000, offsetSeconds: 10_800), role: index % 2 == 0 ? .client : .staff,
                author: index % 2 == 0 ? "c-1a2b3c4d" : "Анна", text: text)
        }
        return Dialogue(id: id, source: "jsonl:test.jsonl", channel: "whatsapp", messages: messages, outcome: .booked)
    }

    func report(_ count: Int) -> FileImportReport {
        FileImportReport(file: "test.jsonl", format: .jsonl, dialogues: count, messages: 0, fingerprint: "f")
    }

    @Test func newDatabaseIsAPrivateWALFileWithEveryContractTable() throws {
        let path = directory + "/new.db"
        let store = try ChatTagStore(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try store.database.rows("PRAGMA journal_mode").first?["journal_mode"]?.text == "wal")
        #expect(try store.database.rows("PRAGMA foreign_keys").first?["foreign_keys"]?.integer == 1)
        #expect(try store.database.rows("PRAGMA user_version").first?["user_version"]?.integer == Int64(Schema.latestVersion))
        let required: [String: [String]] = [
            "dialogues": ["id", "source", "channel", "started_at", "ended_at", "content_hash", "outcome"],
            "messages": ["dialogue_id", "seq", "at", "role", "author", "text"],
            "prompts": ["name", "version", "hash", "text", "first_used_at"],
            "runs": ["id"],
            "tags": [
                "dialogue_id", "run_id", "prompt_name", "prompt_version", "prompt_hash", "model_requested", "model_version",
                "intent", "sentiment", "missed_lead", "status", "error", "created_at",
            ],
            "llm_calls": ["run_id", "dialogue_id", "correlation_id", "http_status", "latency_ms", "tokens_in", "tokens_out", "raw_reply", "error", "system_fingerprint"],
            "labels": ["dialogue_id", "intent", "sentiment", "missed_lead", "annotator", "note"],
            "reports": ["kind", "body"],
        ]
        for (table, columns) in required {
            let present = Set(try store.database.rows("PRAGMA table_info(\(table))").compactMap { $0["name"]?.text })
            for column in columns { #expect(present.contains(column), "\(table).\(column)") }
        }
    }

    @Test func reimportingTheSameDialoguesAddsNothing() throws {
        let store = try ChatTagStore(path: directory + "/idem.db")
        let dialogues = [dialogue("d1", texts: ["Здравствуйте", "Добрый день"]), dialogue("d2", texts: ["Цена?"])]
        let (_, first) = try store.importFile(name: "test.jsonl") { write in
            for item in dialogues { try write(item) }
            return report(2)
        }
        let (_, second) = try store.importFile(name: "test.jsonl") { write in
            for item in dialogues { try write(item) }
            return report(2)
        }
        #expect(first == ImportTotals(inserted: 2, updated: 0, unchanged: 0, messages: 3))
        #expect(second == ImportTotals(inserted: 0, updated: 0, unchanged: 2, messages: 3))
        #expect(try store.dialogues.count() == 2)
        #expect(try store.database.rows("SELECT COUNT(*) AS n FROM messages").first?["n"]?.integer == 3)
    }

    @Test func aChangedDialogueGetsANewContentHashAndItsNewMessages() throws {
        let path = directory + "/changed.db"
        let store = try ChatTagStore(path: path)
        let original = dialogue("d1", texts: ["Здравствуйте"])
        let grown = dialogue("d1", texts: ["Здравствуйте", "Есть окно в субботу", "Спасибо"])
        _ = try store.importFile(name: "a") { write in
            try write(original); return report(1)
        }
        let (_, totals) = try store.importFile(name: "b") { write in
            try write(grown); return report(1)
        }
        #expect(totals.updated == 1)
        let reopened = try ChatTagStore(path: path)
        let stored = try #require(try reopened.dialogues.dialogue(id: "d1"))
        #expect(stored.messages.map(\.text) == ["Здравствуйте", "Есть окно в субботу", "Спасибо"])
        #expect(stored.contentHash == grown.contentHash)
        #expect(stored.contentHash != original.contentHash)
        let row = try #require(try reopened.database.rows("SELECT content_hash, message_count, started_at, ended_at FROM dialogues WHERE id = 'd1'").first)
        #expect(row["content_hash"]?.text == grown.contentHash)
        #expect(row["message_count"]?.integer == 3)
        #expect(row["started_at"]?.text == "2025-01-05T14:00:00+03:00")
        #expect(row["ended_at"]?.text == "2025-01-05T14:02:00+03:00")
        #expect(stored.messages.map(\.at.iso8601) == grown.messages.map(\.at.iso8601))
    }

    @Test func aFailedImportLeavesTheDatabaseAsItWas() throws {
        struct Broken: Error {}
        let store = try ChatTagStore(path: directory + "/atomic.db")
        _ = try store.importFile(name: "ok") { write in
            try write(dialogue("d1", texts: ["Привет"])); return report(1)
        }
        #expect(throws: Broken.self) {
            _ = try store.importFile(name: "bad") { write in
                try write(dialogue("d2", texts: ["Раз", "Два"]))
                try write(dialogue("d1", texts: ["Изменено"]))
                throw Broken()
            }
        }
        #expect(try store.dialogues.count() == 1)
        #expect(try store.dialogues.dialogue(id: "d1")?.messages.map(\.text) == ["Привет"])
        #expect(try store.database.rows("SELECT COUNT(*) AS n FROM imports").first?["n"]?.integer == 1)
    }

    @Test func messagesCannotOutliveTheirDialogueOrHaveUnknownRoles() throws {
        let store = try ChatTagStore(path: directory + "/constraints.db")
        #expect(throws: DatabaseError.self) {
            try store.database.execute("INSERT INTO messages (dialogue_id, seq, at, at_unix_ms, role, author, text) VALUES ('nope', 1, 'x', 0, 'client', 'a', 't')")
        }
        _ = try store.importFile(name: "ok") { write in
            try write(dialogue("d1", texts: ["Привет"])); return report(1)
        }
        #expect(throws: DatabaseError.self) {
            try store.database.execute("UPDATE messages SET role = 'customer'")
        }
    }

    @Test func aRunsPlanCountsTheTextBytesAndMessagesOfThePendingDialogues() async throws {
        let path = directory + "/plan.db"
        let store = try ChatTagStore(path: path)
        _ = try store.importFile(name: "three") { write in
            try write(dialogue("p1", texts: ["Привет", "ok"]))
            try write(dialogue("p2", texts: ["abc"]))
            try write(dialogue("p3", texts: ["Здравствуйте", "x", "yz"]))
            return report(3)
        }
        let runs = try RunStore(path: path)
        let key = TagKey(promptHash: "h", model: "m", paramsHash: "p")
        #expect(try await runs.plan(key, filter: DialogueFilter()) == RunPlan(selected: 3, cached: 0, pending: 3, pendingTextBytes: 14 + 3 + 27, pendingMessages: 6))
        #expect(try await runs.plan(key, filter: DialogueFilter(limit: 2)) == RunPlan(selected: 3, cached: 0, pending: 2, pendingTextBytes: 14 + 3, pendingMessages: 3))
    }

    /// Migration 4 fills in the size of existing dialogues' text; imports keep it in step.
    @Test func existingDialoguesGetTheSizeOfTheirTextAndImportsKeepItInStep() throws {
        let path = directory + "/version3.db"
        do {
            let database = try Database(path: path)
            for version in 0..<3 { try database.execute(Schema.migrations[version]) }
            try database.execute("PRAGMA user_version = 3")
            try database.execute(
                """
                INSERT INTO dialogues (id, source, channel, started_at, ended_at, started_at_unix_ms, message_count, content_hash, imported_at, updated_at)
                VALUES ('a', 's', 'site', '2026-11-22T12:00:00+03:00', '2026-11-22T12:00:00+03:00', 0, 2, 'h', 'now', 'now'),
                       ('b', 's', 'site', '2026-11-22T12:00:00+03:00', '2026-11-22T12:00:00+03:00', 0, 0, 'h', 'now', 'now');
                INSERT INTO messages (dialogue_id, seq, at, at_unix_ms, role, author, text)
                VALUES ('a', 1, '2026-11-22T12:00:00+03:00', 0, 'client', 'c-1', 'Привет'), ('a', 2, '2026-11-22T12:01:00+03:00', 0, 'staff', 'Анна', 'Hi!');
                """)
        }
        let store = try ChatTagStore(path: path)
        let sizes = try store.database.rows("SELECT id, text_bytes FROM dialogues ORDER BY id").map { $0["text_bytes"]?.integer }
        #expect(sizes == [15, 0])
        _ = try store.importFile(name: "later") { write in
            try write(dialogue("c", texts: ["Здравствуйте", "ok"])); return report(1)
        }
        let stored = try store.database.rows(
            "SELECT d.text_bytes AS kept, (SELECT SUM(LENGTH(CAST(text AS BLOB))) FROM messages WHERE dialogue_id = 'c') AS counted FROM dialogues d WHERE id = 'c'"
        ).first
        #expect(stored?["kept"]?.integer == 26)
        #expect(stored?["counted"]?.integer == 26)
    }
}

/// Migration 3 on a database made by the previous version: the ISO week of existing
/// dialogues is filled in by SQL, right around year ends.
@Suite struct SchemaMigrationTests {
    @Test func existingDialoguesGetTheirISOWeek() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-migrate-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let database = try Database(path: path)
            for version in 0..<2 { try database.execute(Schema.migrations[version]) }
            try database.execute("PRAGMA user_version = 2")
            for (id, started) in [("a", "2024-12-30T10:00:00+03:00"), ("b", "2021-01-03T23:59:00+03:00"), ("c", "2026-11-22T12:00:00+03:00"), ("d", "2026-11-23T00:05:00+03:00")] {
                try database.execute(
                    """
                    INSERT INTO dialogues (id, source, channel, started_at, ended_at, started_at_unix_ms, message_count, content_hash, imported_at, updated_at)
                    VALUES ('\(id)', 's', 'site', '\(started)', '\(started)', 0, 0, 'h', 'now', 'now')
                    """)
            }
        }
        let store = try ChatTagStore(path: path)
        let weeks = try store.database.rows("SELECT id, week FROM dialogues ORDER BY id").map { $0["week"]?.text }
        #expect(weeks == ["2025-W01", "2020-W53", "2026-W47", "2026-W48"])
        #expect(try store.database.rows("SELECT COUNT(*) AS n FROM v_dialogue_facts").first?["n"]?.integer == 4)
    }

}
