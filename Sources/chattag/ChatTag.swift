import ArgumentParser
import ChatTagCore
import Foundation

@main
struct ChatTag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chattag",
        abstract: "Tags customer chats with an LLM: import and anonymize exports, tag, validate, report.",
        version: ChatTagVersion.current,
        subcommands: [
            DemoCommand.self, ImportCommand.self, AnonymizeCommand.self, PromptsCommand.self, RunCommand.self, BatchCommand.self, LabelsCommand.self, ValidateCommand.self,
            CompareCommand.self, ReportCommand.self, ExportCommand.self, PruneCommand.self,
        ]
    )

    static func main() async {
        let arguments = GlobalOptions.movingGlobalsAfterSubcommand(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data(("chattag: " + failure.message + "\n").utf8))
            Foundation.exit(failure.code)
        } catch {
            if let code = ExitCodes.code(for: error) {
                FileHandle.standardError.write(Data(("chattag: \(error)\n").utf8))
                Foundation.exit(code)
            }
            // ArgumentParser's own usage errors exit 2, as PRODUCT.md says; help and --version exit 0.
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitCodes.usage)
        }
    }
}

/// An error already printed or worth printing as is, with the exit code it maps to.
struct CommandFailure: Error {
    var message: String
    var code: Int32
}
