import Foundation

/// What one imported file held.
public struct FileImportReport: Sendable, Equatable {
    public var file: String
    public var format: ExportFormat
    public var dialogues = 0
    public var messages = 0
    /// SHA-256 of the file's bytes, to recognise the same export imported twice.
    public var fingerprint = ""
    /// Messages left out on purpose: Telegram's "Saved messages" (notes to self) and
    /// WhatsApp's end-to-end encryption notice.
    public var skipped = 0

    public init(file: String, format: ExportFormat, dialogues: Int = 0, messages: Int = 0, fingerprint: String = "", skipped: Int = 0) {
        self.file = file
        self.format = format
        self.dialogues = dialogues
        self.messages = messages
        self.fingerprint = fingerprint
        self.skipped = skipped
    }
}

/// The import stage: reads an export in any supported format, splits long chats into
/// dialogues, anonymizes each one and hands it on. Nothing raw leaves this type.
///
/// ```swift
/// let importer = DialogueImporter(options: options, anonymizer: anonymizer)
/// let report = try importer.importFile("chat.txt") { dialogue in try sink.write(dialogue) }
/// ```
public struct DialogueImporter: Sendable {
    public let options: ImportOptions
    public let anonymizer: Anonymizer

    public init(options: ImportOptions, anonymizer: Anonymizer) {
        self.options = options
        self.anonymizer = anonymizer
    }

    /// Dialogues anonymized together: big enough to keep both cores busy, small enough
    /// that memory does not grow with the file.
    static let batchSize = 512

    /// Reads `path` and calls `emit` with each anonymized dialogue, in file order.
    /// Throws ``ImportError`` for bad input; the caller rolls back what it wrote.
    @discardableResult
    public func importFile(_ path: String, emit: (Dialogue) throws -> Void) throws -> FileImportReport {
        try withoutActuallyEscaping(emit) { emit in try importFile(path, escapingEmit: emit) }
    }

    private func importFile(_ realPath: String, escapingEmit emit: @escaping (Dialogue) throws -> Void) throws -> FileImportReport {
        // File names can carry a client's name or phone ("WhatsApp Chat with +7 916 …"): every
        // message names the file masked like text.
        let path = anonymizer.maskDocument(realPath)
        let file = try MappedFile(path: realPath, label: path)
        guard !file.bytes.isEmpty else { throw ImportError.empty(file: path) }
        var format = options.format
        if format == .auto {
            guard let detected = FormatDetector.detect(file.bytes) else { throw ImportError.unknownFormat(file: path) }
            format = detected
        }
        // JSONL and CSV say who is staff in every row: those names are kept in text as
        // `--staff` names are, whichever dialogue mentions them.
        let anonymizer = format == .jsonl || format == .csv ? self.anonymizer.keeping(try businessAuthors(format: format, file: file)) : self.anonymizer
        var report = FileImportReport(file: path, format: format)
        let fingerprint = FileFingerprint(file: file)
        let baseName = (realPath as NSString).lastPathComponent
        var sawBusinessSide = false
        var authors: [String] = []
        var authorSet: Set<String> = []
        let isChat = format == .telegram || format == .whatsapp
        let prefix = format == .telegram ? "tg" : "wa"
        // Export file names can carry a client's name ("WhatsApp Chat with …"): masked like text.
        let fixedSource = "\(format.rawValue):" + anonymizer.maskDocument(baseName)
        let pipeline = ImportPipeline(
            workers: ProcessInfo.processInfo.activeProcessorCount,
            transform: { [anonymizer, format] batch, cache in
                Self.anonymize(batch.dialogues, anonymizer: anonymizer, cache: &cache, isChat: isChat, format: format, fixedSource: fixedSource, prefix: prefix)
            },
            emit: { result in
                if result.sawBusinessSide { sawBusinessSide = true }
                // Only the first few are ever shown (a chat with no staff), so only they are kept.
                for author in result.clientAuthors where authors.count < 12 && authorSet.insert(author).inserted { authors.append(author) }
                for dialogue in result.dialogues {
                    report.dialogues += 1
                    report.messages += dialogue.messages.count
                    try emit(dialogue)
                }
            })
        var pending: [RawDialogue] = []
        var pendingBytes = 0
        pending.reserveCapacity(Self.batchSize)
        let latest = options.clock.nowUnixMillis() + 86_400_000
        let handle: (RawDialogue) throws -> Void = { raw in
            pendingBytes += try Self.checkMessages(raw, file: path, latest: latest, ordered: raw.id != nil)
            pending.append(raw)
            // Bounded by bytes as well as by count, so batches of long messages keep memory flat.
            if pending.count >= Self.batchSize || pendingBytes >= ImportLimits.batchBytes {
                try pipeline.submit(pending)
                pending.removeAll(keepingCapacity: true)
                pendingBytes = 0
            }
        }
        do {
            report.skipped = try read(format: format, file: file, path: path, baseName: baseName, handle: handle)
            if !pending.isEmpty { try pipeline.submit(pending) }
        } catch {
            try? pipeline.finish(cancelling: true)
            throw error
        }
        try pipeline.finish()
        report.fingerprint = fingerprint.wait()
        if isChat, report.dialogues > 0, !sawBusinessSide {
            throw ImportError.noStaff(file: path, authors: authors)
        }
        return report
    }

