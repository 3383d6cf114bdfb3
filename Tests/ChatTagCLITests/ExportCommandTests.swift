import ChatTagStore
import Foundation
import Testing

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
