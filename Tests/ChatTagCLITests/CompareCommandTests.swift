import ChatTagStore
import Foundation
import Testing

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
        #expect(try String(contentsOfFile: cli.path("compare.md"), encoding: .utf8).hasPrefix("# Сравнение: tagging@1 × baseline и tagging@2 × baseline"))
        let database = try Database(path: cli.path("chattag-demo.db"))
        #expect(try database.rows("SELECT COUNT(*) AS n FROM reports WHERE kind = 'compare'").first?["n"]?.integer == 4)
    }
}