    /// 2000-01-01T00:00:00Z: no business chat of this product's users is older.
    static let earliestMillis: Int64 = 946_684_800_000

    /// Impossible times are bad input, named by line: before 2000, more than a day in the
    /// future, or (in JSONL and CSV, where the file orders the messages) more than a minute
    /// earlier than the message before. Reports never see a negative duration. So are
    /// messages over ``ImportLimits/maxMessageBytes`` and dialogues over
    /// ``ImportLimits/maxDialogueBytes``. Returns the dialogue's weight in bytes (``ImportLimits/weight(of:)``).
    static func checkMessages(_ raw: RawDialogue, file: String, latest: Int64, ordered: Bool) throws -> Int {
        var previous: RawMessage?
        var total = 0
        for message in raw.messages {
            let size = message.text.utf8.count
            guard size <= ImportLimits.maxMessageBytes else {
                throw ImportError.messageTooLong(file: file, line: message.line, limit: ImportLimits.maxMessageBytes)
            }
            total += ImportLimits.weight(of: message)
            guard total <= ImportLimits.maxDialogueBytes else {
                throw ImportError.dialogueTooLarge(file: file, line: raw.messages.first?.line ?? message.line, limit: ImportLimits.maxDialogueBytes)
            }
            let millis = message.at.unixMillis
            guard millis >= earliestMillis, millis <= latest else {
                throw ImportError.malformed(
                    file: file, line: message.line, problem: "the message's time is before 2000-01-01 or more than a day in the future",
                    fix: "Fix the date (or export the chat again): chattag refuses impossible times rather than count them.")
            }
            if ordered, let previous, millis < previous.at.unixMillis - 60_000 {
                throw ImportError.malformed(
                    file: file, line: message.line,
                    problem: "the message is dated \(message.at.iso8601), earlier than the message before it (line \(previous.line), \(previous.at.iso8601))",
                    fix: "Put each dialogue's messages in time order (a minute of clock difference is allowed).")
            }
            previous = message
        }
        return total
    }

    /// The authors a JSONL or CSV file gives the staff or bot role, read in a first pass.
    private func businessAuthors(format: ExportFormat, file: MappedFile) throws -> [String] {
        if format == .jsonl { return try JSONLDialogues(file: file, options: options).businessAuthors().sorted() }
        var names: Set<String> = []
        try CSVDialogues(file: file, options: options).read { raw in
            for message in raw.messages where message.role == .staff || message.role == .bot { names.insert(message.author) }
        }
        file.restartPass()
        return names.sorted()
    }

