import ChatTagStore
import Foundation
import Testing

/// `chattag demo`: the whole loop offline, on the bundled sample.
@Suite struct DemoCommandTests {
    @Test func demoImportsTagsAndValidatesOfflineAndSaysWhereThingsAre() throws {
        let cli = try CLIRunner()
        let result = try cli.run(["demo"], environment: ["OPENAI_BASE_URL": "http://127.0.0.1:9/v1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("база данных:      chattag-demo.db"))
        #expect(result.stdout.contains("проверка:         chattag-demo-report.md"))
        #expect(result.stdout.contains("отчёт за неделю:  chattag-demo-week.html (2025-W11"))
        #expect(FileManager.default.fileExists(atPath: cli.path("chattag-demo-week.html")))
        let report = try String(contentsOfFile: cli.path("chattag-demo-report.md"), encoding: .utf8)
        #expect(report.contains("# Проверка: tagging@1 × baseline"))
        #expect(report.contains("размеченных диалогов: 100"))
        // --lang en (or CHATTAG_LANG=en) switches every human-facing output to English.
        let english = try cli.run(["demo", "--lang", "en", "--db", "english.db", "--report", "english.md"])
        #expect(english.status == 0 && english.stdout.contains("database:    english.db"), "\(english.stderr)")
        #expect(try String(contentsOfFile: cli.path("english.md"), encoding: .utf8).contains("# Validation: tagging@1 × baseline"))
        let fromEnvironment = try cli.run(["demo", "--db", "english.db", "--report", "english.md"], environment: ["CHATTAG_LANG": "en"])
        #expect(fromEnvironment.stdout.contains("Baseline (tagging@1 × baseline) against 100 hand labels"))
        let again = try cli.run(["demo", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(object["n"] as? Int == 100)
        let fields = try #require(object["fields"] as? [String: Any])
        #expect(Set(fields.keys) == ["intent", "sentiment", "missed_lead"])
    }
}
