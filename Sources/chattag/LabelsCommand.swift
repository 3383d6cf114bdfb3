import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Hand labels: draw a sample to label, and load labels for validation and A/B comparison.",
        discussion: """
            Examples:
              chattag labels sample --n 100 -o sheet.csv
              chattag labels import sheet.csv
              chattag labels sample --n 100 -p rubric@1 -o rubric-sheet.csv
              chattag labels import labeled-samples/rubric-labels.jsonl
            """,
        subcommands: [Sample.self, Import.self])

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a sample of dialogues nobody labeled yet as a sheet to fill in a spreadsheet.",
            discussion: """
                Strategies: stratified (at random within channel × week × baseline intent), uncertain (the model's least sure tags,
                after `run --logprobs`), disagree (where the model and the offline baseline differ).

                Examples:
                  chattag labels sample --n 100 -o sheet.csv
                  chattag labels sample --n 30 --strategy uncertain -p tagging@3 -m qwen2.5-1.5b -o unsure.csv
                  chattag labels sample --n 30 --strategy disagree -p tagging@1 -m gpt-4.1-mini -o disagree.csv
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many dialogues.") var n: Int = 100
        @Option(name: [.short, .long], help: "The sheet to write (CSV, UTF-8 with BOM so Excel opens it right).") var out: String
        @Option(help: "Seed of the random draw (the same seed gives the same sample).") var seed: UInt64 = 1
        @Option(name: [.short, .long], help: "The template whose fields are the sheet's columns, NAME@VERSION (default tagging@1).", completion: PromptOptions.completion)
        var prompt: String = "tagging@1"
        @Option(name: [.short, .long], help: "The model whose tags --strategy uncertain or disagree reads.") var model: String?
        @Option(help: "stratified, uncertain or disagree.") var strategy: Labeling.Strategy = .stratified
        @OptionGroup var source: PromptOptions

        func run() throws {
            let store = try global.existingStore()
            let template = try source.library().template(prompt)
            let sheet = try Labeling(dialogues: store, labels: store).sample(
                n: n, seed: seed, zone: try global.zone(), taxonomy: template.taxonomy, strategy: strategy, tagged: model.map { (template, $0) })
            if sheet.short {
                global.note(
                    "only \(sheet.dialogues) dialogues are left to label (asked for \(n); \(sheet.alreadyLabeled) are labeled already and are never offered again)")
            }
            try OutputOptions(out: out).write(
                sheet.text, global: global,
                note: "wrote \(sheet.dialogues) dialogues from \(sheet.strata) strata to \(out); fill in the label columns, then `chattag labels import \(out)`")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load hand labels, checking every value against the taxonomy (bad rows are reported by line).")
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: "A labels file: JSONL (dialogue_id, the template's fields, annotator, note) or the filled-in CSV sheet.", completion: .file())
        var file: String
        @Option(
            name: [.short, .long], help: "The template whose fields to check (default: the family the file's first line names, tagging or rubric).",
            completion: PromptOptions.completion)
        var prompt: String?
        @OptionGroup var source: PromptOptions

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw UseCaseError.unreadable(path: file, reason: "no such file, or not readable") }
            guard let text = String(data: data, encoding: .utf8) else { throw ImportError.invalidUTF8(file: file, line: 1) }
            let store = try global.openStore()
            let taxonomy = try prompt.map { try source.library().template($0).taxonomy }
            // A dialogue id that is personal data is stored keyed; the labels follow it there.
            let project = try global.project()
            let anonymizer = Anonymizer(
                names: try NameDictionary.bundled(), pseudonyms: try global.pseudonymizer(), staff: global.names(nil, configured: project.staff),
                bots: global.names(nil, configured: project.bots))
            let loaded = try Labeling(dialogues: store, labels: store).load(text: text, file: file, taxonomy: taxonomy, dialogueID: anonymizer.dialogueID)
            global.note(
                "loaded \(loaded.labels) labels from \(file)"
                    + (loaded.missingDialogues > 0 ? "; \(loaded.missingDialogues) refer to dialogues not imported yet (import them to validate)" : ""))
            for line in loaded.agreement { global.note(line) }
        }
    }
}

extension OutputOptions {
    init(out: String?) {
        self.init()
        self.out = out
    }
}
