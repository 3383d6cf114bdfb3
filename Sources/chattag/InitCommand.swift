import ArgumentParser
import ChatTagCore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented project file (chattag.toml) with the database, zone, staff, default prompt and model, endpoint and prices.",
        discussion: """
            Command-line flags beat environment variables, which beat the file. An existing file is never overwritten.

            Examples:
              chattag init
              chattag init --path salon/chattag.toml
            """)

    @Option(help: "Where to write the file.") var path: String = ProjectFile.defaultName

    func run() throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw UseCaseError.badOption("\(path) already exists; edit it, or remove it and run `chattag init` again.")
        }
        try OutputOptions(out: path).write(ProjectFile.template, global: GlobalOptions())
        FileHandle.standardError.write(Data("wrote \(path); edit it, then run `chattag import FILE…`\n".utf8))
    }
}
