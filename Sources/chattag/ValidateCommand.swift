import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Tags of a prompt and model against the hand labels: accuracy with a Wilson 95% interval, per-class precision/recall/F1, kappa, confusion.",
        discussion: """
            Examples:
              chattag validate -p tagging@1 -m baseline
              chattag validate -p tagging@2 -m gpt-4.1-mini -o validation.html
              chattag validate -p tagging@2 -m gpt-4.1-mini --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @Option(name: [.short, .long], help: "The template, NAME@VERSION.", completion: PromptOptions.completion) var prompt: String?
    @Option(name: [.short, .long], help: "The model whose tags to check.") var model: String?
    @Option(name: [.short, .long], help: "The report's format (default: from --out's extension, else table).") var format: PageFormat?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if format == .csv { throw ValidationError("--format must be table, md, json or html for validate.") }
    }

    func run() throws {
        let template = try source.library().exactTemplate(try global.prompt(prompt))
        let model = try global.model(model)
        let store = try global.existingStore()
        let chosen = output.format(format, json: global.json)
        let (_, body) = try TagValidation(store: store).validate(template: template, model: model, format: chosen == .csv ? .table : chosen, language: global.language)
        try output.write(body, global: global, note: "report: \(output.file ?? "")")
    }
}
