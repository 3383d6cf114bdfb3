import ArgumentParser
import ChatTagCore
import Foundation

/// Where templates come from: shipped ones, `./prompts`, then `--prompts` or `CHATTAG_PROMPTS`.
struct PromptOptions: ParsableArguments {
    @Option(name: .long, help: "A folder of extra prompt templates (env CHATTAG_PROMPTS); ./prompts is read too.")
    var prompts: String?

    func library() throws -> PromptLibrary {
        var directories = ["prompts"]
        if let extra = prompts ?? ProcessInfo.processInfo.environment["CHATTAG_PROMPTS"] { directories.append(extra) }
        return try PromptLibrary(directories: directories)
    }
}

struct PromptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "List, show and check the versioned prompt templates.",
        subcommands: [List.self, Show.self, Check.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Templates with name, version, hash and where they come from.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions

        func run() throws {
            let templates = try source.library().templates
            if global.json {
                let rows = templates.map { ["name": $0.name, "version": $0.version, "hash": $0.hash, "path": $0.origin, "description": $0.description] }
                print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
                return
            }
            for template in templates {
                print("\(template.id)\t\(template.hash.prefix(12))\t\(template.origin)\t\(template.description)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one template (NAME@VERSION) with its hash.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions
        @Argument(help: "NAME@VERSION, e.g. tagging@1.") var id: String

        func run() throws {
            let template = try source.library().template(id)
            print("# \(template.id)  hash \(template.hash)  (\(template.origin))")
            print(template.text, terminator: template.text.hasSuffix("\n") ? "" : "\n")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Parse every template and report problems (exit 65 when one is broken).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var source: PromptOptions

        func run() throws {
            let templates = try source.library().templates
            for template in templates {
                print("ok  \(template.id)  \(template.taxonomy.fields.map(\.name).joined(separator: ", "))  \(template.origin)")
            }
        }
    }
}
