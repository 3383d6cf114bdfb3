import ChatTagStore
import Foundation
import Testing

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
        #expect(try String(contentsOfFile: cli.path("report.md"), encoding: .utf8).contains("**Упущенные лиды: точность"))
        let html = try cli.run(["validate", "--db", "chattag-demo.db", "--prompt", "tagging@1", "--model", "baseline", "--format", "html", "--out", "report.html"])
        #expect(html.status == 0)
        let page = try String(contentsOfFile: cli.path("report.html"), encoding: .utf8)
        #expect(page.hasPrefix("<!doctype html>") && page.contains("<svg") && page.contains("class=\"heat\"") && page.contains("<h2>Ошибки ("))
        // Intervals are drawn as error bars, with precision and recall per class.
        #expect(page.contains("Доля верных по полям, с 95% интервалом") && page.contains("Точность (синие) и полнота (оранжевые) по классам"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"))
        // A read-only command never creates a database: a missing one is a usage error saying what to run.
        let missing = try cli.run(["validate", "--db", "empty.db", "--prompt", "tagging@1", "--model", "baseline"])
        #expect(missing.status == 2 && missing.stderr.contains("chattag import"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("empty.db")))
    }
}

/// What validate and compare refuse, so nobody reads a report of zeros.
@Suite struct MeasurementGuardrailTests {
    @Test func measuringTagsThatDoNotExistOrAnUnversionedPromptIsRefused() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "--db", "d.db", "-q"]).status == 0)
        let untagged = try cli.run(["validate", "--db", "d.db", "-p", "tagging@2", "-m", "baseline"])
        #expect(untagged.status == 2 && untagged.stderr.contains("chattag run -p tagging@2 -m baseline --only-labeled"))
        let bare = try cli.run(["validate", "--db", "d.db", "-p", "tagging", "-m", "baseline"])
        #expect(bare.status == 2 && bare.stderr.contains("tagging@1, tagging@2"))
        let noCalls = try cli.run(["compare", "--db", "d.db", "--a", "tagging@1", "--b", "tagging@2", "-m", "baseline", "--no-calls"])
        #expect(noCalls.status == 2 && noCalls.stderr.contains("tagging@2 × baseline"))
        #expect(noCalls.stderr.contains("the offline baseline ignores the template"))
        #expect(try cli.run(["run", "--db", "d.db", "-p", "tagging@2", "-m", "baseline", "--only-labeled", "-q"]).status == 0)
        let compared = try cli.run(["compare", "--db", "d.db", "--a", "tagging@1", "--b", "tagging@2", "-m", "baseline", "--no-calls", "--json"])
        #expect(compared.status == 0 && compared.stdout.contains("\"mcnemar_p\""), "\(compared.stderr)")
    }
}
