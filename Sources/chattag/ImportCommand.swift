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
              chattag import "WhatsApp Chat with Мария.zip" --staff "Анна" --max-unzipped-size 4G --max-unzip-ratio 400

            Limits: an archive entry may inflate to at most --max-unzipped-size (default 2G) and --max-unzip-ratio times
            its compressed size (default 200; the first MiB is always allowed); one message may be at most 1 MiB and one
            dialogue 8 MiB of text. Over a limit the file is refused (exit 65) and nothing of it is stored. Only regular
            files are read: a FIFO, a device or a socket is refused at once.
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

    @Option(
        name: .customLong("max-unzipped-size"),
        help: "The most one archive entry may inflate to (e.g. 2G, 500M; default 2G). Sizes written in the archive are never trusted.")
    var maxUnzippedSize: String?

    @Option(
        name: .customLong("max-unzip-ratio"),
        help: "The most an archive entry may inflate per compressed byte, past its first MiB (e.g. 200, the default).")
    var maxUnzipRatio: String?

    func run() throws {
        let project = try global.project()
        var limits = ImportLimits()
        if let text = maxUnzippedSize ?? project.maxUnzippedSize {
            guard let bytes = ImportLimits.parseSize(text), bytes >= 1 << 20 else {
                throw ValidationError("--max-unzipped-size takes a size of at least 1M, such as 2G or 500M (got '\(text)').")
            }
            limits.maxUnzippedBytes = bytes
        }
        if let text = maxUnzipRatio ?? project.maxUnzipRatio {
            guard let ratio = Double(text), ratio >= 1, ratio.isFinite else {
                throw ValidationError("--max-unzip-ratio takes a number of at least 1, such as 200 (got '\(text)').")
            }
            limits.maxUnzipRatio = ratio
        }
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
        var options = ImportOptions(
            format: ExportFormat(rawValue: format.rawValue) ?? .auto, staff: staffNames, bots: botNames, sessionGapSeconds: gap,
            replyWindowSeconds: window, zone: try global.zone())
        options.limits = limits
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
