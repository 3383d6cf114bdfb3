import ChatTagStore
import Foundation
import Testing

/// `chattag prune`: text and raw replies past the window go, from the file too; tags and facts stay.
@Suite struct PruneCommandTests {
    @Test func pruningRemovesOldTextFromTheFileAndKeepsTagsAndFacts() throws {
        let cli = try CLIRunner()
        func iso(daysAgo: Double) -> String {
            let formatter = ISO8601DateFormatter()
            return formatter.string(from: Date().addingTimeInterval(-daysAgo * 86_400))
        }
        let lines = [
            #"{"id":"old","channel":"site","messages":[{"at":"\#(iso(daysAgo: 200))","role":"client","author":"c-1","text":"Сколько стоит кварцевыйзагар?"},{"at":"\#(iso(daysAgo: 199.99))","role":"staff","author":"Анна","text":"Тысяча"}]}"#,
            #"{"id":"new","channel":"site","messages":[{"at":"\#(iso(daysAgo: 1))","role":"client","author":"c-2","text":"Можно записаться на свежийманикюр?"},{"at":"\#(iso(daysAgo: 0.99))","role":"staff","author":"Анна","text":"Да"}]}"#,
        ]
        let export = try cli.write("chats.jsonl", Array(lines.joined(separator: "\n").utf8))
        #expect(try cli.run(["import", export]).status == 0)
        #expect(try cli.run(["run", "--prompt", "tagging@1", "--model", "baseline", "--quiet"]).status == 0)
        let dry = try cli.run(["prune", "--older-than", "90d", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.hasPrefix("would remove, from 1 dialogues"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("chattag.db"))).range(of: Data("кварцевыйзагар".utf8)) != nil)

        let pruned = try cli.run(["prune", "--older-than", "90d"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdout.contains("removed, from 1 dialogues") && pruned.stdout.contains("text of 2 messages"))
        for suffix in ["", "-wal"] {
            let file = cli.path("chattag.db" + suffix)
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            #expect(data.range(of: Data("кварцевыйзагар".utf8)) == nil, "old text left in \(file)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("chattag.db"))).range(of: Data("свежийманикюр".utf8)) != nil)
        let database = try Database(path: cli.path("chattag.db"))
        #expect(try database.rows("SELECT COUNT(*) AS n FROM tags WHERE dialogue_id = 'old' AND status = 'ok'").first?["n"]?.integer == 1)
        #expect(try database.rows("SELECT COUNT(*) AS n FROM llm_calls WHERE dialogue_id = 'old' AND raw_reply IS NOT NULL").first?["n"]?.integer == 0)
        #expect(try database.rows("SELECT first_response_s FROM v_dialogue_facts WHERE dialogue_id = 'old'").first?["first_response_s"]?.number ?? 0 > 0)
        // A new prompt does not send the pruned dialogue: only the recent one is tagged.
        let rerun = try cli.run(["run", "--prompt", "tagging@2", "--model", "baseline", "--json", "--quiet"])
        #expect((try JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any])?["tagged"] as? Int == 1)
        let again = try cli.run(["prune", "--older-than", "90d", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])?["dialogues"] as? Int == 0)
        // The next export of the whole chat brings the old dialogue again, grown: it stays without text.
        let grown = lines[0].replacingOccurrences(
            of: #""text":"Тысяча"}]}"#, with: #""text":"Тысяча"},{"at":"\#(iso(daysAgo: 199.98))","role":"client","author":"c-1","text":"Беру кварцевыйзагар"}]}"#)
        #expect(grown != lines[0])
        #expect(try cli.run(["import", try cli.write("again.jsonl", Array(grown.utf8))]).status == 0)
        #expect(try database.rows("SELECT COUNT(*) AS n, MAX(LENGTH(text)) AS longest FROM messages WHERE dialogue_id = 'old'").first?["n"]?.integer == 3)
        #expect(try database.rows("SELECT MAX(LENGTH(text)) AS longest FROM messages WHERE dialogue_id = 'old'").first?["longest"]?.integer == 0)
        #expect(try database.rows("SELECT pruned_at FROM dialogues WHERE id = 'old'").first?["pruned_at"]?.text != nil)
    }

    @Test func pruningKeepsLabeledDialoguesAndRemovesOldReportsAndErrorTexts() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--quiet", "--db", "chattag.db"]).status == 0)  // 100 labeled dialogues from 2025
        let database = try Database(path: cli.path("chattag.db"))
        try database.execute("DELETE FROM labels WHERE dialogue_id = 'ls-001'")
        try database.execute("UPDATE tags SET error = 'reply quoted: Здравствуйте, есть окно' WHERE dialogue_id = 'ls-001'")
        try database.execute("INSERT INTO reports (kind, created_at, format, body) VALUES ('week', '2025-03-20T09:00:00Z', 'md', 'excerpt of a client')")
        let refused = try cli.run(["prune", "--older-than", "3m"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("90d"))
        let pruned = try cli.run(["prune", "--older-than", "90d", "--json"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        let totals = try #require(try JSONSerialization.jsonObject(with: Data(pruned.stdout.utf8)) as? [String: Any])
        #expect(totals["dialogues"] as? Int == 1)  // only the one whose label was removed
        #expect(totals["reports"] as? Int == 1)
        #expect(try database.rows("SELECT error FROM tags WHERE dialogue_id = 'ls-001'").first?["error"]?.text == "(pruned)")
        #expect(try database.rows("SELECT COUNT(*) AS n FROM reports WHERE body = 'excerpt of a client'").first?["n"]?.integer == 0)
        #expect(try database.rows("SELECT COUNT(*) AS n FROM messages WHERE dialogue_id = 'ls-002' AND text <> ''").first?["n"]?.integer ?? 0 > 0)
    }
}
