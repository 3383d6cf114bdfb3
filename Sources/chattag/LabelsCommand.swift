import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Hand labels: load them (JSONL) for validation and A/B comparison.",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load hand labels, checking every value against the taxonomy (bad rows are reported by line).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A labels file, one JSON object per line: dialogue_id, intent, sentiment, missed_lead, annotator, note.") var file: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure(message: "\(file): cannot read the file. Check the path.", code: ExitCodes.badInput)
            }
            guard let text = String(data: data, encoding: .utf8) else { throw ImportError.invalidUTF8(file: file, line: 1) }
            let labels = try HandLabel.parseJSONL(text, file: file)
            let store = try global.openStore()
            try LabelTable(database: store.database).write(labels, source: (file as NSString).lastPathComponent)
            let known = Set(try store.database.rows("SELECT id FROM dialogues").compactMap { $0["id"]?.text })
            let missing = labels.filter { !known.contains($0.dialogueID) }.count
            global.note("loaded \(labels.count) labels from \(file)" + (missing > 0 ? "; \(missing) refer to dialogues not imported yet (import them to validate)" : ""))
        }
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Tags of a prompt and model against the hand labels: accuracy with a Wilson 95% interval, per-class precision/recall/F1, kappa, confusion.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @Option(help: "The template, NAME@VERSION.") var prompt: String
    @Option(help: "The model whose tags to check.") var model: String
    @Option(help: "table, md, json or html.") var format: String = "table"
    @Option(help: "Write the report to this file instead of stdout.") var out: String?

    func validate() throws {
        guard ["table", "md", "json", "html"].contains(format) else { throw ValidationError("--format must be table, md, json or html (got '\(format)').") }
    }

    func run() throws {
        let template = try source.library().template(prompt)
        let store = try global.openStore()
        let table = LabelTable(database: store.database)
        let report = try table.validationReport(template: template, model: model)
        guard report.n > 0 else {
            throw CommandFailure(message: "no hand labels match imported dialogues. Load labels with `chattag labels import FILE` (and import their dialogues) first.", code: ExitCodes.badInput)
        }
        let body: String
        switch global.json ? "json" : format {
        case "json": body = String(decoding: try JSONSerialization.data(withJSONObject: report.jsonObject(), options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        case "md": body = report.markdown()
        case "html": body = report.html()
        default: body = report.table()
        }
        try table.store(report, format: global.json ? "json" : format, body: body)
        if let out {
            try body.write(toFile: out, atomically: true, encoding: .utf8)
            global.note("report: \(out)")
        } else {
            print(body)
        }
    }
}
