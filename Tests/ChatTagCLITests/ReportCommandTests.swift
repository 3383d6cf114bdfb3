import ChatTagStore
import Foundation
import Testing

/// `chattag report`, the BI views, CRM outcomes and `prune`, through the built binary on a real
/// database, with the tags of `Tests/Fixtures/week` loaded through
/// `batch prepare` / `batch ingest` so every figure is known by hand.
@Suite struct ReportCommandTests {
    static let fixture = CLIRunner.repository.appendingPathComponent("Tests/Fixtures/week")

    /// Imports the fixture and tags it with its hand tags (`d8`'s call fails) as model `m-test`.
    static func taggedDatabase() throws -> CLIRunner {
        let cli = try CLIRunner()
        let imported = try cli.run(["import", fixture.appendingPathComponent("dialogues.jsonl").path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try cli.run(["batch", "prepare", "--prompt", "tagging@1", "--model", "m-test", "--out", "requests.jsonl"]).status == 0)
        var tags: [String: [String: Any]] = [:]
        for line in try String(contentsOf: fixture.appendingPathComponent("tags.jsonl"), encoding: .utf8).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            tags[object["dialogue_id"] as! String] = object
        }
        var output: [String] = []
        for line in try String(contentsOfFile: cli.path("requests.jsonl"), encoding: .utf8).split(separator: "\n") {
            let customID = (try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["custom_id"] as! String
            let tag = tags[String(customID.split(separator: ":").last!)]!
            if tag["failed"] as? Bool == true {
                output.append(#"{"id":"x","custom_id":"\#(customID)","response":{"status_code":500,"body":{"error":{"message":"server error"}}},"error":null}"#)
                continue
            }
            let content = #"{\"intent\":\"\#(tag["intent"]!)\",\"sentiment\":\"\#(tag["sentiment"]!)\",\"missed_lead\":\#(tag["missed_lead"] as! Bool)}"#
            output.append(
                #"{"id":"x","custom_id":"\#(customID)","response":{"status_code":200,"body":{"model":"m-test-1","choices":[{"message":{"role":"assistant","content":"\#(content)"}}],"usage":{"prompt_tokens":100,"completion_tokens":10}}},"error":null}"#
            )
        }
        let results = try cli.write("results.jsonl", Array(output.joined(separator: "\n").utf8))
        #expect(try cli.run(["batch", "ingest", results]).status == 1)  // d8 failed
        return cli
    }

    static func json(_ result: CLIRunner.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func theWeekInJSONHasTheHandCountedFigures() throws {
        let cli = try Self.taggedDatabase()
        let result = try cli.run(["report", "--week", "2026-W47", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Self.json(result)
        #expect(report["week"] as? String == "2026-W47")
        #expect(report["dialogues"] as? Int == 7)
        #expect(report["by_intent"] as? [String: Int] == ["booking": 2, "question": 2, "complaint": 1, "other": 1])
        #expect((report["missed_leads"] as? [[String: Any]])?.map { $0["dialogue_id"] as? String } == ["d2", "d4"])
        let staff = try #require(report["staff"] as? [[String: Any]])
        #expect(staff.map { $0["name"] as? String } == ["Анна", "Бот", "Ольга"])
        #expect(staff[0]["first_response_median_s"] as? Double == 1200 && staff[0]["first_response_p90_s"] as? Double == 2400)
        #expect(staff[0]["unanswered"] as? Int == 1 && staff[0]["missed_leads"] as? Int == 1)
        #expect(report["trend"] as? String == "comparable")
        #expect((report["changes"] as? [String: Any])?["missed_leads"] as? Int == 1)
        #expect((report["previous"] as? [String: Any])?["dialogues"] as? Int == 3)

        let utc = try Self.json(try cli.run(["report", "--week", "2026-W47", "--json", "--tz", "UTC"]))
        #expect((utc["missed_leads"] as? [[String: Any]])?.map { $0["dialogue_id"] as? String } == ["d2", "d4", "d7"])
    }

    @Test func withoutPromptAndModelTheReportReadsTheTagsThatCoverTheWeek() throws {
        let cli = try Self.taggedDatabase()
        // A later, smaller run with another model must not hollow out the week.
        #expect(try cli.run(["run", "--prompt", "tagging@2", "--model", "baseline", "--limit", "2", "--quiet"]).status == 0)
        let report = try Self.json(try cli.run(["report", "--week", "2026-W47", "--json"]))
        #expect((report["instrument"] as? [String: Any])?["model"] as? String == "m-test")
        #expect(report["tagged"] as? Int == 6)
        let explicit = try Self.json(try cli.run(["report", "--week", "2026-W47", "--json", "--prompt", "tagging@2", "--model", "baseline"]))
        #expect(explicit["tagged"] as? Int == 2)
    }

    @Test func aJSONLExportThatOnlyChangesAnOutcomeUpdatesIt() throws {
        let cli = try Self.taggedDatabase()
        let original = try String(contentsOf: Self.fixture.appendingPathComponent("dialogues.jsonl"), encoding: .utf8)
        let changed = original.replacingOccurrences(of: #"{"id":"d4","channel":"telegram","outcome":"unknown""#, with: #"{"id":"d4","channel":"telegram","outcome":"booked""#)
        #expect(changed != original)
        let file = try cli.write("again.jsonl", Array(changed.utf8))
        let result = try cli.run(["import", "--json", file])
        #expect(result.status == 0)
        #expect(((try Self.json(result))["files"] as? [[String: Any]])?.first?["updated"] as? Int == 1)
        let database = try Database(path: cli.path("chattag.db"))
        #expect(try database.rows("SELECT outcome FROM dialogues WHERE id = 'd4'").first?["outcome"]?.text == "booked")
        // Its tag still counts: the content did not change.
        #expect(try database.rows("SELECT COUNT(*) AS n FROM tags WHERE dialogue_id = 'd4' AND status = 'ok'").first?["n"]?.integer == 1)
    }

    @Test func everyFormatRendersAndIsKeptInReports() throws {
        let cli = try Self.taggedDatabase()
        for format in ["table", "md", "csv", "html"] {
            let result = try cli.run(["report", "--week", "2026-W47", "--format", format, "--out", "week.\(format)"])
            #expect(result.status == 0, "\(format): \(result.stderr)")
        }
        #expect(try String(contentsOfFile: cli.path("week.table"), encoding: .utf8).contains("Анна"))
        #expect(try String(contentsOfFile: cli.path("week.md"), encoding: .utf8).hasPrefix("# chattag weekly report: 2026-W47"))
        #expect(try String(contentsOfFile: cli.path("week.csv"), encoding: .utf8).contains("staff,Анна,dialogues,3.000,1.000,2.000,"))
        let html = try String(contentsOfFile: cli.path("week.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("d4"))
        let database = try Database(path: cli.path("chattag.db"))
        #expect(try database.rows("SELECT COUNT(*) AS n FROM reports WHERE kind = 'week'").first?["n"]?.integer == 4)
    }

    @Test func anEmptyWeekSaysSoAndABadWeekIsAUsageError() throws {
        let cli = try Self.taggedDatabase()
        let empty = try cli.run(["report", "--week", "2026-W30"])
        #expect(empty.status == 0)
        #expect(empty.stdout.hasPrefix("No dialogues started in 2026-W30"))
        let bad = try cli.run(["report", "--week", "2026-47"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("2026-W47"))
    }

    @Test func theViewsShowTheReportsFigures() throws {
        let cli = try Self.taggedDatabase()
        let report = try Self.json(try cli.run(["report", "--week", "2026-W47", "--json"]))
        let database = try Database(path: cli.path("chattag.db"))
        let rows = try database.rows("SELECT * FROM v_staff_week WHERE week = '2026-W47' ORDER BY dialogues DESC, staff")
        let staff = try #require(report["staff"] as? [[String: Any]])
        #expect(rows.count == staff.count)
        for (row, entry) in zip(rows, staff) {
            #expect(row["staff"]?.text == entry["name"] as? String)
            #expect(row["dialogues"]?.integer == Int64(entry["dialogues"] as! Int))
            #expect(row["unanswered"]?.integer == Int64(entry["unanswered"] as! Int))
            #expect(row["missed_leads"]?.integer == Int64(entry["missed_leads"] as! Int))
            #expect(abs((row["first_response_median_s"]?.number ?? -1) - (entry["first_response_median_s"] as! Double)) < 0.001)
            #expect(abs((row["first_response_p90_s"]?.number ?? -1) - (entry["first_response_p90_s"] as! Double)) < 0.001)
        }
        let missed = try database.rows("SELECT dialogue_id, staff FROM v_missed_leads WHERE week = '2026-W47' ORDER BY dialogue_id")
        #expect(missed.map { $0["dialogue_id"]?.text } == ["d2", "d4"])
        #expect(missed.map { $0["staff"]?.text } == ["Анна", "Бот"])
        #expect(try database.rows("SELECT COUNT(*) AS n FROM v_tags_latest").first?["n"]?.integer == 10)
    }

    @Test func outcomesFromTheCRMReachTheReportAndABadRowChangesNothing() throws {
        let cli = try Self.taggedDatabase()
        let bad = try cli.write("crm-bad.csv", Array("dialogue_id;outcome\nd4;booked\nd2;maybe\n".utf8))
        let refused = try cli.run(["import", bad])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("line 3") && refused.stderr.contains("maybe"))
        let database = try Database(path: cli.path("chattag.db"))
        #expect(try database.rows("SELECT outcome FROM dialogues WHERE id = 'd4'").first?["outcome"]?.text == "unknown")

        let good = try cli.write("crm.csv", Array("\u{FEFF}dialogue_id,outcome\nd4,booked\nd5,not_booked\nd1,\nzz-unknown,booked\n".utf8))
        let loaded = try cli.run(["import", good])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stderr.contains("1 dialogue ids are not in the database"))
        #expect(try database.rows("SELECT outcome FROM dialogues WHERE id = 'd1'").first?["outcome"]?.text == "booked")  // empty cell: unchanged
        let report = try Self.json(try cli.run(["report", "--week", "2026-W47", "--json"]))
        let outcomes = try #require(report["missed_lead_outcomes"] as? [String: [String: Any]])
        // Missed leads: d2 not booked, d4 now booked; other tagged: d1 and d3 booked, d5 not booked, d6 unknown.
        #expect(outcomes["missed"]?["booked"] as? Int == 1 && outcomes["missed"]?["not_booked"] as? Int == 1)
        #expect(outcomes["other"]?["booked"] as? Int == 2 && outcomes["other"]?["not_booked"] as? Int == 1 && outcomes["other"]?["unknown"] as? Int == 1)
        // Buying interest with a known outcome: d1, d2, d3, d4 → 3 booked.
        #expect((report["conversion"] as? [String: Any])?["interested"] as? Int == 4 && (report["conversion"] as? [String: Any])?["booked"] as? Int == 3)
    }
}

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

/// `scripts/weekly.sh`, the job the README schedules with cron or systemd.
@Suite struct WeeklyScriptTests {
    @Test func theWeeklyJobImportsTagsAndWritesTheReports() throws {
        let cli = try CLIRunner()
        let exports = cli.path("exports")
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ReportCommandTests.fixture.appendingPathComponent("dialogues.jsonl").path, toPath: exports + "/CRM week 47.jsonl")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [CLIRunner.repository.appendingPathComponent("scripts/weekly.sh").path]
        var environment = ProcessInfo.processInfo.environment
        environment["CHATTAG"] = CLIRunner.binary
        environment["CHATTAG_DB"] = cli.path("weekly.db")
        environment["CHATTAG_EXPORTS"] = exports
        environment["CHATTAG_REPORTS"] = cli.path("reports")
        environment["CHATTAG_MODEL"] = "baseline"
        environment["CHATTAG_WEEK"] = "2026-W47"
        environment.removeValue(forKey: "CHATTAG_PSEUDONYM_KEY")
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
        let log = cli.path("weekly.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(output)")
        // The raw export is deleted once imported: chattag keeps only the anonymized dialogues.
        #expect(!FileManager.default.fileExists(atPath: exports + "/CRM week 47.jsonl"), "\(output)")
        for format in ["html", "md", "csv"] {
            #expect(FileManager.default.fileExists(atPath: cli.path("reports/chattag-2026-W47.\(format)")), "\(format)")
        }
        let markdown = try String(contentsOfFile: cli.path("reports/chattag-2026-W47.md"), encoding: .utf8)
        #expect(markdown.contains("Dialogues: 7 (previous week 3, +4)"))
        #expect(markdown.contains("tagging@2"))
    }
}
