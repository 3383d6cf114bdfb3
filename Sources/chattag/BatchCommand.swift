import ArgumentParser
import ChatTagCore
import ChatTagHTTP
import ChatTagStore
import Foundation

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "OpenAI Batch API (and `vllm run-batch`) files, for volumes one endpoint at a time can't carry.",
        discussion: """
            Examples:
              chattag batch prepare -p tagging@2 -m gpt-4.1-mini -o requests.jsonl
              chattag batch ingest results.jsonl
            """,
        subcommands: [Prepare.self, Ingest.self])

    struct Prepare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write one request line per dialogue not yet tagged with this prompt and model.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions
        @Option(name: [.short, .long], help: "The template, NAME@VERSION.", completion: PromptOptions.completion) var prompt: String?
        @Option(name: [.short, .long], help: "The model to ask for.") var model: String?
        @Option(name: [.short, .long], help: "The request file to write (JSONL).") var out: String
        @Option(help: "Prepare at most this many dialogues.") var limit: Int?
        @Flag(name: .customLong("only-labeled"), help: "Only dialogues with hand labels.") var onlyLabeled = false
        @Option(name: .customLong("token-budget"), help: "Tokens a dialogue may take in the prompt.") var tokenBudget: Int = 3000

        func run() async throws {
            let template = try source.library().template(try global.prompt(prompt))
            let model = try global.model(model)
            var options = TaggingOptions()
            options.tokenBudget = tokenBudget
            options.filter = DialogueFilter(limit: limit, onlyLabeled: onlyLabeled)
            let lock = try RunLock(databasePath: global.databasePath)
            defer { withExtendedLifetime(lock) {} }
            let store = try RunStore(path: global.databasePath)
            guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out) else {
                throw UseCaseError.cannotWrite(path: out, reason: "cannot create the file")
            }
            defer { try? handle.close() }
            let prepared = try await BatchPreparation(store: store, format: OpenAIBatchFormat()).prepare(
                template: template, model: model, options: options, destination: out
            ) { line in
                do { try handle.write(contentsOf: Data(line.utf8)) } catch { throw UseCaseError.cannotWrite(path: out, reason: OutputOptions.reason(error)) }
            }
            global.note(
                "wrote \(prepared.requests) requests for \(template.id) × \(model) to \(out) (run \(prepared.runID)); submit it, then `chattag batch ingest` the output file"
            )
        }
    }

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store the tags (and failures) of a provider's batch output file.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions
        @Argument(help: "The output file (JSONL) from the Batch API or vllm run-batch.", completion: .file()) var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw UseCaseError.unreadable(path: file, reason: "no such file, or not readable") }
            guard let text = String(data: data, encoding: .utf8) else { throw ImportError.invalidUTF8(file: file, line: 1) }
            let lock = try RunLock(databasePath: global.databasePath)
            defer { withExtendedLifetime(lock) {} }
            let store = try RunStore(path: global.databasePath)
            let output = try await BatchIngest(store: store, format: OpenAIBatchFormat(), library: try source.library())
                .ingest(text: text, file: file, database: global.databasePath)
            for id in output.skippedDialogues { global.note("skipped \(id): not in the database") }
            if global.json {
                try OutputOptions.print(try JSONOutput.text(output))
            } else {
                global.note("ingested \(output.tagged + output.failed) results: \(output.tagged) tagged, \(output.failed) failed")
            }
            if output.failed > 0 {
                throw UseCaseError.someFailed(
                    "\(output.failed) results failed; their reason is in tags.error. Run `chattag run` to tag them directly, or prepare a new batch.")
            }
        }
    }
}
