import ChatTagStore
import Foundation
import Testing

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
