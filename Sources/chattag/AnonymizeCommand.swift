import ArgumentParser
import ChatTagCore
import Foundation

struct AnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Print text with personal data masked, to check what chattag masks (stdin or a file).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A text file; standard input when omitted.")
    var file: String?

    @Option(help: "Comma-separated staff names to keep unmasked.")
    var staff: String?

    func run() throws {
        let data: Data
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw CommandFailure(message: "\(file): cannot read the file. Check the path.", code: ExitCodes.badInput)
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure(message: "\(file ?? "stdin"): the text is not valid UTF-8. Save it as UTF-8 and try again.", code: ExitCodes.badInput)
        }
        let anonymizer = Anonymizer(names: try NameDictionary.bundled(), pseudonyms: try global.pseudonymizer(), staff: ImportCommand.names(staff))
        FileHandle.standardOutput.write(Data(anonymizer.maskDocument(text).utf8))
    }
}
