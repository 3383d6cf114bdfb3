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
            """,
        subcommands: [Sample.self, Import.self])

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a stratified random sample (channel × week × baseline intent) as a sheet to fill in a spreadsheet.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many dialogues.") var n: Int = 100
        @Option(name: [.short, .long], help: "The sheet to write (CSV, UTF-8 with BOM so Excel opens it right).") var out: String
        @Option(help: "Seed of the random draw (the same seed gives the same sample).") var seed: UInt64 = 1

        func run() throws {
            let store = try global.existingStore()
            let sheet = try Labeling(dialogues: store, labels: store).sample(n: n, seed: seed, zone: try global.zone())
            try OutputOptions(out: out).write(
                sheet.text, global: global,
                note: "wrote \(sheet.dialogues) dialogues from \(sheet.strata) strata to \(out); fill in the label columns, then `chattag labels import \(out)`")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load hand labels, checking every value against the taxonomy (bad rows are reported by line).")
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: "A labels file: JSONL (dialogue_id, intent, sentiment, missed_lead, annotator, note) or the filled-in CSV sheet.", completion: .file())
        var file: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw UseCaseError.unreadable(path: file, reason: "no such file, or not readable") }
            guard let text = String(data: data, encoding: .utf8) else { throw ImportError.invalidUTF8(file: file, line: 1) }
            let store = try global.openStore()
            let loaded = try Labeling(dialogues: store, labels: store).load(text: text, file: file)
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
