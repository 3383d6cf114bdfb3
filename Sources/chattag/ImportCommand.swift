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
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Export files to import.")
    var files: [String]

    @Option(help: "auto, jsonl, csv, telegram, whatsapp or outcomes.")
    var format: String = "auto"

    @Option(help: "Comma-separated names of the business's people (their messages are staff, their names are kept).")
    var staff: String?

    @Option(help: "Comma-separated names of the business's bots.")
    var bots: String?

    @Option(name: .customLong("session-gap"), help: "Split long chats into dialogues at gaps longer than this (e.g. 12h, 90m, 2d).")
    var sessionGap: String = "12h"

    func validate() throws {
        guard ExportFormat(rawValue: format) != nil || format == "outcomes" else {
            throw ValidationError("--format must be one of auto, jsonl, csv, telegram, whatsapp, outcomes (got '\(format)').")
        }
        guard ImportOptions.parseDuration(sessionGap) != nil else {
            throw ValidationError("--session-gap takes a duration such as 12h, 90m or 2d (got '\(sessionGap)').")
        }
    }

    static func names(_ list: String?) -> [String] {
        (list ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() throws {
        let staffNames = Self.names(staff)
        let botNames = Self.names(bots)
        let options = ImportOptions(
            format: ExportFormat(rawValue: format) ?? .auto, staff: staffNames, bots: botNames,
            sessionGapSeconds: ImportOptions.parseDuration(sessionGap) ?? 43_200, zone: try global.zone())
        let anonymizer = Anonymizer(names: try NameDictionary.bundled(), pseudonyms: try global.pseudonymizer(), staff: staffNames, bots: botNames)
        let importer = DialogueImporter(options: options, anonymizer: anonymizer)
        let store = try global.openStore()
        var results: [[String: Any]] = []
        var failures: [Error] = []
        for file in files {
            do {
                if format == "outcomes" || (format == "auto" && OutcomeSheet.looksLikeOutcomes(path: file)) {
                    results.append(try importOutcomes(file, store: store))
                    continue
                }
                let started = Date()
                let (report, totals) = try store.importFile(name: anonymizer.maskDocument((file as NSString).lastPathComponent), zone: options.zone) { write in
                    try importer.importFile(file, emit: write)
                }
                let seconds = Date().timeIntervalSince(started)
                results.append([
                    "file": file, "format": report.format.rawValue, "dialogues": report.dialogues, "new": totals.inserted,
                    "updated": totals.updated, "unchanged": totals.unchanged, "messages": report.messages,
                    "fingerprint": report.fingerprint, "seconds": (seconds * 1000).rounded() / 1000,
                ])
                if !global.json {
                    global.note(
                        "\(file): \(report.format.rawValue), \(report.dialogues) dialogues (\(totals.inserted) new, \(totals.updated) updated, \(totals.unchanged) unchanged), \(report.messages) messages, \(String(format: "%.2f", seconds)) s"
                    )
                }
            } catch {
                guard ExitCodes.code(for: error) != nil else { throw error }
                failures.append(error)
                results.append(["file": file, "error": "\(error)"])
                FileHandle.standardError.write(Data(("chattag: \(error)\n").utf8))
            }
        }
        if global.json {
            let summary: [String: Any] = ["database": global.databasePath, "files": results, "failed": failures.count]
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else if failures.isEmpty {
            global.note("database: \(global.databasePath)")
        }
        if let first = failures.first {
            throw CommandFailure(
                message: failures.count == 1
                    ? "1 file was not imported; the database is unchanged for it." : "\(failures.count) files were not imported; the database is unchanged for them.",
                code: ExitCodes.code(for: first) ?? ExitCodes.badInput)
        }
    }

    /// Loads a CRM's outcomes in one transaction: a bad row changes nothing.
    func importOutcomes(_ file: String, store: ChatTagStore) throws -> [String: Any] {
        let rows = try OutcomeSheet.read(path: file)
        let totals = try store.database.transaction { try store.dialogues.apply(rows) }
        if !global.json {
            global.note("\(file): outcomes for \(rows.count) dialogues (\(totals.updated) changed, \(totals.unchanged) unchanged)")
            if !totals.unknownIDs.isEmpty {
                let shown = totals.unknownIDs.prefix(5).joined(separator: ", ") + (totals.unknownIDs.count > 5 ? ", …" : "")
                global.note("  \(totals.unknownIDs.count) dialogue ids are not in the database and were skipped (\(shown)); import their chats first")
            }
        }
        return [
            "file": file, "format": "outcomes", "outcomes": rows.count, "updated": totals.updated, "unchanged": totals.unchanged,
            "unknown_ids": totals.unknownIDs,
        ]
    }
}
