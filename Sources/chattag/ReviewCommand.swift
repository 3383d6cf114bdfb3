import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The review queue as a labeling sheet: dialogues whose tag has a field the model was unsure of, nobody labeled yet, least sure first.",
        discussion: """
            Confidences come from `chattag run --logprobs`. Fill in the sheet and load it with `chattag labels import`:
            the labels count as gold in validate, and settle the dialogues in the weekly report.

            Examples:
              chattag review -p tagging@3 -m qwen2.5-1.5b --below 0.7 -o review.csv
              chattag labels import review.csv
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @Option(name: [.short, .long], help: "The template whose tags to review, NAME@VERSION.", completion: PromptOptions.completion) var prompt: String
    @Option(name: [.short, .long], help: "The model whose tags to review.") var model: String
    @Option(help: "A tag with a field less sure than this (0…1) needs review (default: CHATTAG_REVIEW_BELOW, review_below in chattag.toml, else 0.7).")
    var below: Double?
    @Option(name: [.short, .long], help: "The sheet to write (CSV, UTF-8 with BOM so Excel opens it right).") var out: String

    func validate() throws {
        if let below, !(below > 0 && below <= 1) { throw ValidationError("--below takes a confidence between 0 and 1, such as 0.7.") }
    }

    func run() throws {
        let store = try global.existingStore()
        let template = try source.library().exactTemplate(prompt)
        let threshold = try global.reviewBelow(below) ?? 0.7
        let sheet = try Labeling(dialogues: store, labels: store).reviewSheet(template: template, model: model, below: threshold, zone: try global.zone())
        try OutputOptions(out: out).write(
            sheet.text, global: global,
            note: sheet.dialogues == 0
                ? "nothing to review: no tag of \(template.id) × \(model) has a field under \(threshold) without a human label (confidences come from `run --logprobs`)"
                : "wrote \(sheet.dialogues) dialogues to review to \(out); fill in the label columns, then `chattag labels import \(out)`")
    }
}
