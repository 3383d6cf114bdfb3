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
    @Option(help: "table, md or json.") var format: String = "table"
    @Option(help: "Write the report to this file instead of stdout.") var out: String?
    @Option(help: "Calls in flight at most while tagging what is missing.") var concurrency: Int = 8

    func validate() throws {
        guard ["table", "md", "json"].contains(format) else { throw ValidationError("--format must be table, md or json (got '\(format)').") }
        guard (modelA ?? model) != nil, (modelB ?? model) != nil else { throw ValidationError("name the model with --model, or --model-a and --model-b.") }
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
        for (template, sideModel) in sides {
            let run = try EndpointOptions.taggingRun(template: template, model: sideModel, url: url, apiKey: apiKey, store: store, options: options)
            let (_, summary) = try await run.run()
            global.note("\(template.id) × \(sideModel): \(summary.tagged) tagged now, \(summary.cached) cached, \(summary.failed) failed")
        }
        let database = try global.openStore().database
        let labels = LabelTable(database: database)
        let reports = try sides.map { try labels.validationReport(template: $0.0, model: $0.1) }
        guard reports[0].n > 0 else {
            throw CommandFailure(message: "no hand labels match imported dialogues. Load labels with `chattag labels import FILE` first.", code: ExitCodes.badInput)
        }
        var rows: [(field: String, comparison: PairedComparison, macroDiff: Double)] = []
        for field in sides[0].0.taxonomy.fields {
            let pairsA = try labels.pairs(field: field.name, promptHash: sides[0].0.hash, model: sides[0].1)
            let pairsB = Dictionary(uniqueKeysWithValues: try labels.pairs(field: field.name, promptHash: sides[1].0.hash, model: sides[1].1).map { ($0.dialogueID, $0) })
            let aligned = pairsA.compactMap { pair in pairsB[pair.dialogueID].map { (pair, $0) } }
            let comparison = PairedComparison(correctA: aligned.map { $0.0.gold == $0.0.predicted }, correctB: aligned.map { $0.1.gold == $0.1.predicted })
            let macroA = reports[0].fields.first { $0.field == field.name }?.macroF1 ?? 0
            let macroB = reports[1].fields.first { $0.field == field.name }?.macroF1 ?? 0
            rows.append((field.name, comparison, macroB - macroA))
        }
        let body: String
        switch global.json ? "json" : format {
        case "json":
            var fields: [String: Any] = [:]
            for row in rows {
                fields[row.field] = [
                    "mcnemar_p": row.comparison.mcnemarP, "diff": row.comparison.difference,
                    "diff_ci": [row.comparison.differenceCI.low, row.comparison.differenceCI.high], "macro_f1_diff": row.macroDiff,
                    "only_a_right": row.comparison.onlyA, "only_b_right": row.comparison.onlyB, "n": row.comparison.n,
                    "labels_needed": row.comparison.labelsNeeded.map { $0 as Any } ?? NSNull(), "verdict": row.comparison.verdict,
                ]
            }
            let object: [String: Any] = ["a": reports[0].jsonObject(), "b": reports[1].jsonObject(), "fields": fields]
            body = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        default:
            var lines = ["A: \(sides[0].0.id) × \(sides[0].1)    B: \(sides[1].0.id) × \(sides[1].1)    \(reports[0].n) labeled dialogues", ""]
            if format == "md" { lines = ["# Compare", ""] + lines.map { "> " + $0 } + ["", "| field | accuracy A | accuracy B | B − A (95% CI) | macro F1 B − A | McNemar p | verdict |", "|---|---|---|---|---|---|---|"] }
            for row in rows {
                let accuracyA = reports[0].fields.first { $0.field == row.field }?.accuracy ?? 0
                let accuracyB = reports[1].fields.first { $0.field == row.field }?.accuracy ?? 0
                let text = String(format: "%.2f | %.2f | %+.3f (%+.3f…%+.3f) | %+.3f | %.4f", accuracyA, accuracyB, row.comparison.difference,
                                  row.comparison.differenceCI.low, row.comparison.differenceCI.high, row.macroDiff, row.comparison.mcnemarP)
                lines.append(format == "md" ? "| \(row.field) | \(text) | \(row.comparison.verdict) |" : "\(row.field): \(text.replacingOccurrences(of: " | ", with: "  ")) — \(row.comparison.verdict)")
            }
            body = lines.joined(separator: "\n")
        }
        if let out {
            try body.write(toFile: out, atomically: true, encoding: .utf8)
            global.note("report: \(out)")
        } else {
            print(body)
        }
    }
}
