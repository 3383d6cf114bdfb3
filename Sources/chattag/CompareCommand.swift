import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "A/B on the labeled dialogues: prompt A vs B and/or model A vs B, tagging what is missing first; a winner only at p < 0.05.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @OptionGroup var endpointOptions: EndpointOptions
    @Option(help: "Template A, NAME@VERSION.") var a: String
    @Option(help: "Template B, NAME@VERSION.") var b: String
    @Option(help: "The model for both sides.") var model: String?
    @Option(name: .customLong("model-a"), help: "The model of side A.") var modelA: String?
    @Option(name: .customLong("model-b"), help: "The model of side B.") var modelB: String?
    @Option(help: "table, md, json or html.") var format: String = "table"
    @Option(help: "Write the report to this file instead of stdout.") var out: String?
    @Option(help: "Calls in flight at most while tagging what is missing.") var concurrency: Int = 8
    @Option(help: "A JSON price table {\"model\": {\"input\": USD per 1M, \"output\": USD per 1M}} (env CHATTAG_PRICES).") var prices: String?

    func validate() throws {
        guard ["table", "md", "json", "html"].contains(format) else { throw ValidationError("--format must be table, md, json or html (got '\(format)').") }
        guard (modelA ?? model) != nil, (modelB ?? model) != nil else { throw ValidationError("name the model with --model, or --model-a and --model-b.") }
        guard concurrency >= 1 && concurrency <= 1024 else { throw ValidationError("--concurrency must be between 1 and 1024.") }
    }

    func run() async throws {
        let library = try source.library()
        let sides = [(try library.template(a), modelA ?? model ?? ""), (try library.template(b), modelB ?? model ?? "")]
        let (url, apiKey) = try endpointOptions.endpoint(global.environment)
        let lock = try RunLock(databasePath: global.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let store = try RunStore(path: global.databasePath)
        var options = TaggingOptions()
        options.concurrency = concurrency
        options.filter = DialogueFilter(onlyLabeled: true)
        if let file = prices ?? global.environment["CHATTAG_PRICES"] { try options.prices.merge(file: file) }
        var failed = 0
        for (template, sideModel) in sides {
            let (_, summary) = try await EndpointOptions.withTaggingRun(template: template, model: sideModel, url: url, apiKey: apiKey, store: store, options: options) {
                try await $0.run()
            }
            failed += summary.failed
            global.note("\(template.id) × \(sideModel): \(summary.tagged) tagged now, \(summary.cached) cached, \(summary.failed) failed")
        }
        let database = try global.openStore().database
        let labels = LabelTable(database: database)
        let report = try labels.comparisonReport(a: sides[0], b: sides[1], prices: options.prices)
        guard report.n > 0 else {
            throw CommandFailure(message: "no hand labels match imported dialogues. Load labels with `chattag labels import FILE` first.", code: ExitCodes.badInput)
        }
        let chosen = global.json ? "json" : format
        let body: String
        switch chosen {
        case "json": body = String(decoding: try JSONSerialization.data(withJSONObject: report.jsonObject(), options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        case "md": body = report.markdown()
        case "html": body = report.html()
        default: body = report.table()
        }
        let instrumentA = Instrument(promptName: sides[0].0.name, promptVersion: sides[0].0.version, promptHash: sides[0].0.hash, model: sides[0].1)
        try ReportTable(database: database).save(
            kind: "compare", instrument: instrumentA, format: chosen,
            params: [
                "a": "\(sides[0].0.id) × \(sides[0].1)", "b": "\(sides[1].0.id) × \(sides[1].1)",
                "b_prompt_hash": sides[1].0.hash, "b_model": sides[1].1,
            ], body: body)
        if let out {
            try body.write(toFile: out, atomically: true, encoding: .utf8)
            global.note("report: \(out)")
        } else {
            print(body, terminator: body.hasSuffix("\n") ? "" : "\n")
        }
        if failed > 0 {
            throw CommandFailure(message: "\(failed) dialogues failed to tag; they count as wrong above (the reasons are in tags.error).", code: 1)
        }
    }
}
