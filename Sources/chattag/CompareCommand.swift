import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "A/B on the labeled dialogues: prompt A vs B and/or model A vs B, tagging what is missing first; a winner only at p < 0.05.",
        discussion: """
            Examples:
              chattag compare --a tagging@1 --b tagging@2 -m gpt-4.1-mini
              chattag compare --a tagging@2 --b tagging@2 --model-a baseline --model-b gpt-4.1-mini -o ab.html
              chattag compare --a tagging@1 --b tagging@2 -m gpt-4.1-mini --no-calls
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @OptionGroup var endpointOptions: EndpointOptions
    @Option(help: "Template A, NAME@VERSION.", completion: PromptOptions.completion) var a: String
    @Option(help: "Template B, NAME@VERSION.", completion: PromptOptions.completion) var b: String
    @Option(name: [.short, .long], help: "The model for both sides (default: model in chattag.toml).") var model: String?
    @Option(name: .customLong("model-a"), help: "The model of side A.") var modelA: String?
    @Option(name: .customLong("model-b"), help: "The model of side B.") var modelB: String?
    @Option(name: [.short, .long], help: "The report's format (default: from --out's extension, else table).") var format: PageFormat?
    @OptionGroup var output: OutputOptions
    @Option(help: "Calls in flight at most while tagging what is missing.") var concurrency: Int = 8
    @Option(help: "A JSON price table {\"model\": {\"input\": USD per 1M, \"output\": USD per 1M}} (env CHATTAG_PRICES).") var prices: String?
    @Flag(name: .customLong("no-calls"), help: "Compare the stored tags only; tag nothing and reach no endpoint.") var noCalls = false

    func validate() throws {
        if format == .csv { throw ValidationError("--format must be table, md, json or html for compare.") }
        guard concurrency >= 1 && concurrency <= 1024 else { throw ValidationError("--concurrency must be between 1 and 1024.") }
    }

    func run() async throws {
        let library = try source.library()
        let modelA = try modelA ?? global.model(model)
        let modelB = try modelB ?? global.model(model)
        let sideA = (try library.exactTemplate(a), modelA)
        let sideB = (try library.exactTemplate(b), modelB)
        if let warning = TagValidation.baselineWarning(a: sideA, b: sideB) {
            FileHandle.standardError.write(Data(("chattag: warning: " + warning + "\n").utf8))
        }
        let lock = try RunLock(databasePath: global.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let runs = try RunStore(path: global.databasePath)
        var options = TaggingOptions()
        options.concurrency = concurrency
        options.filter = DialogueFilter(onlyLabeled: true)
        options.prices = try global.prices(file: prices)
        let setup = noCalls ? nil : try endpointOptions.setup(global, store: runs, options: options)
        let chosen = output.format(format, json: global.json)
        let result = try await TagValidation(store: try global.openStore()).compare(
            a: sideA, b: sideB, setup: setup, prices: options.prices, format: chosen == .csv ? .table : chosen, language: global.language
        ) { template, model, summary in
            global.note("\(template.id) × \(model): \(summary.tagged) tagged now, \(summary.cached) cached, \(summary.failed) failed")
        }
        try output.write(result.body, global: global, note: "report: \(output.file ?? "")")
        if result.failed > 0 {
            throw UseCaseError.someFailed("\(result.failed) dialogues failed to tag; they count as wrong above (the reasons are in tags.error).")
        }
    }
}
