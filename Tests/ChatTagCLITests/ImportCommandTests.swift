import ChatTagStore
import Foundation
import Testing

/// `chattag import` and `chattag anonymize` as a user runs them: the built binary, a real
/// database file in a temporary folder, exit codes and messages.
@Suite struct ImportCommandTests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    func export(_ name: String) -> String { CLIRunner.exports.appendingPathComponent(name).path }

    @Test func importsEveryFormatAndReimportingAddsNothing() throws {
        let sameChatAsText = cli.path("WhatsApp Chat with Мария Петрова.txt")
        try FileManager.default.copyItem(atPath: export("whatsapp-android-ru.txt"), toPath: sameChatAsText)
        let files = [export("whatsapp-android-ru.zip"), export("whatsapp-ios-ru.txt"), sameChatAsText]
        let first = try cli.run(["import", "--staff", "Салон Лилия", "--json"] + files)
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let results = try #require(summary["files"] as? [[String: Any]])
        #expect(results.map { $0["new"] as? Int } == [2, 2, 0])
        #expect(results.map { $0["unchanged"] as? Int } == [0, 0, 2])
        let again = try cli.run(["import", "--staff", "Салон Лилия", "--json"] + files)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect((second["files"] as? [[String: Any]])?.map { $0["unchanged"] as? Int } == [2, 2, 2])
        for file in ["telegram-single.json", "dialogues.csv", "dialogues.jsonl"] {
            let result = try cli.run(["import", "--staff", "Салон Лилия,Анна Смирнова,Анна,Ольга", "--bots", "LiliyaBot", export(file)])
            #expect(result.status == 0, "\(file): \(result.stderr)")
        }
    }

    @Test func globalOptionsWorkBeforeAndAfterTheSubcommand() throws {
        let before = try cli.run(["--db", "before.db", "--tz", "Asia/Yekaterinburg", "import", "--staff", "Салон Лилия", export("whatsapp-android-ru.txt")])
        let after = try cli.run(["import", "--staff", "Салон Лилия", export("whatsapp-android-ru.txt"), "--db", "after.db", "--tz", "Asia/Yekaterinburg"])
        #expect(before.status == 0 && after.status == 0, "\(before.stderr) \(after.stderr)")
        let dump = try cli.databaseDump("before.db")
        #expect(dump.contains("2025-03-04T10:02:00+05:00"))
        #expect(try cli.databaseDump("after.db").contains("2025-03-04T10:02:00+05:00"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("chattag.db")))
    }

    @Test func noRawPersonalDataReachesTheDatabaseFiles() throws {
        let result = try cli.run(["import", "--staff", "Салон Лилия,Анна Смирнова", export("telegram-single.json"), export("whatsapp-android-ru.txt")])
        #expect(result.status == 0, "\(result.stderr)")
        var bytes = Data()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: cli.path("chattag.db" + suffix)) { bytes.append(data) }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for raw in ["Мария Петрова", "Петрова", "+7 916 555 12 34", "+7 916 123-45-67", "masha", "@mail.ru", "@gmail.com"] {
            #expect(!text.contains(raw), "\(raw) is in the database")
        }
        let key = cli.path("chattag.db.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let secret = try #require(FileManager.default.contents(atPath: key))
        #expect(bytes.range(of: secret) == nil)
    }

    @Test func badFilesExitWith65NameFileAndLineAndLeaveTheDatabaseAsItWas() throws {
        #expect(try cli.run(["import", "--staff", "Анна", export("dialogues.jsonl")]).status == 0)
        let before = try cli.databaseDump()
        let good = #"{"id":"new-1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"Привет"}]}"#
        var latin1 = Array((good + "\n").utf8)
        latin1 +=
            Array(#"{"id":"new-2","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"caf"#.utf8) + [0xE9] + Array("\"}]}\n".utf8)
        var huge = Array(#"{"id":"big","messages":[{"text":""#.utf8)
        huge += [UInt8](repeating: 0x61, count: 50 << 20)
        let cases: [(String, [UInt8], String)] = [
            ("broken.jsonl", Array((good + "\n{\"id\":\"x\",").utf8), "line 2"),
            ("header.csv", Array("id;when;text\n1;2;3\n".utf8), "line 1"),
            ("latin1.jsonl", latin1, "line 2"),
            ("unknown.txt", Array("just some notes\n".utf8), "line 1"),
            ("result.json", Array("{\n \"about\": \"not telegram\"\n}\n".utf8), "line 1"),
            ("empty.jsonl", [], "empty"),
            ("huge.jsonl", huge, "line 1"),
        ]
        for (name, bytes, where_) in cases {
            let file = try cli.write(name, bytes)
            let result = try cli.run(["import", file] + (name.hasSuffix(".csv") ? ["--format", "csv"] : []))
            #expect(result.status == 65, "\(name): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(file), "\(name): \(result.stderr)")
            #expect(result.stderr.contains(where_), "\(name): \(result.stderr)")
            #expect(try cli.databaseDump() == before, "\(name) changed the database")
        }
    }

    @Test func usageMistakesExitWith2() throws {
        #expect(try cli.run(["import", "--tz", "Mars/Olympus", export("dialogues.jsonl")]).status == 2)
        #expect(try cli.run(["import", "--format", "docx", export("dialogues.jsonl")]).status == 2)
        let noStaff = try cli.run(["import", export("whatsapp-android-ru.txt")])
        #expect(noStaff.status == 2)
        #expect(noStaff.stderr.contains("--staff"))
    }

    @Test func anonymizeMasksStandardInput() throws {
        let result = try cli.run(["anonymize"], stdin: "Меня зовут Ольга, телефон 8 (916) 123-45-67, приду 12.03 в 15:30\nОльге подходит, пишите на olga@mail.ru\n")
        #expect(result.status == 0)
        #expect(result.stdout == "Меня зовут [NAME_1], телефон [PHONE_1], приду 12.03 в 15:30\n[NAME_1] подходит, пишите на [EMAIL_1]\n")
    }
}

/// `chattag demo`: the whole loop offline, on the bundled sample.
@Suite struct DemoCommandTests {
    @Test func demoImportsTagsAndValidatesOfflineAndSaysWhereThingsAre() throws {
        let cli = try CLIRunner()
        let result = try cli.run(["demo"], environment: ["OPENAI_BASE_URL": "http://127.0.0.1:9/v1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("database:    chattag-demo.db"))
        #expect(result.stdout.contains("validation:  chattag-demo-report.md"))
        #expect(result.stdout.contains("week report: chattag-demo-week.html (2025-W11"))
        #expect(FileManager.default.fileExists(atPath: cli.path("chattag-demo-week.html")))
        let report = try String(contentsOfFile: cli.path("chattag-demo-report.md"), encoding: .utf8)
        #expect(report.contains("# Validation: tagging@1 × baseline"))
        #expect(report.contains("100 labeled dialogues"))
        let again = try cli.run(["demo", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(object["n"] as? Int == 100)
        let fields = try #require(object["fields"] as? [String: Any])
        #expect(Set(fields.keys) == ["intent", "sentiment", "missed_lead"])
    }
}

/// `chattag batch prepare` writes Batch API request lines; `batch ingest` stores an output
/// file's tags and failures (error lines, non-200 bodies, invalid replies).
@Suite struct BatchCommandTests {
    @Test func preparesRequestLinesAndIngestsResultsWithTheirFailures() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--quiet"]).status == 0)
        let prepared = try cli.run(["batch", "prepare", "--db", "chattag-demo.db", "--prompt", "tagging@1", "--model", "gpt-batch", "--out", "requests.jsonl", "--limit", "5"])
        #expect(prepared.status == 0, "\(prepared.stderr)")
        let lines = try String(contentsOfFile: cli.path("requests.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        var output: [String] = []
        for (index, line) in lines.enumerated() {
            let request = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(request["method"] as? String == "POST")
            #expect(request["url"] as? String == "/v1/chat/completions")
            let body = try #require(request["body"] as? [String: Any])
            #expect(body["model"] as? String == "gpt-batch")
            #expect(((body["response_format"] as? [String: Any])?["type"]) as? String == "json_schema")
            let customID = try #require(request["custom_id"] as? String)
            switch index {
            case 3:
                output.append(#"{"id":"b3","custom_id":"\#(customID)","response":null,"error":{"code":"batch_expired","message":"expired"}}"#)
            case 4:
                output.append(#"{"id":"b4","custom_id":"\#(customID)","response":{"status_code":500,"body":{"error":{"message":"server error"}}},"error":null}"#)
            default:
                let content = #"{\"intent\":\"booking\",\"sentiment\":\"neutral\",\"missed_lead\":false}"#
                output.append(
                    #"{"id":"b\#(index)","custom_id":"\#(customID)","response":{"status_code":200,"body":{"model":"gpt-batch-2025-04-14","choices":[{"message":{"role":"assistant","content":"\#(content)"}}],"usage":{"prompt_tokens":900,"completion_tokens":20}}},"error":null}"#
                )
            }
        }
        let results = try cli.write("results.jsonl", Array(output.joined(separator: "\n").utf8))
        let ingested = try cli.run(["batch", "ingest", "--db", "chattag-demo.db", results])
        #expect(ingested.status == 1)
        let database = try Database(path: cli.path("chattag-demo.db"))
        let rows = try database.rows(
            "SELECT status, COUNT(*) AS n, MAX(model_version) AS v, MAX(error) AS e FROM tags WHERE model_requested = 'gpt-batch' GROUP BY status ORDER BY status")
        #expect(rows.map { $0["status"]?.text } == ["failed", "ok"])
        #expect(rows.map { $0["n"]?.integer } == [2, 3])
        #expect(rows.last?["v"]?.text == "gpt-batch-2025-04-14")
        let callsBefore = try database.rows("SELECT COUNT(*) AS n FROM llm_calls").first?["n"]?.integer
        let foreign = try cli.write("foreign.jsonl", Array((output[0] + "\n" + output[0].replacingOccurrences(of: "\"custom_id\":\"r", with: "\"custom_id\":\"r999")).utf8))
        let unknownRun = try cli.run(["batch", "ingest", "--db", "chattag-demo.db", foreign])
        #expect(unknownRun.status == 65)
        #expect(unknownRun.stderr.contains("is not in"))
        #expect(try database.rows("SELECT COUNT(*) AS n FROM llm_calls").first?["n"]?.integer == callsBefore)
        let broken = try cli.write("broken.jsonl", Array("not json\n".utf8))
        let refused = try cli.run(["batch", "ingest", "--db", "chattag-demo.db", broken])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("line 1"))
    }
}

/// `chattag labels import` and `chattag validate` on the demo database.
@Suite struct ValidateCommandTests {
    @Test func labelsAreCheckedByLineAndValidationRendersEveryFormat() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--quiet"]).status == 0)
        let bad = try cli.write(
            "labels.jsonl",
            Array(
                ("{\"dialogue_id\":\"ls-001\",\"intent\":\"booking\",\"sentiment\":\"neutral\",\"missed_lead\":false}\n"
                    + "{\"dialogue_id\":\"ls-002\",\"intent\":\"purchase\",\"sentiment\":\"neutral\",\"missed_lead\":false}\n").utf8))
        let refused = try cli.run(["labels", "import", "--db", "chattag-demo.db", bad])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("line 2") && refused.stderr.contains("booking, question, complaint, other"))
        let json = try cli.run(["validate", "--db", "chattag-demo.db", "--prompt", "tagging@1", "--model", "baseline", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let intent = try #require((object["fields"] as? [String: Any])?["intent"] as? [String: Any])
        for key in ["n", "coverage", "accuracy", "accuracy_ci", "macro_f1", "weighted_f1", "kappa", "per_class", "confusion"] {
            #expect(intent[key] != nil, "\(key)")
        }
        let errors = try #require(object["errors"] as? [[String: Any]])
        let wrongIntents = Int(((1 - (intent["accuracy"] as? Double ?? 1)) * 100).rounded())
        #expect(errors.filter { $0["field"] as? String == "intent" }.count == wrongIntents)
        #expect(errors.allSatisfy { !(($0["excerpt"] as? String) ?? "").isEmpty })
        let markdown = try cli.run(["validate", "--db", "chattag-demo.db", "--prompt", "tagging@1", "--model", "baseline", "--format", "md", "--out", "report.md"])
        #expect(markdown.status == 0)
        #expect(try String(contentsOfFile: cli.path("report.md"), encoding: .utf8).contains("**Missed leads:**"))
        let html = try cli.run(["validate", "--db", "chattag-demo.db", "--prompt", "tagging@1", "--model", "baseline", "--format", "html", "--out", "report.html"])
        #expect(html.status == 0)
        let page = try String(contentsOfFile: cli.path("report.html"), encoding: .utf8)
        #expect(page.hasPrefix("<!doctype html>") && page.contains("<svg") && page.contains("class=\"heat\"") && page.contains("Errors ("))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"))
        // A read-only command never creates a database: a missing one is a usage error saying what to run.
        let missing = try cli.run(["validate", "--db", "empty.db", "--prompt", "tagging@1", "--model", "baseline"])
        #expect(missing.status == 2 && missing.stderr.contains("chattag import"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("empty.db")))
    }
}

/// `chattag compare` tags what is missing, then reports paired statistics.
@Suite struct CompareCommandTests {
    @Test func comparesTwoSidesOnTheLabeledDialoguesWithAVerdict() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--quiet"]).status == 0)
        let result = try cli.run(["compare", "--db", "chattag-demo.db", "--a", "tagging@1", "--b", "tagging@2", "--model", "baseline", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["a"] as? [String: Any])?["n"] as? Int == 100)
        #expect((object["b"] as? [String: Any])?["n"] as? Int == 100)
        let missed = try #require((object["fields"] as? [String: Any])?["missed_lead"] as? [String: Any])
        #expect(missed["mcnemar_p"] as? Double == 1)
        #expect(missed["diff"] as? Double == 0)
        #expect((missed["verdict"] as? String)?.hasPrefix("no difference") == true)
        #expect(result.stderr.contains("tagging@2 × baseline: 100 tagged now"))
        #expect(missed["per_class_f1_diff"] as? [String: Double] == ["true": 0, "false": 0])
        #expect(missed["failure_rate_a"] as? Double == 0 && missed["failure_rate_b"] as? Double == 0)
        let usage = try #require((object["a"] as? [String: Any])?["usage"] as? [String: Any])
        #expect(usage["dialogues"] as? Int == 100 && usage["cost_per_dialogue"] as? Double == 0)
        // tagging@2 differs from tagging@1 in one idea, but the baseline reads no prompt: the two sides never disagree.
        #expect((object["disagreements"] as? [[String: Any]])?.isEmpty == true)
        for format in ["table", "md", "html"] {
            let rendered = try cli.run([
                "compare", "--db", "chattag-demo.db", "--a", "tagging@1", "--b", "tagging@2", "--model", "baseline", "--format", format, "--out", "compare.\(format)",
            ])
            #expect(rendered.status == 0, "\(format): \(rendered.stderr)")
        }
        #expect(try String(contentsOfFile: cli.path("compare.html"), encoding: .utf8).contains("<svg"))
        #expect(try String(contentsOfFile: cli.path("compare.md"), encoding: .utf8).hasPrefix("# Compare: tagging@1 × baseline vs tagging@2 × baseline"))
        let database = try Database(path: cli.path("chattag-demo.db"))
        #expect(try database.rows("SELECT COUNT(*) AS n FROM reports WHERE kind = 'compare'").first?["n"]?.integer == 4)
    }
}

/// `chattag export`: tags joined with dialogue facts, JSONL with the keys of docs/json.md and an
/// Excel-friendly CSV.
@Suite struct ExportCommandTests {
    @Test func exportsTagsWithTheirDialogueFacts() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--quiet"]).status == 0)
        let jsonl = try cli.run(["export", "--db", "chattag-demo.db", "--prompt", "tagging@1", "--model", "baseline", "--format", "jsonl"])
        #expect(jsonl.status == 0)
        let lines = jsonl.stdout.split(separator: "\n")
        #expect(lines.count == 100)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        for key in [
            "dialogue_id", "intent", "sentiment", "missed_lead", "status", "prompt_name", "prompt_version", "prompt_hash",
            "model_requested", "model_version", "run_id", "channel", "started_at", "staff", "first_response_s", "outcome",
        ] {
            #expect(first.keys.contains(key), "\(key)")
        }
        #expect(first["dialogue_id"] as? String == "ls-001")
        #expect(first["staff"] as? String == "Анна")
        let csv = try cli.run(["export", "--db", "chattag-demo.db", "--prompt", "tagging@1", "--model", "baseline", "--delimiter", ";", "--bom", "--out", "tags.csv"])
        #expect(csv.status == 0)
        let bytes = try #require(FileManager.default.contents(atPath: cli.path("tags.csv")))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("dialogue_id;intent;sentiment;missed_lead"))
        #expect(text.split(separator: "\r\n").count == 101)
    }
}
