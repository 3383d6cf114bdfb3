import ArgumentParser
import ChatTagCore
import Foundation

struct PromptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "List, show and check the versioned prompt templates.",
        discussion: """
            Examples:
              chattag prompts list
              chattag prompts show tagging@2
              chattag prompts check --prompts my-prompts/
            """,
        subcommands: [List.self, Show.self, Check.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Templates with name, version, hash and where they come from.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions

        func run() throws {
            let templates = try source.library().templates
            if global.json {
                try OutputOptions.print(try JSONOutput.text(templates.map(PromptListing.init)))
                return
            }
            try OutputOptions.print(templates.map { "\($0.id)\t\($0.hash.prefix(12))\t\($0.origin)\t\($0.description)" }.joined(separator: "\n"))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one template (NAME@VERSION) with its hash.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions
        @Argument(help: "NAME@VERSION, e.g. tagging@1.", completion: PromptOptions.completion) var id: String

        func run() throws {
            let template = try source.library().template(id)
            try OutputOptions.print("# \(template.id)  hash \(template.hash)  (\(template.origin))\n" + template.text)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Parse every template and report problems (exit 65 when one is broken).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions

        func run() throws {
            let templates = try source.library().templates
            try OutputOptions.print(
                templates.map { "ok  \($0.id)  \($0.taxonomy.fields.map(\.name).joined(separator: ", "))  \($0.origin)" }.joined(separator: "\n"))
        }
    }
}
