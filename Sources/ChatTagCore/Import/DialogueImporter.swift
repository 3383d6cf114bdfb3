/// What one imported file held.
public struct FileImportReport: Sendable, Equatable {
    public var file: String
    public var format: ExportFormat
    public var dialogues = 0
    public var messages = 0
    /// SHA-256 of the file's bytes, to recognise the same export imported twice.
    public var fingerprint = ""

    public init(file: String, format: ExportFormat, dialogues: Int = 0, messages: Int = 0, fingerprint: String = "") {
        self.file = file
        self.format = format
        self.dialogues = dialogues
        self.messages = messages
        self.fingerprint = fingerprint
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

    /// Reads `path` and calls `emit` with each anonymized dialogue, in file order.
    /// Throws ``ImportError`` for bad input; the caller rolls back what it wrote.
    @discardableResult
    public func importFile(_ path: String, emit: (Dialogue) throws -> Void) throws -> FileImportReport {
        try withoutActuallyEscaping(emit) { emit in try importFile(path, escapingEmit: emit) }
    }

    private func importFile(_ path: String, escapingEmit emit: @escaping (Dialogue) throws -> Void) throws -> FileImportReport {
        let file = try MappedFile(path: path)
        guard !file.bytes.isEmpty else { throw ImportError.empty(file: path) }
        var format = options.format
        if format == .auto {
            guard let detected = FormatDetector.detect(file.bytes) else { throw ImportError.unknownFormat(file: path) }
            format = detected
        }
        var report = FileImportReport(file: path, format: format)
        report.fingerprint = Digest.sha256Hex(file.bytes)
        let baseName = (path as NSString).lastPathComponent
        var sawBusinessSide = false
        var authors: [String] = []
        var authorSet: Set<String> = []
        let isChat = format == .telegram || format == .whatsapp
        let prefix = format == .telegram ? "tg" : "wa"
        let handle: (RawDialogue) throws -> Void = { raw in
            let source: String
            if isChat {
                source = "\(format.rawValue):chat-" + anonymizer.pseudonyms.tag("chat|" + raw.chatKey)
                for message in raw.messages {
                    let role = anonymizer.role(of: message, ownerIDs: raw.ownerIDs)
                    if role == .staff || role == .bot { sawBusinessSide = true }
                    if role == .client, authorSet.insert(message.author).inserted { authors.append(message.author) }
                }
            } else {
                source = "\(format.rawValue):\(baseName)"
            }
            let dialogue = anonymizer.anonymize(raw, source: source, idPrefix: prefix)
            report.dialogues += 1
            report.messages += dialogue.messages.count
            try emit(dialogue)
        }
        switch format {
        case .jsonl:
            try JSONLDialogues(file: file, options: options).read(handle)
        case .csv:
            try CSVDialogues(file: file, options: options).read(handle)
        case .telegram:
            try TelegramExport(file: file, options: options).read(handle)
        case .whatsapp:
            if ZipArchive.isZip(file.bytes) {
                let (name, text) = try ZipArchive(bytes: file.bytes, path: path).chatText()
                let chatKey = "whatsapp|" + ((name as NSString).lastPathComponent as NSString).deletingPathExtension
                try text.withUnsafeBufferPointer { buffer in
                    try WhatsAppText(bytes: buffer, path: path, chatKey: chatKey, options: options).read(handle)
                }
            } else {
                let chatKey = "whatsapp|" + (baseName as NSString).deletingPathExtension
                var reader = WhatsAppText(bytes: file.bytes, path: path, chatKey: chatKey, options: options)
                reader.release = { file.releaseConsumed(upTo: $0) }
                try reader.read(handle)
            }
        case .auto:
            throw ImportError.unknownFormat(file: path)
        }
        if isChat, report.dialogues > 0, !sawBusinessSide {
            throw ImportError.noStaff(file: path, authors: authors)
        }
        return report
    }
}

import Foundation
