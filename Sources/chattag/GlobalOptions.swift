import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation
import Synchronization

/// Options every subcommand takes, before or after any subcommand's name (see
/// ``ArgumentLayout``). Each setting is read from the flag, else the environment, else the
/// project file (`chattag.toml` or `--config`), else its default.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (env CHATTAG_DB; default ./chattag.db).")
    var db: String?

    @Option(name: .long, help: "Time zone of exports whose times carry no offset, and of report weeks (env CHATTAG_TZ; default Europe/Moscow).")
    var tz: String?

    @Option(name: .long, help: "The project file (default ./chattag.toml when it exists).")
    var config: String?

    @Flag(name: .long, help: "Machine-readable JSON on stdout.")
    var json = false

    @Option(name: .long, help: "Language of reports and pages: ru or en (env CHATTAG_LANG; default ru). JSON keys and export files never change.")
    var lang: OutputLanguage?

    @Flag(name: [.short, .long], help: "Print only errors.")
    var quiet = false

    @Flag(name: .long, help: "Print more detail on stderr.")
    var verbose = false

    /// Global options that take a value, and flags, as ``ArgumentLayout`` moves them.
    static let valued: Set<String> = ["--db", "--tz", "--config", "--lang"]
    static let flags: Set<String> = ["--json", "--quiet", "-q", "--verbose"]

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The project file's settings; empty when there is none. Read and parsed once per
    /// process: every setting below asks for it.
    func project() throws -> ProjectFile {
        let path = config ?? ProjectFile.defaultName
        return try Self.projects.withLock { cache in
            if let known = cache[path] { return try known.get() }
            let loaded = Result { try Self.load(path, named: config != nil) }
            cache[path] = loaded
            return try loaded.get()
        }
    }

    private static let projects = Mutex<[String: Result<ProjectFile, Error>]>([:])

    private static func load(_ path: String, named: Bool) throws -> ProjectFile {
        guard FileManager.default.fileExists(atPath: path) else {
            if named { throw UseCaseError.unreadable(path: path, reason: "no such file") }
            return ProjectFile()
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw UseCaseError.unreadable(path: path, reason: "not a readable UTF-8 file")
        }
        return try ProjectFile.parse(text, file: path)
    }

    var databasePath: String { db ?? environment["CHATTAG_DB"] ?? (try? project().db) ?? "chattag.db" }

    /// The review threshold: the flag, else CHATTAG_REVIEW_BELOW, else `review_below` in the project file; nil: no review.
    func reviewBelow(_ flag: Double?) throws -> Double? {
        if let flag { return flag }
        if let text = environment["CHATTAG_REVIEW_BELOW"] {
            guard let value = Double(text), value > 0, value <= 1 else {
                throw UseCaseError.badOption("CHATTAG_REVIEW_BELOW takes a confidence between 0 and 1, such as 0.7 (got '\(text)').")
            }
            return value
        }
        return try project().reviewBelow
    }

    /// The language of human-facing output: --lang, else CHATTAG_LANG, else Russian.
    var language: OutputLanguage { lang ?? OutputLanguage(environmentValue: environment["CHATTAG_LANG"]) ?? .ru }

    var zoneName: String { tz ?? environment["CHATTAG_TZ"] ?? (try? project().tz) ?? "Europe/Moscow" }

    /// Where the pseudonym key lives unless CHATTAG_PSEUDONYM_KEY is set: beside the database,
    /// never inside it (env CHATTAG_PSEUDONYM_KEY_FILE overrides).
    var keyFilePath: String { environment["CHATTAG_PSEUDONYM_KEY_FILE"] ?? databasePath + ".key" }

    func zone() throws -> ZoneResolver {
        try ZoneResolver(identifier: zoneName)
    }

    /// The pseudonym key, created beside the database on first use (import).
    func pseudonymizer() throws -> Pseudonymizer {
        try Pseudonymizer.load(environment: environment, keyFile: keyFilePath)
    }

    /// The database for a command that writes (import, run, labels import, …): created when missing.
    func openStore() throws -> ChatTagStore {
        _ = try project()  // a broken project file is an error, never a silent fallback to defaults
        return try ChatTagStore(path: databasePath)
    }

    /// The database for a command that only reads: a missing one is an error, never created.
    func existingStore() throws -> ChatTagStore {
        _ = try project()
        return try ChatTagStore.existing(path: databasePath)
    }

    /// Progress and notes for people, on stderr, unless --quiet.
    func note(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// The production instrument in effect today, when the database declares one.
    func declaredInstrument() throws -> Instrument? {
        guard FileManager.default.fileExists(atPath: databasePath) else { return nil }
        let today = ChatTime(unixMillis: SystemClock().nowUnixMillis(), offsetSeconds: 0).iso8601.prefix(10).description
        return try ProductionInstrument(store: try existingStore()).inEffect(on: today)
    }

    /// The prompt a command uses: `--prompt`, else the project file's, else the declared instrument's.
    func prompt(_ flag: String?) throws -> String {
        if let flag { return flag }
        if let configured = try project().prompt { return configured }
        if let declared = try declaredInstrument() { return "\(declared.promptName)@\(declared.promptVersion)" }
        throw ValidationError(
            "name the template with --prompt NAME@VERSION (or set prompt in chattag.toml, or declare `chattag instrument set`; `chattag prompts list` shows them).")
    }

    /// The model a command uses: `--model`, else the project file's, else the declared instrument's.
    func model(_ flag: String?) throws -> String {
        if let flag { return flag }
        if let configured = try project().model { return configured }
        if let declared = try declaredInstrument() { return declared.model }
        throw ValidationError("name the model with --model (or set model in chattag.toml, or declare `chattag instrument set`; `baseline` is the offline tagger).")
    }

    /// Prices: the built-in list, the project file's, then a JSON file (`--prices` or CHATTAG_PRICES).
    func prices(file: String?) throws -> PriceTable {
        var table = PriceTable()
        for (model, price) in try project().prices { table.set(model: model, input: price.input, output: price.output) }
        if let file = file ?? environment["CHATTAG_PRICES"] { try table.merge(file: file) }
        return table
    }

    /// Names from a comma-separated flag, else the project file's list.
    func names(_ flag: String?, configured: [String]?) -> [String] {
        guard let flag else { return configured ?? [] }
        return flag.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
