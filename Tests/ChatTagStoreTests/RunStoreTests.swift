import ChatTagCore
import Foundation
import Synchronization
import Testing

@testable import ChatTagStore

/// A run on a real SQLite file, with an in-process endpoint that answers every request after
/// a fixed time and notes when each one was sent.
@Suite struct RunStoreTests {
    final class TimedEndpoint: ChatTransport {
        let answerAfter: Duration
        let sends = Mutex<[ContinuousClock.Instant]>([])

        init(answerAfter: Duration) {
            self.answerAfter = answerAfter
        }

        func send(_ request: ChatRequest, timeout: Double) async -> ChatOutcome {
            sends.withLock { $0.append(.now) }
            try? await Task.sleep(for: answerAfter)
            let content = #"{"intent":"question","sentiment":"neutral","missed_lead":true}"#
            return .reply(ChatReply(content: content, modelVersion: "m-1", systemFingerprint: nil, tokensIn: 10, tokensOut: 5), hints: RateLimitHints())
        }
    }

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-run-\(UUID().uuidString).db").path

    func removeDatabase() {
        for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func store(dialogues count: Int) throws -> RunStore {
        let store = try ChatTagStore(path: path)
        _ = try store.importFile(name: "t") { write in
            for index in 0..<count {
                let message = Message(
                    at: ChatTime(unixMillis: 1_736_074_800_000, offsetSeconds: 10_800), role: .client, author: "c-1", text: "Сколько стоит маникюр? \(index)")
                try write(Dialogue(id: "d\(index)", source: "jsonl:t.jsonl", channel: "site", messages: [message], outcome: nil))
            }
            return FileImportReport(file: "t.jsonl", format: .jsonl, dialogues: count, messages: count, fingerprint: "f")
        }
        return try RunStore(path: path)
    }

    @Test func theFirstCallsToAnEndpointStartSpacedAndTheRestAsSlotsFree() async throws {
        defer { removeDatabase() }
        let endpoint = TimedEndpoint(answerAfter: .milliseconds(300))
        var options = TaggingOptions()
        options.concurrency = 4
        options.startSpacing = 0.04
        let template = try PromptLibrary(directories: []).template("tagging@1")
        let run = TaggingRun(template: template, model: "m", transport: endpoint, store: try store(dialogues: 8), options: options, endpoint: "test")
        let started = ContinuousClock.now
        let (_, summary) = try await run.run()
        #expect(summary.tagged == 8)
        let sends = endpoint.sends.withLock { $0 }.sorted()
        try #require(sends.count == 8)
        // The first four leave 40 ms apart, not at once (a busy machine can only make them later)…
        for index in 1..<4 { #expect(sends[index] - started >= .milliseconds(40 * index)) }
        // …and each later one only when an answer frees a slot, 300 ms after one of the first.
        for index in 4..<8 { #expect(sends[index] - sends[index - 4] >= .milliseconds(295)) }
    }

    @Test func aTemplateRenderedAnewTakesItsNewHashButAnEditedFileIsRefused() async throws {
        defer { removeDatabase() }
        let store = try store(dialogues: 0)
        let template = try PromptLibrary(directories: []).template("tagging@1")
        // As an earlier chattag recorded it: the same file under another rendering's hash.
        try Database(path: path).statement("INSERT INTO prompts (name, version, hash, text, first_used_at) VALUES ('tagging', '1', 'old-rendering', ?, 'x')")
            .run([.text(template.text)])
        try await store.register(template)
        #expect(try Database(path: path).rows("SELECT hash FROM prompts").map { $0["hash"]?.text } == [template.hash])
        var edited = template
        edited.text += "\nедва заметная правка"
        edited.hash = "edited"
        await #expect(throws: PromptError.changed(id: "tagging@1", recordedHash: template.hash, currentHash: "edited")) {
            try await store.register(edited)
        }
    }
}
