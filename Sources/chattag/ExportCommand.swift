import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Tags of a prompt and model joined with dialogue facts (channel, start, staff member, first response, outcome), as CSV or JSONL.",
        discussion: """
            Examples:
              chattag export -p tagging@2 -m gpt-4.1-mini -o tags.csv
              chattag export -p tagging@2 -m gpt-4.1-mini -f jsonl > tags.jsonl
              chattag export -p tagging@1 -m baseline --delimiter ";" --bom -o excel.csv
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @Option(name: [.short, .long], help: "The template, NAME@VERSION.", completion: PromptOptions.completion) var prompt: String?
    @Option(name: [.short, .long], help: "The model whose tags to export.") var model: String?
    @Option(name: [.short, .long], help: "csv or jsonl (default: from --out's extension, else csv).") var format: TagExport.Format?
    @OptionGroup var output: OutputOptions
    @Option(help: "CSV delimiter: , or ; (Excel in Russian locales expects ;).") var delimiter: String = ","
    @Flag(help: "Start the CSV with a UTF-8 byte-order mark (Excel).") var bom = false

    func validate() throws {
        guard [",", ";"].contains(delimiter) else { throw ValidationError("--delimiter must be , or ;.") }
    }

    func run() throws {
        let template = try source.library().exactTemplate(try global.prompt(prompt))
        let model = try global.model(model)
        let store = try global.existingStore()
        let chosen = format ?? (output.file?.lowercased().hasSuffix(".jsonl") == true ? .jsonl : .csv)
        let rows = try TagExport(tags: store, dialogues: store).rows(template: template, model: model)
        let body = try TagExport.render(rows, format: chosen, delimiter: delimiter, bom: bom)
        if output.file == nil {
            try OutputOptions.print(body, exact: true)
        } else {
            try output.write(body, global: global, note: "exported \(rows.count) tags to \(output.file ?? "")")
        }
    }
}