    /// Reads the file; returns how many messages were skipped on purpose.
    private func read(format: ExportFormat, file: MappedFile, path: String, baseName: String, handle: @escaping (RawDialogue) throws -> Void) throws -> Int {
        switch format {
        case .jsonl:
            try JSONLDialogues(file: file, options: options).read(handle)
        case .csv:
            try CSVDialogues(file: file, options: options).read(handle)
        case .telegram:
            return try TelegramExport(file: file, options: options).read(handle)
        case .whatsapp:
            var text = file
            var chatName = baseName
            if ZipArchive.isZip(file.bytes) {
                var archive = ZipArchive(bytes: file.bytes, path: path, limits: options.limits)
                archive.maskName = { [anonymizer] in anonymizer.maskDocument($0) }
                let (name, inflated) = try archive.chatText()
                // iOS names the text `_chat.txt` in every archive: the archive's name tells the chat.
                let inner = (name as NSString).lastPathComponent
                if !inner.hasPrefix("_chat") { chatName = inner }
                text = inflated
            }
            var reader = WhatsAppText(bytes: text.bytes, path: path, chatKey: Self.whatsAppChatKey(fileName: chatName), options: options)
            reader.release = { text.releaseConsumed(upTo: $0) }
            reader.restart = { text.restartPass() }
            return try withExtendedLifetime(text) { try reader.read(handle) }
        case .auto:
            throw ImportError.unknownFormat(file: path)
        }
        return 0
    }

    /// What identifies a WhatsApp chat across weekly exports: its file name without the
    /// extension, the "WhatsApp Chat with"/"Чат WhatsApp с" wording, and the " (1)" or
    /// " copy" a second download adds — so next week's export of the same chat updates
    /// the dialogues it already has instead of adding copies.
    static func whatsAppChatKey(fileName: String) -> String {
        var name = (fileName as NSString).deletingPathExtension.trimmingCharacters(in: .whitespaces)
        while true {
            let trimmed = name.replacingOccurrences(of: #"\s*(\(\d+\)|-\s*copy|\s+copy|\s+копия)$"#, with: "", options: [.regularExpression, .caseInsensitive])
            if trimmed == name { break }
            name = trimmed
        }
        for prefix in ["WhatsApp Chat with ", "WhatsApp Chat - ", "Чат WhatsApp с ", "Чат WhatsApp - ", "WhatsApp-чат с "] where name.lowercased().hasPrefix(prefix.lowercased()) {
            name = String(name.dropFirst(prefix.count))
            break
        }
        return "whatsapp|" + name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Anonymizes one batch (on a pipeline thread) and notes who spoke for the business.
    static func anonymize(_ batch: [RawDialogue], anonymizer: Anonymizer, cache: inout AuthorCache, isChat: Bool, format: ExportFormat, fixedSource: String, prefix: String)
        -> ImportPipeline.Result
    {
        var result = ImportPipeline.Result(dialogues: [], sawBusinessSide: false, clientAuthors: [])
        result.dialogues.reserveCapacity(batch.count)
        var seen: Set<String> = []
        var chatSources: [String: String] = [:]
        for raw in batch {
            var source = fixedSource
            if isChat {
                if let known = chatSources[raw.chatKey] {
                    source = known
                } else {
                    source = "\(format.rawValue):chat-" + anonymizer.pseudonyms.tag("chat|" + raw.chatKey)
                    chatSources[raw.chatKey] = source
                }
            }
            let dialogue = anonymizer.anonymize(raw, source: source, idPrefix: prefix, cache: &cache)
            if isChat {
                for (rawMessage, message) in zip(raw.messages, dialogue.messages) {
                    if message.role == .staff || message.role == .bot { result.sawBusinessSide = true }
                    if message.role == .client, seen.insert(rawMessage.author).inserted { result.clientAuthors.append(rawMessage.author) }
                }
            }
            result.dialogues.append(dialogue)
        }
        return result
    }
}
