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

    /// Shell completion of NAME@VERSION: the shipped templates and those in ./prompts.
    static var completion: CompletionKind {
        .custom { (_: [String], _: Int, _: String) -> [String] in
            ((try? PromptLibrary(directories: ["prompts"]).templates) ?? []).map(\.id)
        }
    }
}
