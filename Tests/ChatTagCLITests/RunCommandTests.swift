import ChatTagStore
import ChatTagTestSupport
import Foundation
import Testing

/// `chattag run` end to end: the built binary, a real SQLite file, the mock endpoint on
/// 127.0.0.1 with fault injection.
@Suite(.serialized) struct RunCommandTests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    func export(_ name: String) -> String { CLIRunner.exports.appendingPathComponent(name).path }

    /// Imports `count` small dialogues; every 10th carries a phone number.
    func importDialogues(_ count: Int) throws {
        var lines: [String] = []
        for index in 0..<count {
            let text = index % 10 == 0 ? "Здравствуйте, сколько стоит маникюр? Мой номер 8 916 \(1_000_000 + index)" : "Можно записаться на субботу \(index)?"
            lines.append(
                #"{"id":"d\#(String(format: "%04d", index))","channel":"whatsapp","messages":[{"at":"2025-03-01T10:00:00+03:00","role":"client","author":"Клиент \#(index)","text":"\#(text)"},{"at":"2025-03-01T10:05:00+03:00","role":"staff","author":"Анна","text":"Добрый день! Есть окно в 12:00"}]}"#
            )
        }
        let file = try cli.write("dialogues.jsonl", Array(lines.joined(separator: "\n").utf8))
        let result = try cli.run(["import", file])
        #expect(result.status == 0, "\(result.stderr)")
    }

    func runArguments(_ server: MockServer, _ extra: [String] = []) -> [String] {
        ["run", "--prompt", "tagging@1", "--model", "gpt-test", "--base-url", server.baseURL.absoluteString, "--json"] + extra
    }

    /// Starts `chattag` with these arguments without waiting for it.
    func startInBackground(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func rows(_ sql: String) throws -> [[String: SQLValue]] {
        try Database(path: cli.path("chattag.db")).rows(sql)
    }

    func summary(_ result: CLIRunner.Result) throws -> [String: Any] {
        let line = try #require(result.stdout.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func comparesTwoPromptsAgainstTheEndpointInEveryFormat() throws {
        #expect(try cli.run(["demo", "--quiet", "--db", "chattag.db"]).status == 0)
        let server = try MockServer(["--model-version", "gpt-test-2025-06-01", "--latency-ms", "5"])
        let base = ["compare", "--a", "tagging@1", "--b", "tagging@2", "--model", "gpt-test", "--base-url", server.baseURL.absoluteString]
        let result = try cli.run(base + ["--format", "json"], environment: ["OPENAI_API_KEY": "sk-compare-secret"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for side in ["a", "b"] {
            let report = try #require(object[side] as? [String: Any])
            #expect(report["n"] as? Int == 100)
            let usage = try #require(report["usage"] as? [String: Any])
            #expect(usage["dialogues"] as? Int == 100)
            #expect((usage["tokens_in_per_dialogue"] as? Double ?? 0) > 0)
            #expect((usage["latency_ms_per_dialogue"] as? Double ?? 0) >= 5)
        }
        let intent = try #require((object["fields"] as? [String: Any])?["intent"] as? [String: Any])
        #expect(Set((intent["per_class_f1_diff"] as? [String: Double] ?? [:]).keys) == ["booking", "question", "complaint", "other"])
        #expect(intent["mcnemar_p"] is Double && intent["verdict"] is String)
        let calls = server.recorded().count
        #expect(calls == 200)  // 100 labeled dialogues per side
        for format in ["table", "md", "html"] {
            let rendered = try cli.run(base + ["--format", format, "--out", "compare.\(format)"])
            #expect(rendered.status == 0, "\(format): \(rendered.stderr)")
        }
        #expect(server.recorded().count == calls)  // the tags are reused, nothing is bought twice
        let stored = try rows("SELECT body FROM reports WHERE kind = 'compare'")
        #expect(stored.count == 4)
        #expect(!stored.contains { $0["body"]?.text?.contains("sk-compare-secret") == true })
    }

    @Test func tagsEveryDialogueOnceAndReusesTagsOnTheNextRun() throws {
        try importDialogues(40)
        let server = try MockServer(["--model-version", "gpt-test-2025-06-01"])
        let first = try cli.run(runArguments(server, ["--concurrency", "8"]))
        #expect(first.status == 0, "\(first.stderr)")
        let firstSummary = try summary(first)
        #expect(firstSummary["tagged"] as? Int == 40)
        #expect(firstSummary["calls"] as? Int == 40)
        for key in ["tagged", "cached", "failed", "calls", "tokens_in", "tokens_out", "seconds"] { #expect(firstSummary[key] != nil, "\(key)") }
        let tags = try rows("SELECT COUNT(*) AS n, COUNT(DISTINCT dialogue_id) AS d, MIN(model_version) AS v, MIN(status) AS s, MIN(prompt_version) AS pv FROM tags")
        #expect(tags.first?["n"]?.integer == 40)
        #expect(tags.first?["d"]?.integer == 40)
        #expect(tags.first?["v"]?.text == "gpt-test-2025-06-01")
        #expect(tags.first?["s"]?.text == "ok")
        #expect(tags.first?["pv"]?.text == "1")
        let second = try cli.run(runArguments(server))
        let secondSummary = try summary(second)
        #expect(secondSummary["tagged"] as? Int == 0)
        #expect(secondSummary["cached"] as? Int == 40)
        #expect(secondSummary["calls"] as? Int == 0)
        #expect(server.recorded().count == 40)
    }

    @Test func everyFaultEndsTaggedOnceOrRecordedAsFailed() throws {
        try importDialogues(60)
        let server = try MockServer([
            "--fail-every", "5", "--rate-limit-every", "7", "--retry-after-ms", "20", "--malformed-every", "11",
            "--off-taxonomy-every", "6", "--prose-every", "9", "--hang-every", "13", "--hang-seconds", "5",
        ])
        let result = try cli.run(runArguments(server, ["--concurrency", "6", "--timeout", "1", "--max-retries", "6"]))
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        let tags = try rows("SELECT COUNT(*) AS n, COUNT(DISTINCT dialogue_id) AS d FROM tags").first
        #expect(tags?["n"]?.integer == 60)
        #expect(tags?["d"]?.integer == 60)
        let failures = try rows("SELECT dialogue_id, error FROM tags WHERE status = 'failed'")
        #expect(failures.allSatisfy { ($0["error"]?.text ?? "").isEmpty == false })
        #expect(try summary(result)["failed"] as? Int == failures.count)
        // Which calls the mock's fault counters hit depends on the order the 6 concurrent calls
        // arrive in, so a repair request may itself land on a fault: a few failures are expected,
        // each with a reason the injected faults explain.
        #expect(failures.count <= 6, "\(failures)")
        #expect(
            failures.allSatisfy {
                let error = $0["error"]?.text ?? ""
                return error.hasPrefix("invalid reply after a repair request") || error.hasPrefix("malformed response")
                    || error.hasPrefix("HTTP 500") || error.hasPrefix("HTTP 429") || error.hasPrefix("timed out")
            }, "\(failures)")
        let outcomes = Set(try rows("SELECT DISTINCT outcome FROM llm_calls").compactMap { $0["outcome"]?.text })
        #expect(outcomes.isSuperset(of: ["ok", "http_error", "malformed", "invalid_reply", "timeout"]), "\(outcomes)")
        let repaired = try rows("SELECT COUNT(*) AS n FROM llm_calls WHERE outcome = 'invalid_reply' AND raw_reply LIKE '%purchase%'")
        #expect((repaired.first?["n"]?.integer ?? 0) > 0)
        let healthy = try MockServer()
        let rerun = try cli.run(runArguments(healthy))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try summary(rerun)["tagged"] as? Int == failures.count)
        #expect(try rows("SELECT COUNT(*) AS n FROM tags WHERE status = 'ok'").first?["n"]?.integer == 60)
    }

    @Test func aDialogueThatKeepsFailingIsRecordedWithItsReasonAndExit1() throws {
        try importDialogues(20)
        let server = try MockServer(["--fail-marker", "сколько стоит маникюр"])
        let result = try cli.run(runArguments(server, ["--max-retries", "1"]))
        #expect(result.status == 1)
        let failed = try rows("SELECT dialogue_id, error FROM tags WHERE status = 'failed' ORDER BY dialogue_id")
        #expect(failed.map { $0["dialogue_id"]?.text } == ["d0000", "d0010"])
        #expect(failed.allSatisfy { $0["error"]?.text?.contains("HTTP 500") == true })
        let healthy = try MockServer()
        let retry = try cli.run(runArguments(healthy)).status
        #expect(retry == 0)
        #expect(try rows("SELECT COUNT(*) AS n FROM tags WHERE status = 'ok'").first?["n"]?.integer == 20)
    }

    @Test func aRefusedKeyStopsTheRunWithExit69AndNeverReachesTheDatabase() throws {
        try importDialogues(5)
        let secret = "sk-test-\(UUID().uuidString)"
        let server = try MockServer(["--require-key", "sk-other"])
        let refused = try cli.run(runArguments(server), environment: ["OPENAI_API_KEY": secret])
        #expect(refused.status == 69)
        #expect(refused.stderr.contains("401"))
        let guarded = try MockServer(["--require-key", secret])
        let accepted = try cli.run(runArguments(guarded), environment: ["OPENAI_API_KEY": secret])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes.append(FileManager.default.contents(atPath: cli.path("chattag.db" + suffix)) ?? Data()) }
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
        for output in [refused.stdout, refused.stderr, accepted.stdout, accepted.stderr] { #expect(!output.contains(secret)) }
    }

    @Test func aServerWithoutStructuredOutputsGetsJSONModeInstead() throws {
        try importDialogues(10)
        let server = try MockServer(["--reject-json-schema"])
        let result = try cli.run(runArguments(server, ["--concurrency", "1"]))
        #expect(result.status == 0, "\(result.stderr)")
        let modes = server.recorded().map { (($0["body"] as? [String: Any])?["response_format"] as? [String: Any])?["type"] as? String }
        #expect(modes.first == "json_schema")
        #expect(modes.dropFirst().allSatisfy { $0 == "json_object" }, "\(modes)")
        #expect(try summary(result)["tagged"] as? Int == 10)
    }

    @Test func aChangedTemplateIsRefusedWithAMessageToBumpTheVersion() throws {
        try importDialogues(3)
        let server = try MockServer()
        #expect(try cli.run(runArguments(server)).status == 0)
        let folder = cli.path("prompts/tagging")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let shipped = try cli.run(["prompts", "show", "tagging@1"]).stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        try (shipped + "\nДополнительное правило.\n").write(toFile: folder + "/v1.md", atomically: true, encoding: .utf8)
        let refused = try cli.run(runArguments(server))
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("new version"))
    }

    @Test func aChangeOfTheAnsweringModelIsWarnedAbout() throws {
        try importDialogues(6)
        let before = try MockServer(["--model-version", "gpt-test-2025-01-01"])
        #expect(try cli.run(runArguments(before, ["--limit", "3"])).status == 0)
        let after = try MockServer(["--model-version", "gpt-test-2025-06-01"])
        let result = try cli.run(runArguments(after))
        #expect(result.status == 0)
        #expect(result.stderr.contains("the model answering gpt-test changed: gpt-test-2025-01-01 before, gpt-test-2025-06-01 now"), "\(result.stderr)")
    }

    @Test func aKilledRunResumesWithoutDuplicates() throws {
        try importDialogues(120)
        let server = try MockServer(["--latency-ms", "100"])
        let process = try startInBackground(runArguments(server, ["--concurrency", "4", "--quiet"]))
        // Kill once some tags are committed, however fast or slow the machine is.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (try? rows("SELECT COUNT(*) AS n FROM tags").first?["n"]?.integer ?? 0) ?? 0 < 8 {
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partial = Int(try rows("SELECT COUNT(*) AS n FROM tags").first?["n"]?.integer ?? 0)
        #expect(partial > 0 && partial < 120, "\(partial) tagged before the kill")
        let resumed = try cli.run(runArguments(server, ["--concurrency", "8"]))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let summary = try summary(resumed)
        #expect(summary["cached"] as? Int == partial)
        #expect(summary["tagged"] as? Int == 120 - partial)
        #expect(try rows("SELECT COUNT(*) AS n, COUNT(DISTINCT dialogue_id) AS d FROM tags WHERE status = 'ok'").first?["d"]?.integer == 120)
        let lost = server.recorded().count - 120
        #expect(lost >= 0 && lost <= 8, "calls bought twice: \(lost)")
    }

    @Test func aSecondRunOnTheSameDatabaseIsRefusedClearly() throws {
        try importDialogues(30)
        let server = try MockServer(["--latency-ms", "200"])
        let process = try startInBackground(runArguments(server, ["--concurrency", "1", "--quiet"]))
        Thread.sleep(forTimeInterval: 0.7)
        let second = try cli.run(runArguments(server))
        process.terminate()
        process.waitUntilExit()
        #expect(second.status == 75)
        #expect(second.stderr.contains("another chattag run"))
    }
}

