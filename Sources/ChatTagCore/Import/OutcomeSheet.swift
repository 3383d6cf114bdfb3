import Foundation

/// One dialogue's outcome from the CRM.
public struct OutcomeRow: Sendable, Equatable {
    public var dialogueID: String
    public var outcome: Outcome
    /// The line of the file it came from, for messages about it.
    public var line: Int
}

/// Reads a CRM's CSV of outcomes: header `dialogue_id,outcome` (other columns ignored; `,`
/// `;` or tab; UTF-8 with or without BOM). Outcomes are `booked`, `not_booked` or `unknown`,
/// and the usual spellings of them (`записан`, `yes`, `0`…); a row with an empty cell changes nothing.
public enum OutcomeSheet {
    /// Whether a file's header names `dialogue_id` and `outcome` but no message columns, so it
    /// is an outcome sheet rather than a CSV of messages.
    public static func looksLikeOutcomes(path: String) -> Bool {
        guard let file = try? MappedFile(path: path) else { return false }
        guard !ZipArchive.isZip(file.bytes) else { return false }
        var records = CSVRecordReader(bytes: file.bytes, file: path, maxRecordBytes: 1 << 16)
        guard let header = try? records.next() else { return false }
        let names = Set(header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        return names.contains("dialogue_id") && names.contains("outcome") && !names.contains("at") && !names.contains("text")
    }

    /// Hands every row to `each` in file order, or throws an
    /// ``ImportError/malformed(file:line:problem:fix:)`` naming the first bad line; returns how
    /// many rows there were. Rows are read as they go (the sheet is never held whole), and a
    /// repeated id is found through ``SeenIDs``. `label` names the file in messages (the path
    /// masked like text).
    @discardableResult
    public static func read(path realPath: String, label: String? = nil, each: (OutcomeRow) throws -> Void) throws -> Int {
        let path = label ?? realPath
        let file = try MappedFile(path: realPath, label: path)
        guard !file.bytes.isEmpty else { throw ImportError.empty(file: path) }
        var records = CSVRecordReader(bytes: file.bytes, file: path, maxRecordBytes: 1 << 16)
        guard let header = try records.next() else { throw ImportError.empty(file: path) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let idColumn = names.firstIndex(of: "dialogue_id"), let outcomeColumn = names.firstIndex(of: "outcome") else {
            throw ImportError.malformed(
                file: path, line: 1, problem: "the header lacks dialogue_id or outcome (it has \(names.count) columns)",
                fix: "The first row must be dialogue_id,outcome.")
        }
        let delimiter = records.delimiter
        func cell(_ record: CSVRecord, _ column: Int) -> String {
            column < record.fields.count ? record.fields[column].trimmingCharacters(in: .whitespaces) : ""
        }
        /// The record at an offset read earlier, read again to confirm a repeated id.
        func earlierRecord(at offset: Int) -> CSVRecord? {
            var reader = CSVRecordReader(bytes: file.bytes, file: path, maxRecordBytes: 1 << 16)
            reader.position = offset
            reader.delimiter = delimiter
            return try? reader.next()
        }
        var seen = SeenIDs()
        var count = 0
        while let record = try records.next() {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let id = cell(record, idColumn)
            guard !id.isEmpty else {
                throw ImportError.malformed(file: path, line: record.line, problem: "the row has no dialogue_id", fix: "Fill in the dialogue id or delete the row.")
            }
            let text = cell(record, outcomeColumn)
            if text.isEmpty { continue }
            guard let outcome = parse(text) else {
                throw ImportError.malformed(
                    file: path, line: record.line, problem: "the outcome is not a known value",
                    fix: "Use booked, not_booked or unknown (an empty cell leaves the outcome as it is).")
            }
            if let earlier = seen.earlierUse(of: id, idAt: { earlierRecord(at: $0).map { cell($0, idColumn) } }),
                let earlierOutcome = earlierRecord(at: earlier).flatMap({ parse(cell($0, outcomeColumn)) }), earlierOutcome != outcome
            {
                throw ImportError.malformed(
                    file: path, line: record.line,
                    problem: "the dialogue already has outcome \(earlierOutcome.rawValue) on line \(JSONReader.line(of: earlier, in: file.bytes))",
                    fix: "Keep one row per dialogue.")
            }
            try seen.remember(id, at: record.startOffset, file: path, line: record.line)
            try each(OutcomeRow(dialogueID: id, outcome: outcome, line: record.line))
            count += 1
            file.releaseConsumed(upTo: record.startOffset)
        }
        return count
    }

    /// `booked`/`not_booked`/`unknown` and common spellings; nil when unrecognised.
    public static func parse(_ text: String) -> Outcome? {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        switch value {
        case "booked", "yes", "true", "1", "записан", "записана", "запись", "да", "won": return .booked
        case "not_booked", "notbooked", "no", "false", "0", "не_записан", "не_записана", "нет", "lost": return .notBooked
        case "unknown", "?", "неизвестно": return .unknown
        default: return nil
        }
    }
}
