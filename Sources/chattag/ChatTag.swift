import ArgumentParser
import ChatTagCore
import Foundation

@main
struct ChatTag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chattag",
        abstract: "Tags customer chats with an LLM: import and anonymize exports, tag, validate, report.",
        discussion: """
            Examples:
              chattag demo
              chattag import "WhatsApp Chat.txt" --staff "Анна,Ольга"
              chattag run -p tagging@1 -m gpt-4.1-mini && chattag report --week last -o week.html
            """,
        version: ChatTagVersion.current,
        subcommands: [
            DemoCommand.self, InitCommand.self, ImportCommand.self, InstrumentCommand.self, AnonymizeCommand.self, PromptsCommand.self, RunCommand.self, BatchCommand.self,
            LabelsCommand.self, ReviewCommand.self, ValidateCommand.self, CompareCommand.self, ReportCommand.self, ExportCommand.self, PruneCommand.self,
            CRMCommand.self,
        ]
    )

    static func main() async {
        // A closed pipe (`chattag … | head -1`) is a write error to report, not a silent death.
        signal(SIGPIPE, SIG_IGN)
        do {
            let arguments = try ArgumentLayout.normalize(Array(CommandLine.arguments.dropFirst()), root: ChatTag.self)
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(with: error)
        }
    }

    /// The one place errors become messages and exit codes: chattag's own errors carry both;
    /// ArgumentParser's usage errors exit 2 (help and --version 0); anything else is an
    /// internal error, 70, described in one line.
    static func exit(with error: Error) -> Never {
        func fail(_ message: String, _ code: ExitStatus) -> Never {
            FileHandle.standardError.write(Data(("chattag: " + message + "\n").utf8))
            Foundation.exit(code.rawValue)
        }
        switch error {
        case let known as ChatTagError:
            fail(known.description, known.exitCode)
        case let unknown as ArgumentLayout.UnknownCommand:
            let command = (["chattag"] + unknown.path).joined(separator: " ")
            let hint = unknown.suggestion.map { " Did you mean '\($0)'?" } ?? ""
            fail("'\(unknown.typed)' is not a \(command) command.\(hint) See `\(command) --help`.", .usage)
        case let file as CocoaError:
            let path = file.filePath ?? (file.userInfo[NSFilePathErrorKey] as? String) ?? "a file"
            let reason = (file.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) } ?? "error \(file.code.rawValue)"
            fail(UseCaseError.cannotWrite(path: path, reason: reason).description, .cannotWrite)
        case let code as ArgumentParser.ExitCode:
            Foundation.exit(code.rawValue)
        default:
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            let line = "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(type(of: error))"
            fail("internal error: \(line). Run again with --verbose and report it with the command you ran.", .internalError)
        }
    }
}