/// `run --logprobs`: confidences from a server that returns log-probabilities, none from one that does not.
@Suite struct RunConfidenceTests {
    @Test func confidencesComeFromLogprobsAndValidateShowsCalibration() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["demo", "-q"]).status == 0)
        let mock = try MockServer()
        let environment = ["OPENAI_API_KEY": "k", "CHATTAG_DB": "chattag-demo.db"]
        let run = try cli.run(["run", "-p", "tagging@1", "-m", "mock-lp", "--logprobs", "--base-url", mock.baseURL.absoluteString, "-q"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let stored = try Database(path: cli.path("chattag-demo.db")).rows("SELECT DISTINCT confidence_json AS c FROM tags WHERE model_requested = 'mock-lp'")
        // The mock gives the chosen value 0.8 and one other allowed value 0.15: 0.8 / 0.95.
        #expect(stored.map { $0["c"]?.text } == [#"{"intent":0.8421,"missed_lead":0.8421,"sentiment":0.8421}"#])
        let validation = try cli.run(["validate", "-p", "tagging@1", "-m", "mock-lp", "--json"], environment: environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(validation.stdout.utf8)) as? [String: Any])
        let missed = try #require((object["fields"] as? [String: Any])?["missed_lead"] as? [String: Any])
        let calibration = try #require(missed["calibration"] as? [String: Any])
        #expect(calibration["n"] as? Int == 100 && (calibration["coverage"] as? [[String: Any]])?.count == 3)
        #expect(try cli.run(["validate", "-p", "tagging@1", "-m", "mock-lp", "-f", "html", "-o", "v.html"], environment: environment).status == 0)
        #expect(try String(contentsOfFile: cli.path("v.html"), encoding: .utf8).contains("Уверенность модели"))
        // Without --logprobs there is no confidence, and validate says so plainly.
        #expect(try cli.run(["run", "-p", "tagging@1", "-m", "mock-plain", "--base-url", mock.baseURL.absoluteString, "-q"], environment: environment).status == 0)
        let plain = try cli.run(["validate", "-p", "tagging@1", "-m", "mock-plain", "-f", "md"], environment: environment)
        #expect(plain.stdout.contains("Уверенности нет: теги сделаны без log-probabilities"))
    }
}

