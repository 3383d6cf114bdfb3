import ArgumentParser
import ChatTagCore
import Foundation

struct AnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Print text with personal data masked, to check what chattag masks (stdin or a file).",
        discussion: """
            Clients' pseudonyms use the database's key when it exists; otherwise a key made for this one call (no key file is written).

            Examples:
              echo "Мой номер +7 916 123-45-67, Мария" | chattag anonymize
              chattag anonymize message.txt --staff "Анна"
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A text file; standard input when omitted.", completion: .file())
    var file: String?

    @Option(help: "Comma-separated staff names to keep unmasked.")
    var staff: String?

    func run() throws {
        let data: Data
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw UseCaseError.unreadable(path: file, reason: "no such file, or not readable")
            }
            data = contents
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ImportError.invalidUTF8(file: file ?? "stdin", line: 1)
        }
        let anonymizer = Anonymizer(
            names: try NameDictionary.bundled(), pseudonyms: try pseudonyms(), staff: global.names(staff, configured: try global.project().staff))
        try OutputOptions.print(anonymizer.maskDocument(text), exact: true)
    }

    /// The database's key when there is one; a read-only check never creates a key file.
    func pseudonyms() throws -> Pseudonymizer {
        if global.environment["CHATTAG_PSEUDONYM_KEY"] != nil || FileManager.default.fileExists(atPath: global.keyFilePath) {
            return try global.pseudonymizer()
        }
        var generator = SystemRandomNumberGenerator()
        return Pseudonymizer(secret: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
