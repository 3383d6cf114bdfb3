import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Hand labels: load them (JSONL) for validation and A/B comparison.",
        subcommands: [Sample.self, Import.self])

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a stratified random sample (channel × week × baseline intent) as a sheet to fill in a spreadsheet.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many dialogues.") var n: Int = 100
        @Option(help: "The sheet to write (CSV, UTF-8 with BOM so Excel opens it right).") var out: String
        @Option(help: "Seed of the random draw (the same seed gives the same sample).") var seed: UInt64 = 1

        func run() throws {
            let store = try global.openStore()
            let zone = try global.zone()
            // Pruned dialogues have no text left to label.
            let ids = try store.database.rows("SELECT id FROM dialogues WHERE pruned_at IS NULL ORDER BY id").compactMap { $0["id"]?.text }
            var candidates: [LabelingSample.Candidate] = []
            var byID: [String: Dialogue] = [:]
            for id in ids {
                guard let dialogue = try store.dialogues.dialogue(id: id), let first = dialogue.startedAt else { continue }
                let intent = BaselineTagger.values(for: dialogue)["intent"] ?? "other"
                candidates.append(.init(dialogueID: id, stratum: "\(dialogue.channel)|\(ReportWeek(at: first.unixMillis, in: zone))|\(intent)"))
                byID[id] = dialogue
            }
            let chosen = LabelingSample.select(candidates, n: n, seed: seed)
            let strata = Dictionary(uniqueKeysWithValues: candidates.map { ($0.dialogueID, $0.stratum) })
            func quote(_ text: String) -> String { CSVText.field(text, always: true) }
            var lines = [
                "dialogue_id,channel,week,baseline_intent,dialogue,intent (booking|question|complaint|other),sentiment (positive|neutral|negative),missed_lead (true|false),annotator,note"
            ]
            let renderer = DialogueRenderer(tokenBudget: 1500)
            for id in chosen {
                guard let dialogue = byID[id] else { continue }
                let parts = (strata[id] ?? "||").split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                lines.append([quote(id), quote(parts[0]), quote(parts[1]), quote(parts[2]), quote(renderer.render(dialogue).text), "", "", "", "", ""].joined(separator: ","))
            }
            try ("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").write(toFile: out, atomically: true, encoding: .utf8)
            global.note(
                "wrote \(chosen.count) dialogues from \(Set(candidates.map(\.stratum)).count) strata to \(out); fill in the label columns, then `chattag labels import \(out)`")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load hand labels, checking every value against the taxonomy (bad rows are reported by line).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A labels file: JSONL (dialogue_id, intent, sentiment, missed_lead, annotator, note) or the filled-in CSV sheet.") var file: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure(message: "\(file): cannot read the file. Check the path.", code: ExitCodes.badInput)
            }
            guard let text = String(data: data, encoding: .utf8) else { throw ImportError.invalidUTF8(file: file, line: 1) }
            let isCSV = file.lowercased().hasSuffix(".csv") || text.hasPrefix("\u{FEFF}dialogue_id") || text.hasPrefix("dialogue_id")
            let labels = isCSV ? try HandLabel.parseCSV(text, file: file) : try HandLabel.parseJSONL(text, file: file)
            let store = try global.openStore()
            try LabelTable(database: store.database).write(labels, source: (file as NSString).lastPathComponent)
            let known = Set(try store.database.rows("SELECT id FROM dialogues").compactMap { $0["id"]?.text })
            let missing = labels.filter { !known.contains($0.dialogueID) }.count
            global.note("loaded \(labels.count) labels from \(file)" + (missing > 0 ? "; \(missing) refer to dialogues not imported yet (import them to validate)" : ""))
            for line in try LabelTable(database: store.database).agreement() { global.note(line) }
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
            throw CommandFailure(
                message: "no hand labels match imported dialogues. Load labels with `chattag labels import FILE` (and import their dialogues) first.", code: ExitCodes.badInput)
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