/// The review queue: unsure tags wait for a person, are not counted as facts, and a person's
/// label settles them.
@Suite struct ReviewQueueTests {
    @Test func unsureTagsWaitForReviewAndALabelSettlesThem() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["import", ReportCommandTests.fixture.appendingPathComponent("dialogues.jsonl").path]).status == 0)
        let mock = try MockServer()
        let environment = ["OPENAI_API_KEY": "k"]
        let run = try cli.run(["run", "-p", "tagging@1", "-m", "mock-lp", "--logprobs", "--base-url", mock.baseURL.absoluteString, "-q"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        // Every field is 0.84 sure: under 0.9 all 7 tags of W47 wait, none under 0.8.
        func week(_ extra: [String]) throws -> [String: Any] {
            try ReportCommandTests.json(try cli.run(["report", "--week", "2026-W47", "-p", "tagging@1", "-m", "mock-lp", "--json"] + extra))
        }
        let unsure = try week(["--review-below", "0.9"])
        #expect(unsure["awaiting_review"] as? Int == 7 && unsure["tagged"] as? Int == 0 && (unsure["missed_leads"] as? [Any])?.isEmpty == true)
        let sure = try week(["--review-below", "0.8"])
        #expect(sure["awaiting_review"] as? Int == 0 && sure["tagged"] as? Int == 7)
        #expect(try cli.run(["report", "--week", "2026-W47", "--review-below", "7"]).status == 2, "a confidence is 0…1")
        let text = try cli.run(["report", "--week", "2026-W47", "-p", "tagging@1", "-m", "mock-lp", "--review-below", "0.9"])
        #expect(text.stdout.contains("Ждут проверки: 7 диалогов"))
        // The queue as a sheet, then a person's label of d2 settles it as gold: a missed lead.
        let review = try cli.run(["review", "-p", "tagging@1", "-m", "mock-lp", "--below", "0.9", "-o", "review.csv"])
        #expect(review.status == 0 && review.stderr.contains("wrote 11 dialogues to review"), "\(review.stderr)")
        let label = try cli.write("d2.jsonl", Array(#"{"dialogue_id":"d2","intent":"question","sentiment":"neutral","missed_lead":true,"annotator":"ops-1"}"#.utf8))
        #expect(try cli.run(["labels", "import", label]).status == 0)
        let settled = try week(["--review-below", "0.9"])
        #expect(settled["awaiting_review"] as? Int == 6 && settled["tagged"] as? Int == 1)
        #expect((settled["missed_leads"] as? [[String: Any]])?.map { $0["dialogue_id"] as? String } == ["d2"])
        let again = try cli.run(["review", "-p", "tagging@1", "-m", "mock-lp", "--below", "0.9", "-o", "review2.csv"])
        #expect(again.stderr.contains("wrote 10 dialogues to review"))
        // Labels where they teach most: the least sure tags, or where the model and the baseline differ; never d2 again.
        let uncertain = try cli.run(["labels", "sample", "--strategy", "uncertain", "-p", "tagging@1", "-m", "mock-lp", "--n", "3", "-o", "u.csv"])
        #expect(uncertain.status == 0, "\(uncertain.stderr)")
        let rows = try String(contentsOfFile: cli.path("u.csv"), encoding: .utf8).components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        #expect(rows.count == 3 && !rows.contains { $0.hasPrefix("\"d2\"") })
        let disagree = try cli.run(["labels", "sample", "--strategy", "disagree", "-p", "tagging@1", "-m", "mock-lp", "--n", "50", "-o", "d.csv"])
        #expect(disagree.status == 0 && disagree.stderr.contains("only"), "\(disagree.stderr)")
        #expect(try cli.run(["labels", "sample", "--strategy", "uncertain", "--n", "3", "-o", "x.csv"]).status == 2)
    }
}

/// Prompt caching: the system prompt comes first and is the same for every dialogue, so a
/// provider serves it from its cache; chattag records the cached tokens and prices them.
@Suite struct PromptCacheTests {
    @Test func cachedTokensAreRecordedAndPricedAtTheCachedRate() throws {
        let cli = try CLIRunner()
        #expect(try cli.run(["import", ReportCommandTests.fixture.appendingPathComponent("dialogues.jsonl").path]).status == 0)
        let mock = try MockServer()
        let run = try cli.run(
            ["run", "-p", "tagging@1", "-m", "gpt-4.1-mini", "--base-url", mock.baseURL.absoluteString, "--concurrency", "1", "--json"], environment: ["OPENAI_API_KEY": "k"])
        #expect(run.status == 0, "\(run.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let tokensIn = try #require(output["tokens_in"] as? Int), tokensOut = try #require(output["tokens_out"] as? Int)
        let cached = try #require(output["cached_tokens"] as? Int)
        // The mock reports the system message as cached from the second call on: 10 of 11 calls.
        let perCall = try Database(path: cli.path("chattag.db")).rows("SELECT cached_tokens AS c FROM llm_calls ORDER BY id").compactMap { $0["c"]?.integer }
        #expect(perCall.count == 11 && perCall[0] == 0 && perCall.dropFirst().allSatisfy { $0 > 0 } && Int(perCall.reduce(0, +)) == cached)
        let expected = (Double(tokensIn - cached) * 0.40 + Double(cached) * 0.10 + Double(tokensOut) * 1.60) / 1_000_000
        #expect(abs((output["cost_usd"] as? Double ?? 0) - expected) < 1e-9)
    }
}
