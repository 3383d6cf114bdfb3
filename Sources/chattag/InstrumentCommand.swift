import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct InstrumentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instrument",
        abstract: "The production instrument: the prompt and model whose tags the weekly report, exports and BI views read.",
        discussion: """
            Experiments (compare, run --limit, another prompt) never move Monday's figures: only a declared change does,
            and the report then says the instrument changed instead of calling the difference a trend.
            A template with the rubric's fields (rubric@1) is declared apart: it feeds «Навыки менеджеров».

            Examples:
              chattag instrument set tagging@2 gpt-4.1-mini
              chattag instrument set tagging@3 gpt-4.1-mini --from 2026-12-07
              chattag instrument set rubric@1 gpt-4.1-mini
              chattag instrument show
            """,
        subcommands: [Set.self, Show.self],
        defaultSubcommand: Show.self)

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare the instrument from a date on (default: today in --tz).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions
        @Argument(help: "The template, NAME@VERSION.", completion: PromptOptions.completion) var prompt: String
        @Argument(help: "The model.") var model: String
        @Option(help: "The first day it counts for, YYYY-MM-DD.") var from: String?

        func run() throws {
            let template = try source.library().exactTemplate(prompt)
            let store = try global.existingStore()
            let declared = try ProductionInstrument(store: store, role: InstrumentRole(template: template)).set(
                template: template, model: model, countsFrom: from, zone: try global.zone())
            let tagged = try store.taggedInstruments().first { $0.instrument == declared.instrument }?.dialogues ?? 0
            global.note(
                (declared.role == .rubric ? "the weekly rubric reads " : "the weekly figures read ") + "\(declared.instrument) from \(declared.countsFrom) on"
                    + (tagged == 0 ? "; nothing is tagged with it yet: run `chattag run -p \(template.id) -m \(model)`" : " (\(tagged) dialogues tagged with it)"))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The declared instruments, oldest first.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let history = try ProductionInstrument(store: try global.existingStore()).allDeclarations()
            if global.json {
                try OutputOptions.print(try JSONOutput.text(history.map(InstrumentListing.init)))
                return
            }
            if history.isEmpty {
                try OutputOptions.print("no instrument declared yet; declare one with `chattag instrument set NAME@VERSION MODEL`")
                return
            }
            try OutputOptions.print(history.map { "from \($0.countsFrom)\t\($0.role.rawValue)\t\($0.instrument)\tdeclared \($0.declaredAt)" }.joined(separator: "\n"))
        }
    }
}
