import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read chat exports, split them into dialogues, anonymize and store them (atomic per file, idempotent).",
        discussion: """
            Formats: canonical JSONL, CSV (one row per message), Telegram Desktop result.json, WhatsApp "Export chat" .txt or .zip,
            and a CRM's CSV of outcomes (header dialogue_id,outcome; booked, not_booked or unknown) for dialogues already imported.
            Raw text is never stored: phones, e-mails, cards, documents, addresses and names become placeholders such as [PHONE_1],
            and clients get keyed pseudonyms (key in CHATTAG_PSEUDONYM_KEY or the file beside the database, <db>.key).

            Examples:
              chattag import "WhatsApp Chat with Мария.txt" --staff "Салон Лилия,Анна"
              chattag import result.json --staff "Ольга" --session-gap 8h
              chattag import outcomes.csv
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Export files to import.", completion: .file())
    var files: [String]

    @Option(name: [.short, .long], help: "The file format.") var format: ChatImport.Format = .auto

    @Option(help: "Comma-separated names of the business's people (their messages are staff, their names are kept).")
    var staff: String?

    @Option(help: "Comma-separated names of the business's bots.")
    var bots: String?

    @Option(
        name: .customLong("session-gap"),
        help: "Once the business has replied (or the client closed), split long chats at gaps longer than this (e.g. 12h, 90m, 2d).")
    var sessionGap: String?

    @Option(
        name: .customLong("reply-window"),
        help: "A client message waiting for a reply keeps its dialogue open this long, so a late reply stays with it (default 7d).")
    var replyWindow: String?

    func run() throws {
        let project = try global.project()
        let gapText = sessionGap ?? project.sessionGap ?? "12h"
        guard let gap = ImportOptions.parseDuration(gapText) else {
            throw ValidationError("--session-gap takes a duration such as 12h, 90m or 2d (got '\(gapText)').")
        }
        let windowText = replyWindow ?? project.replyWindow ?? "7d"
        guard let window = ImportOptions.parseDuration(windowText), window >= gap else {
            throw ValidationError("--reply-window takes a duration at least as long as --session-gap, such as 7d or 72h (got '\(windowText)').")
        }
        let staffNames = global.names(staff, configured: project.staff)
        let botNames = global.names(bots, configured: project.bots)
        let options = ImportOptions(
            format: ExportFormat(rawValue: format.rawValue) ?? .auto, staff: staffNames, bots: botNames, sessionGapSeconds: gap,
            replyWindowSeconds: window, zone: try global.zone())
        let anonymizer = Anonymizer(names: try NameDictionary.bundled(), pseudonyms: try global.pseudonymizer(), staff: staffNames, bots: botNames)
        let store = try global.openStore()
        let output = try ChatImport(store: store, options: options, anonymizer: anonymizer).run(files: files, format: format, database: global.databasePath) {
            outcome in
            if outcome.error != nil {
                FileHandle.standardError.write(Data(("chattag: " + outcome.summary + "\n").utf8))
            } else if !global.json {
                global.note(outcome.summary)
            }
        }
        if global.json {
            try OutputOptions.print(try JSONOutput.text(output))
        } else if output.failed == 0 {
            global.note("database: \(global.databasePath)")
        }
        if let refusal = output.refusal { throw refusal }
    }
}
