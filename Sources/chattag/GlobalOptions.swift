import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

/// Options every subcommand takes, before or after the subcommand's name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (env CHATTAG_DB; default ./chattag.db).")
    var db: String?

    @Option(name: .long, help: "Time zone of exports whose times carry no offset, and of report weeks (env CHATTAG_TZ; default Europe/Moscow).")
    var tz: String?

    @Flag(name: .long, help: "Machine-readable JSON on stdout.")
    var json = false

    @Flag(name: .long, help: "Print only errors.")
    var quiet = false

    @Flag(name: .long, help: "Print more detail on stderr.")
    var verbose = false

    static let valued: Set<String> = ["--db", "--tz"]
    static let flags: Set<String> = ["--json", "--quiet", "--verbose"]

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var databasePath: String { db ?? environment["CHATTAG_DB"] ?? "chattag.db" }

    var zoneName: String { tz ?? environment["CHATTAG_TZ"] ?? "Europe/Moscow" }

    /// Where the pseudonym key lives unless CHATTAG_PSEUDONYM_KEY is set: beside the database,
    /// never inside it (env CHATTAG_PSEUDONYM_KEY_FILE overrides).
    var keyFilePath: String { environment["CHATTAG_PSEUDONYM_KEY_FILE"] ?? databasePath + ".key" }

    func zone() throws -> ZoneResolver {
        try ZoneResolver(identifier: zoneName)
    }

    func pseudonymizer() throws -> Pseudonymizer {
        try Pseudonymizer.load(environment: environment, keyFile: keyFilePath)
    }

    func openStore() throws -> ChatTagStore {
        try ChatTagStore(path: databasePath)
    }

    /// Progress and notes for people, on stderr, unless --quiet.
    func note(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// `chattag --db x.db import a.txt` → `chattag import --db x.db a.txt`, so global options
    /// work on either side of the subcommand.
    static func movingGlobalsAfterSubcommand(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if flags.contains(argument) {
                globals.append(argument)
                index += 1
            } else if valued.contains(name) {
                globals.append(argument)
                if !argument.contains("="), index + 1 < arguments.count {
                    globals.append(arguments[index + 1])
                    index += 1
                }
                index += 1
            } else {
                break
            }
        }
        guard !globals.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + globals + arguments[(index + 1)...]
    }
}
