import ChatTagStore
import Foundation
import Testing

/// `chattag report`, the BI views, CRM outcomes and `prune`, through the built binary on a real
/// database, with the tags of `Tests/Fixtures/week` loaded through
/// `batch prepare` / `batch ingest` so every figure is known by hand.
@Suite struct ReportCommandTests {
    static let fixture = CLIRunner.repository.appendingPathComponent("Tests/Fixtures/week")

    /// Imports the fixture and tags it with its hand tags (`d8`'s call fails) as model `m-test`.
    static func taggedDatabase(declare: Bool = true) throws -> CLIRunner {
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
        if declare {
            #expect(try cli.run(["instrument", "set", "tagging@1", "m-test", "--from", "2026-01-01"]).status == 0)
        }
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

    @Test func experimentsNeverMoveTheWeekReadWithTheDeclaredInstrument() throws {
        let cli = try Self.taggedDatabase()
        let before = try cli.run(["report", "--week", "2026-W47", "--json"]).stdout
        let staffBefore = try Database(path: cli.path("chattag.db")).rows("SELECT * FROM v_staff_week ORDER BY week, staff").map { row in
            row.keys.sorted().map { "\($0)=\(row[$0]!)" }.joined(separator: "|")
        }
        // Experiments with other instruments: a small run and a whole-database run of another prompt.
        #expect(try cli.run(["run", "--prompt", "tagging@2", "--model", "baseline", "--limit", "2", "--quiet"]).status == 0)
        #expect(try cli.run(["run", "--prompt", "tagging@1", "--model", "baseline", "--quiet"]).status == 0)
        // An A/B on hand labels of this week's dialogues, tagging both sides first.
        let labels = try cli.write(
            "labels.jsonl",
            Array(
                ["d1", "d2", "d3", "d4"].map { #"{"dialogue_id":"\#($0)","intent":"booking","sentiment":"neutral","missed_lead":false,"annotator":"ops-1"}"# }
                    .joined(separator: "\n").utf8))
        #expect(try cli.run(["labels", "import", labels]).status == 0)
        let compared = try cli.run(["compare", "--a", "tagging@1", "--b", "tagging@2", "--model", "baseline", "--quiet"])
        #expect(compared.status == 0, "\(compared.stderr)")
        let report = try Self.json(try cli.run(["report", "--week", "2026-W47", "--json"]))
        #expect((report["instrument"] as? [String: Any])?["model"] as? String == "m-test")
        #expect(report["tagged"] as? Int == 6)
        #expect(try cli.run(["report", "--week", "2026-W47", "--json"]).stdout == before)
        #expect(
            try Database(path: cli.path("chattag.db")).rows("SELECT * FROM v_staff_week ORDER BY week, staff").map { row in
                row.keys.sorted().map { "\($0)=\(row[$0]!)" }.joined(separator: "|")
            } == staffBefore)
        let explicit = try Self.json(try cli.run(["report", "--week", "2026-W47", "--json", "--prompt", "tagging@2", "--model", "baseline"]))
        #expect(explicit["tagged"] as? Int == 4)  // the experiment's own tags: d1–d4, tagged for the A/B
    }

    @Test func tagsWithoutADeclaredInstrumentGetAMessageSayingWhatToRun() throws {
        let cli = try Self.taggedDatabase(declare: false)
        let report = try cli.run(["report", "--week", "2026-W47"])
        #expect(report.status == 2 && report.stderr.contains("chattag instrument set tagging@1 m-test"))
        let explicit = try cli.run(["report", "--week", "2026-W47", "-p", "tagging@1", "-m", "m-test", "--json"])
        #expect(explicit.status == 0)
        #expect(try Self.json(explicit)["tagged"] as? Int == 6)
        let shown = try cli.run(["instrument", "show"])
        #expect(shown.status == 0 && shown.stdout.contains("no instrument declared"))
        #expect(try cli.run(["instrument", "set", "tagging@1", "m-test", "--from", "2026-11-16"]).status == 0)
        #expect(try cli.run(["instrument", "show"]).stdout.contains("from 2026-11-16\ttags\ttagging@1"))
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
        #expect(try String(contentsOfFile: cli.path("week.md"), encoding: .utf8).hasPrefix("# chattag: отчёт за неделю: 2026-W47"))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: cli.path("week.csv"))).prefix(3)) == [0xEF, 0xBB, 0xBF], "a BOM for Excel")
        #expect(try String(contentsOfFile: cli.path("week.csv"), encoding: .utf8).contains("сотрудник;Анна;диалогов;3;1;2;"))
        let html = try String(contentsOfFile: cli.path("week.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("d4"))
        let database = try Database(path: cli.path("chattag.db"))
        #expect(try database.rows("SELECT COUNT(*) AS n FROM reports WHERE kind = 'week'").first?["n"]?.integer == 4)
    }

    @Test func anEmptyWeekSaysSoAndABadWeekIsAUsageError() throws {
        let cli = try Self.taggedDatabase()
        let empty = try cli.run(["report", "--week", "2026-W30"])
        #expect(empty.status == 0)
        #expect(empty.stdout.hasPrefix("В 2026-W30 (2026-07-20 – 2026-07-26, Europe/Moscow) не началось ни одного диалога"))
        let english = try cli.run(["report", "--week", "2026-W30", "--lang", "en"])
        #expect(english.stdout.hasPrefix("No dialogues started in 2026-W30"))
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
            #expect(abs((row["first_response_median_s"]?.number ?? -1) - (entry["first_response_median_s"] as! Double)) <= 0.5, "views round to whole seconds")
            #expect(abs((row["first_response_p90_s"]?.number ?? -1) - (entry["first_response_p90_s"] as! Double)) <= 0.5)
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
        // The position and the kind of value, never the value itself (a cell may hold anything).
        #expect(refused.stderr.contains("line 3") && refused.stderr.contains("not a known value") && !refused.stderr.contains("maybe"))
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
