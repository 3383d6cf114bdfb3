import ArgumentParser
import ChatTagCore
import ChatTagHTTP
import ChatTagStore
import Foundation

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "OpenAI Batch API (and `vllm run-batch`) files, for volumes one endpoint at a time can't carry.",
        subcommands: [Prepare.self, Ingest.self])

    struct Prepare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write one request line per dialogue not yet tagged with this prompt and model.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions
        @Option(help: "The template, NAME@VERSION.") var prompt: String
        @Option(help: "The model to ask for.") var model: String
        @Option(help: "The request file to write (JSONL).") var out: String
        @Option(help: "Prepare at most this many dialogues.") var limit: Int?
        @Flag(name: .customLong("only-labeled"), help: "Only dialogues with hand labels.") var onlyLabeled = false
        @Option(name: .customLong("token-budget"), help: "Tokens a dialogue may take in the prompt.") var tokenBudget: Int = 3000

        func run() async throws {
            let template = try source.library().template(prompt)
            var options = TaggingOptions()
            options.tokenBudget = tokenBudget
            options.filter = DialogueFilter(limit: limit, onlyLabeled: onlyLabeled)
            let lock = try RunLock(databasePath: global.databasePath)
            defer { withExtendedLifetime(lock) {} }
            let store = try RunStore(path: global.databasePath)
            try await store.register(template)
            let key = options.key(template: template, model: model)
            let runID = try await store.beginRun(options.runStart(template: template, model: model, endpoint: "batch:\(out)"))
            let filled = template.filled()
            let renderer = DialogueRenderer(tokenBudget: tokenBudget)
            FileManager.default.createFile(atPath: out, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: out) else { throw ValidationError("cannot write \(out).") }
            defer { try? handle.close() }
            var after: String?
            var written = 0
            let cap = limit ?? Int.max
            while written < cap {
                let page = try await store.pendingDialogues(key, filter: options.filter, afterID: after, limit: 256)
                if page.isEmpty { break }
                after = page.last?.id
                for dialogue in page where written < cap {
                    let messages = filled.messages(dialogue: renderer.render(dialogue).text)
                    var turns = [ChatRequest.Turn(role: "system", content: messages.system), ChatRequest.Turn(role: "user", content: messages.user)]
                    if messages.system.isEmpty { turns.removeFirst() }
                    let request = ChatRequest(
                        model: model, messages: turns, temperature: template.temperature, maxTokens: template.maxTokens, seed: template.seed,
                        responseMode: .jsonSchema, taxonomy: template.taxonomy, correlationID: "")
                    handle.write(Data((BatchFiles.requestLine(customID: BatchFiles.customID(runID: runID, dialogueID: dialogue.id), request: request) + "\n").utf8))
                    written += 1
                }
            }
            try await store.finishRun(runID, summary: RunSummary(), status: .batchPrepared)
            global.note("wrote \(written) requests for \(template.id) × \(model) to \(out) (run \(runID)); submit it, then `chattag batch ingest` the output file")
        }
    }

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store the tags (and failures) of a provider's batch output file.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions
        @Argument(help: "The output file (JSONL) from the Batch API or vllm run-batch.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure(message: "\(file): cannot read the file as UTF-8. Check the path.", code: ExitCodes.badInput)
            }
            let lock = try RunLock(databasePath: global.databasePath)
            defer { withExtendedLifetime(lock) {} }
            let store = try RunStore(path: global.databasePath)
            let library = try source.library()
            var byRun: [Int64: [(line: Int, result: BatchFiles.ResultLine, dialogueID: String)]] = [:]
            for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let result = BatchFiles.parseResult(String(line)), let id = BatchFiles.parseCustomID(result.customID) else {
                    throw CommandFailure(
                        message:
                            "\(file): line \(offset + 1): not a batch output line with a chattag custom_id. Ingest the output file of a batch made by `chattag batch prepare`.",
                        code: ExitCodes.badInput)
                }
                byRun[id.runID, default: []].append((offset + 1, result, id.dialogueID))
            }
            // Check every run the file names before writing anything, so a bad file changes nothing.
            var runs: [Int64: (key: TagKey, template: PromptTemplate)] = [:]
            for runID in byRun.keys.sorted() {
                guard let (key, name, version) = try await store.runKey(runID) else {
                    throw CommandFailure(
                        message: "\(file): run \(runID) is not in \(global.databasePath). Ingest into the database the batch was prepared from.", code: ExitCodes.badInput)
                }
                let template = try library.template("\(name)@\(version)")
                guard template.hash == key.promptHash else {
                    throw PromptError.changed(id: template.id, recordedHash: key.promptHash, currentHash: template.hash)
                }
                runs[runID] = (key, template)
            }
            var failed = 0
            var tagged = 0
            for (runID, lines) in byRun.sorted(by: { $0.key < $1.key }) {
                guard let (key, template) = runs[runID] else { continue }
                let parser = TagParser(taxonomy: template.taxonomy)
                var results: [TagResult] = []
                var summary = RunSummary()
                for (_, line, dialogueID) in lines {
                    guard let contentHash = try await store.contentHash(of: dialogueID) else {
                        global.note("skipped \(dialogueID): not in the database")
                        continue
                    }
                    var result = TagResult(
                        dialogueID: dialogueID, contentHash: contentHash, values: nil, error: line.error, modelVersion: line.reply?.modelVersion,
                        systemFingerprint: line.reply?.systemFingerprint, tokensIn: line.reply?.tokensIn ?? 0, tokensOut: line.reply?.tokensOut ?? 0,
                        latencyMs: 0, truncated: false, calls: [])
                    var call = CallRecord(
                        attempt: 1, correlationID: line.customID, startedAt: ChatTime(unixMillis: Int64(Date().timeIntervalSince1970 * 1000), offsetSeconds: 0),
                        httpStatus: line.status, outcome: .ok, latencyMs: 0, tokensIn: line.reply?.tokensIn, tokensOut: line.reply?.tokensOut,
                        modelVersion: line.reply?.modelVersion, systemFingerprint: line.reply?.systemFingerprint, rawReply: line.reply?.content, error: line.error)
                    if let reply = line.reply {
                        switch parser.parse(reply.content) {
                        case let .success(values): result.values = values
                        case let .failure(rejection):
                            result.error = "invalid reply: \(rejection.reason)"
                            call.outcome = .invalidReply
                            call.error = rejection.reason
                        }
                    } else {
                        call.outcome = .httpError
                    }
                    result.calls = [call]
                    if result.isOK { summary.tagged += 1 } else { summary.failed += 1 }
                    summary.calls += 1
                    summary.tokensIn += result.tokensIn
                    summary.tokensOut += result.tokensOut
                    results.append(result)
                }
                for chunk in stride(from: 0, to: results.count, by: 200) {
                    try await store.record(Array(results[chunk..<min(results.count, chunk + 200)]), runID: runID, key: key, template: template)
                }
                summary.modelVersions = Array(Set(results.compactMap(\.modelVersion))).sorted()
                try await store.finishRun(runID, summary: summary, status: summary.failed > 0 ? .batchIngestedWithFailures : .batchIngested)
                tagged += summary.tagged
                failed += summary.failed
            }
            if global.json {
                print("{\"tagged\":\(tagged),\"failed\":\(failed)}")
            } else {
                global.note("ingested \(tagged + failed) results: \(tagged) tagged, \(failed) failed")
            }
            if failed > 0 {
                throw CommandFailure(
                    message: "\(failed) results failed; their reason is in tags.error. Run `chattag run` to tag them directly, or prepare a new batch.", code: ExitCodes.someFailed)
            }
        }
    }
}
