import ChatTagStore
import Foundation
import Testing

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
