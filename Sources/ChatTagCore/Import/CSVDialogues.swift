import Foundation

/// Reads one-row-per-message CSV: header `dialogue_id,at,role,author,text[,channel]`,
/// RFC 4180 quoting (quoted fields may span lines), UTF-8 with or without BOM, delimiter
/// `,` `;` or tab detected from the header.
struct CSVDialogues {
    static let maxRecordBytes = 1 << 20
    static let required = ["dialogue_id", "at", "role", "author", "text"]

    let file: MappedFile
    let options: ImportOptions

    func read(_ emit: (RawDialogue) throws -> Void) throws {
        var records = CSVRecordReader(bytes: file.bytes, file: file.path, maxRecordBytes: Self.maxRecordBytes)
        guard let header = try records.next() else { throw ImportError.empty(file: file.path) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var column: [String: Int] = [:]
        for (index, name) in names.enumerated() where column[name] == nil { column[name] = index }
        let missing = Self.required.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw ImportError.malformed(
                file: file.path, line: 1,
                problem: "the CSV header lacks \(missing.joined(separator: ", ")) (it has \(names.count) columns)",
                fix: "The first row must be dialogue_id,at,role,author,text[,channel].")
        }
        var current: RawDialogue?
        var currentBytes = 0
        var finished = SeenIDs()
        var currentStart = 0
        let idColumn = column["dialogue_id"] ?? 0
        let delimiter = records.delimiter
        /// The dialogue id of the record starting at `offset` (read again only to confirm a repeat).
        func id(ofRecordAt offset: Int) -> String? {
            var reader = CSVRecordReader(bytes: file.bytes, file: file.path, maxRecordBytes: Self.maxRecordBytes)
            reader.position = offset
            reader.delimiter = delimiter
            guard let record = try? reader.next(), idColumn < record.fields.count else { return nil }
            return record.fields[idColumn]
        }
        func field(_ record: CSVRecord, _ name: String) -> String? {
            guard let index = column[name], index < record.fields.count else { return nil }
            return record.fields[index]
        }
        while let record = try records.next() {
            if record.fields.count == 1 && record.fields[0].isEmpty { continue }
            guard record.fields.count >= Self.required.count else {
                throw ImportError.malformed(
                    file: file.path, line: record.line, problem: "the row has \(record.fields.count) fields, the header \(names.count)",
                    fix: "Quote fields that contain the delimiter or line breaks (\"…\").")
            }
            // More fields than the header: an unquoted delimiter cut a text, and the rest would be lost.
            guard record.fields.count <= names.count || record.fields[names.count...].allSatisfy(\.isEmpty) else {
                throw ImportError.malformed(
                    file: file.path, line: record.line, problem: "the row has \(record.fields.count) fields, the header \(names.count)",
                    fix: "Quote fields that contain the delimiter or line breaks (\"…\"), so no text is cut.")
            }
            let id = field(record, "dialogue_id") ?? ""
            guard !id.isEmpty else {
                throw ImportError.malformed(file: file.path, line: record.line, problem: "the row has an empty dialogue_id", fix: "Fill in the dialogue id.")
            }
            let atText = field(record, "at") ?? ""
            guard let at = ChatTime.parseISO8601(Substring(atText.trimmingCharacters(in: .whitespaces)), zone: options.zone) else {
                throw ImportError.malformed(
                    file: file.path, line: record.line, problem: "the \"at\" field (\(atText.count) characters) is not a time",
                    fix: "Write times as ISO-8601, e.g. 2025-01-05T14:00:00+03:00.")
            }
            let roleText = (field(record, "role") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard let role = Role(rawValue: roleText) else {
                throw ImportError.malformed(file: file.path, line: record.line, problem: "the \"role\" field is not a known role", fix: "Use one of client, staff, bot, system.")
            }
            let message = RawMessage(at: at, author: field(record, "author") ?? "", role: role, text: field(record, "text") ?? "", line: record.line)
            if current?.id == id {
                // Bounded while it grows: rows of one dialogue are held until the next one starts.
                currentBytes += ImportLimits.weight(of: message)
                guard currentBytes <= ImportLimits.maxDialogueBytes else {
                    throw ImportError.dialogueTooLarge(file: file.path, line: current?.messages.first?.line ?? record.line, limit: ImportLimits.maxDialogueBytes)
                }
                current?.messages.append(message)
                continue
            }
            currentBytes = ImportLimits.weight(of: message)
            if let done = current {
                try finished.remember(done.id ?? "", at: currentStart, file: file.path, line: record.line)
                try emit(done)
                file.releaseConsumed(upTo: record.startOffset)
            }
            currentStart = record.startOffset
            if finished.earlierUse(of: id, idAt: id(ofRecordAt:)) != nil {
                throw ImportError.malformed(
                    file: file.path, line: record.line, problem: "the rows of this row's dialogue are not together (it appeared earlier)",
                    fix: "Sort the file by dialogue_id, then at, and import it again.")
            }
            var outcome: Outcome?
            if let text = field(record, "outcome"), !text.isEmpty {
                guard let parsed = Outcome(rawValue: text) else {
                    throw ImportError.malformed(
                        file: file.path, line: record.line, problem: "the \"outcome\" field is not a known outcome", fix: "Use booked, not_booked or unknown, or leave it empty.")
                }
                outcome = parsed
            }
            let channel = field(record, "channel").flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
            current = RawDialogue(id: id, channel: channel, business: field(record, "business"), chatKey: id, messages: [message], outcome: outcome)
        }
        if let done = current { try emit(done) }
    }
}

/// One CSV record with the line it starts on.
struct CSVRecord {
    var fields: [String]
    var line: Int
    var startOffset: Int
}

/// An RFC 4180 record reader over bytes.
struct CSVRecordReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    let maxRecordBytes: Int
    var position = 0
    var line = 1
    var delimiter: UInt8 = 0x2C

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, maxRecordBytes: Int) {
        self.bytes = bytes
        self.file = file
        self.maxRecordBytes = maxRecordBytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        delimiter = Self.detectDelimiter(bytes, from: position)
    }

    /// Line breaks in a field before its first byte that is not UTF-8, so an encoding error
    /// inside a quoted multi-line field names its own line.
    static func lineBreaksBeforeInvalidUTF8(_ field: [UInt8]) -> Int {
        var breaks = 0
        var index = 0
        while index < field.count {
            let byte = field[index]
            let length = byte < 0x80 ? 1 : byte >= 0xC2 && byte < 0xE0 ? 2 : byte >= 0xE0 && byte < 0xF0 ? 3 : byte >= 0xF0 && byte < 0xF5 ? 4 : 0
            guard length > 0, index + length <= field.count,
                String(validating: field[index..<(index + length)], as: UTF8.self) != nil
            else { return breaks }
            if byte == 0x0A { breaks += 1 }
            index += length
        }
        return breaks
    }

    /// The delimiter used most often outside quotes on the first line (its first MiB).
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var quoted = false
        var index = start
        while index < min(bytes.count, start + (1 << 20)) {
            let byte = bytes[index]
            if byte == 0x22 { quoted.toggle() }
            if !quoted && (byte == 0x0A || byte == 0x0D) { break }
            if !quoted, counts[byte] != nil { counts[byte, default: 0] += 1 }
            index += 1
        }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? 0x2C
    }

    mutating func next() throws -> CSVRecord? {
        guard position < bytes.count else { return nil }
        let startLine = line
        let startOffset = position
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var fieldLine = line
        func finish() throws {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw ImportError.invalidUTF8(file: file, line: fieldLine + Self.lineBreaksBeforeInvalidUTF8(field))
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
            fieldLine = line
        }
        while position < bytes.count {
            if position - startOffset > maxRecordBytes {
                throw ImportError.lineTooLong(file: file, line: startLine, bytes: position - startOffset, limit: maxRecordBytes)
            }
            let byte = bytes[position]
            position += 1
            if quoted {
                if byte == 0x22 {
                    if position < bytes.count, bytes[position] == 0x22 {
                        field.append(0x22)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case 0x22 where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case delimiter:
                try finish()
            case 0x0D:
                continue
            case 0x0A:
                try finish()
                line += 1
                return CSVRecord(fields: fields, line: startLine, startOffset: startOffset)
            default:
                field.append(byte)
            }
        }
        if quoted {
            throw ImportError.malformed(
                file: file, line: startLine, problem: "a quoted field is never closed", fix: "Close the quote (\") or double the quotes inside the field (\"\").")
        }
        try finish()
        return CSVRecord(fields: fields, line: startLine, startOffset: startOffset)
    }
}
