/// What `import` did with one file (the keys listed in docs/json.md under `import`):
/// a chat export's counts, a CRM outcome sheet's counts, or the reason it was refused.
public struct FileImportOutcome: Encodable, Sendable, Equatable {
    public var file: String
    public var format: String?
    public var dialogues: Int?
    public var new: Int?
    public var updated: Int?
    public var unchanged: Int?
    /// Chat exports: stored dialogues merged into a re-segmented one and removed.
    public var superseded: Int?
    public var messages: Int?
    /// Chat files: messages left out on purpose (Telegram's "Saved messages", WhatsApp's
    /// encryption notice).
    public var skipped: Int?
    public var fingerprint: String?
    public var seconds: Double?
    /// Outcome sheets: rows read, and ids not in the database.
    public var outcomes: Int?
    /// Outcome sheets: rows naming a dialogue not in the database (the first 100 are in `unknownIDs`).
    public var unknown: Int?
    public var unknownIDs: [String]?
    /// Refused files: why (the database is unchanged for them).
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case file, format, dialogues, new, updated, unchanged, superseded, messages, skipped, fingerprint, seconds, outcomes, unknown, error
        case unknownIDs = "unknown_ids"
    }

    /// A line for people.
    public var summary: String {
        if let error { return error }
        if format == "outcomes" {
            var text = "\(file): outcomes for \(outcomes ?? 0) dialogues (\(updated ?? 0) changed, \(unchanged ?? 0) unchanged)"
            if let listed = unknownIDs, !listed.isEmpty {
                let count = unknown ?? listed.count
                let shown = listed.prefix(5).joined(separator: ", ") + (count > 5 ? ", …" : "")
                text += "\n  \(count) dialogue ids are not in the database and were skipped (\(shown)); import their chats first"
            }
            return text
        }
        let time = ((seconds ?? 0) * 100).rounded() / 100
        let merged = (superseded ?? 0) > 0 ? ", \(superseded ?? 0) earlier pieces merged" : ""
        let left = (skipped ?? 0) > 0 ? " (\(skipped ?? 0) skipped: notes to self, encryption notices)" : ""
        return
            "\(file): \(format ?? ""), \(dialogues ?? 0) dialogues (\(new ?? 0) new, \(updated ?? 0) updated, \(unchanged ?? 0) unchanged\(merged)), \(messages ?? 0) messages\(left), \(time) s"
    }
}

/// `import --json`: one entry per file, and how many were refused.
public struct ImportOutput: Encodable, Sendable, Equatable {
    public var database: String
    public var files: [FileImportOutcome]
    public var failed: Int
    /// The exit code of the first refused file (not in the JSON).
    public var firstRefusal: ExitStatus?

    enum CodingKeys: String, CodingKey { case database, files, failed }

    /// The error to end with when some file was refused.
    public var refusal: UseCaseError? {
        firstRefusal.map { .filesRefused(count: failed, code: $0) }
    }
}

/// The import use case: each file is parsed, split into dialogues, anonymized and stored
/// in its own transaction (a refused file changes nothing); CRM outcome sheets set the
/// outcome of dialogues already stored.
public struct ChatImport {
    /// `auto` detects chat exports and outcome sheets; `outcomes` forces an outcome sheet.
    public enum Format: String, Sendable, CaseIterable {
        case auto, jsonl, csv, telegram, whatsapp, outcomes
    }

    let store: DialogueStore
    let importer: DialogueImporter
    let anonymizer: Anonymizer
    let clock: Clock

    public init(store: DialogueStore, options: ImportOptions, anonymizer: Anonymizer, clock: Clock = SystemClock()) {
        self.store = store
        self.importer = DialogueImporter(options: options, anonymizer: anonymizer)
        self.anonymizer = anonymizer
        self.clock = clock
        self.zone = options.zone
    }

    let zone: ZoneResolver

    /// Imports every file in order; a refused file is reported and the next one tried.
    /// `onFile` sees each outcome as it is known. Errors other than bad input stop the import.
    /// Outcomes name each file masked like text, so a client's name or phone in a file name
    /// never reaches a log.
    public func run(files: [String], format: Format, database: String, onFile: (FileImportOutcome) -> Void = { _ in }) throws -> ImportOutput {
        var outcomes: [FileImportOutcome] = []
        var firstRefusal: ExitStatus?
        for file in files {
            let outcome: FileImportOutcome
            do {
                if format == .outcomes || (format == .auto && OutcomeSheet.looksLikeOutcomes(path: file)) {
                    outcome = try importOutcomes(file)
                } else {
                    outcome = try importChat(file)
                }
            } catch let error as ChatTagError where error.exitCode == .badInput || error.exitCode == .usage {
                firstRefusal = firstRefusal ?? error.exitCode
                outcome = FileImportOutcome(file: anonymizer.maskDocument(file), error: error.description)
            }
            outcomes.append(outcome)
            onFile(outcome)
        }
        return ImportOutput(database: database, files: outcomes, failed: outcomes.filter { $0.error != nil }.count, firstRefusal: firstRefusal)
    }

    func importChat(_ file: String) throws -> FileImportOutcome {
        let started = clock.monotonicSeconds()
        let name = anonymizer.maskDocument(file.split(separator: "/").last.map(String.init) ?? file)
        var superseded = 0
        let (report, totals) = try store.importFile(name: name, zone: zone) { write in
            try importer.importFile(file) { dialogue in
                try write(dialogue)
                // A chat export's dialogues follow the conversation: one that now holds what an
                // earlier import cut into several replaces those pieces.
                if Self.isChatSource(dialogue.source), let start = dialogue.startedAt?.unixMillis, let end = dialogue.endedAt?.unixMillis {
                    superseded += try store.supersede(source: dialogue.source, within: start...end, keeping: dialogue.id)
                }
            }
        }
        let seconds = ((clock.monotonicSeconds() - started) * 1000).rounded() / 1000
        return FileImportOutcome(
            file: report.file, format: report.format.rawValue, dialogues: report.dialogues, new: totals.inserted, updated: totals.updated,
            unchanged: totals.unchanged, superseded: superseded, messages: report.messages, skipped: report.skipped, fingerprint: report.fingerprint, seconds: seconds)
    }

    static func isChatSource(_ source: String) -> Bool {
        source.hasPrefix("whatsapp:") || source.hasPrefix("telegram:")
    }

    func importOutcomes(_ file: String) throws -> FileImportOutcome {
        let label = anonymizer.maskDocument(file)
        // The same ids the dialogues were stored under (a phone-number id is pseudonymous).
        var count = 0
        let totals = try store.applyOutcomes { apply in
            var chunk: [OutcomeRow] = []
            count = try OutcomeSheet.read(path: file, label: label) { row in
                var row = row
                row.dialogueID = anonymizer.dialogueID(row.dialogueID)
                chunk.append(row)
                if chunk.count >= 10_000 {
                    try apply(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try apply(chunk)
        }
        return FileImportOutcome(
            file: label, format: "outcomes", updated: totals.updated, unchanged: totals.unchanged, outcomes: count, unknown: totals.unknown,
            unknownIDs: totals.unknownIDs)
    }
}
