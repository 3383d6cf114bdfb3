import ChatTagStore
import Foundation
import Testing

/// The manager rubric through the built binary on a real database: `Tests/Fixtures/week`
/// tagged with the tags and the rubric through `batch prepare` / `batch ingest`, the rubric
/// declared, then the report, the view and one manager's page (figures in the fixture's README).
@Suite struct RubricReportTests {
    static func rubricDatabase() throws -> CLIRunner {
        let cli = try ReportCommandTests.taggedDatabase()
        #expect(try cli.run(["batch", "prepare", "--prompt", "rubric@1", "--model", "m-rubric", "--out", "rubric-requests.jsonl"]).status == 0)
        var values: [String: String] = [:]
        for line in try String(contentsOf: ReportCommandTests.fixture.appendingPathComponent("rubric.jsonl"), encoding: .utf8).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            var fields = object
            fields.removeValue(forKey: "dialogue_id")
            let content = String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
            values[object["dialogue_id"] as! String] = content
        }
        var output: [String] = []
        for line in try String(contentsOfFile: cli.path("rubric-requests.jsonl"), encoding: .utf8).split(separator: "\n") {
            let customID = (try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["custom_id"] as! String
            let content = values[String(customID.split(separator: ":").last!)]!
            let escaped = String(decoding: try JSONSerialization.data(withJSONObject: [content], options: []), as: UTF8.self).dropFirst().dropLast()
            output.append(
                #"{"id":"x","custom_id":"\#(customID)","response":{"status_code":200,"body":{"model":"m-rubric-1","choices":[{"message":{"role":"assistant","content":\#(escaped)}}],"usage":{"prompt_tokens":100,"completion_tokens":10}}},"error":null}"#
            )
        }
        let results = try cli.write("rubric-results.jsonl", Array(output.joined(separator: "\n").utf8))
        let ingested = try cli.run(["batch", "ingest", results])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        let declared = try cli.run(["instrument", "set", "rubric@1", "m-rubric", "--from", "2026-01-01"])
        #expect(declared.status == 0 && declared.stderr.contains("the weekly rubric reads rubric@1"), "\(declared.stderr)")
        return cli
    }

    @Test func theWeekCarriesTheRubricAndTheViewAgrees() throws {
        let cli = try Self.rubricDatabase()
        let report = try ReportCommandTests.json(try cli.run(["report", "--week", "2026-W47", "--json"]))
        // The tags' instrument is untouched by declaring the rubric.
        #expect((report["instrument"] as? [String: Any])?["model"] as? String == "m-test" && report["tagged"] as? Int == 6)
        let staff = try #require(report["staff"] as? [[String: Any]])
        func rubric(_ name: String) -> [String: Any]? { staff.first { $0["name"] as? String == name }?["rubric"] as? [String: Any] }
        #expect(rubric("Анна")?["n"] as? Int == 3 && rubric("Анна")?["mean_score"] as? Double == 6 && rubric("Анна")?["change"] as? Double == 4)
        #expect(rubric("Бот")?["mean_score"] as? Double == 4 && rubric("Ольга")?["change"] as? Double == -2)
        let week = try #require(report["rubric"] as? [String: Any])
        #expect(week["scored"] as? Int == 6 && (week["scenarios"] as? [[String: Any]])?.first?["count"] as? Int == 2)
        let rows = try Database(path: cli.path("chattag.db")).rows("SELECT staff, dialogues, mean_score FROM v_staff_rubric_week WHERE week = '2026-W47' ORDER BY staff")
        #expect(rows.map { "\($0["staff"]!):\($0["dialogues"]!):\($0["mean_score"]!)" } == ["Анна:3:6.0", "Бот:2:4.0", "Ольга:1:4.0"])
        let table = try cli.run(["report", "--week", "2026-W47"])
        #expect(table.stdout.contains("Навыки менеджеров") && table.stdout.contains("Где теряются клиенты"))
    }

    @Test func oneManagersPageListsTheirDialoguesWorstFirst() throws {
        let cli = try Self.rubricDatabase()
        let page = try cli.run(["report", "--week", "2026-W47", "--staff", "Анна"])
        #expect(page.status == 0, "\(page.stderr)")
        let lines = page.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Анна: неделя 2026-W47")
        #expect(page.stdout.contains("Средний балл 6,0 (95% ДИ −0,6…10,0), оценено диалогов: 3"))
        let order = ["d8", "d2", "d1"].map { id in lines.firstIndex { $0.hasPrefix(id + " ") } ?? -1 }
        #expect(order == order.sorted() && !order.contains(-1), "\(page.stdout)")  // scores 4, 5, 9
        #expect(page.stdout.contains("медленный первый ответ (45 мин): −3; не предложил запись или цену: −3"))
        for format in ["md", "html"] {
            let written = try cli.run(["report", "--week", "2026-W47", "--staff", "Анна", "-f", format, "-o", "anna.\(format)"])
            #expect(written.status == 0, "\(written.stderr)")
        }
        #expect(try String(contentsOfFile: cli.path("anna.html"), encoding: .utf8).contains("<h1>Анна: неделя 2026-W47</h1>"))
        let unknown = try cli.run(["report", "--week", "2026-W47", "--staff", "Пётр"])
        #expect(unknown.status == 2 && unknown.stderr.contains("Staff members with one: Анна, Бот, Ольга"))
        let json = try cli.run(["report", "--week", "2026-W47", "--staff", "Анна", "--json"])
        #expect(json.status == 2)
    }

    @Test func withoutADeclaredRubricTheManagerPageSaysWhatToRun() throws {
        let cli = try ReportCommandTests.taggedDatabase()
        let page = try cli.run(["report", "--week", "2026-W47", "--staff", "Анна"])
        #expect(page.status == 2 && page.stderr.contains("chattag instrument set rubric@1 MODEL"))
    }
}
