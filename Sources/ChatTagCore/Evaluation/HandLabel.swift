import Foundation

/// A person's label of one dialogue (`labeled-samples/labels.jsonl`):
/// `{"dialogue_id":"ls-001","intent":"booking","sentiment":"neutral","missed_lead":false,"annotator":"ops-1","note":""}`.
public struct HandLabel: Sendable, Equatable {
    public var dialogueID: String
    public var values: TagValues
    public var annotator: String
    public var note: String

    public init(dialogueID: String, values: TagValues, annotator: String, note: String) {
        self.dialogueID = dialogueID
        self.values = values
        self.annotator = annotator
        self.note = note
    }

    /// Reads a filled-in labeling sheet (CSV from `chattag labels sample`, or any CSV with
    /// `dialogue_id` and the field columns; a header like `intent (booking|question|…)` counts
    /// as `intent`). Rows with every label empty are skipped; errors name the line.
    public static func parseCSV(_ text: String, file: String, taxonomy: Taxonomy = .default) throws -> [HandLabel] {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var records = CSVRecordReader(bytes: buffer, file: file, maxRecordBytes: 1 << 20)
            guard let header = try records.next() else { return [] }
            var column: [String: Int] = [:]
            for (index, name) in header.fields.enumerated() {
                let key = name.split(separator: " ").first.map { String($0).lowercased() } ?? ""
                if column[key] == nil { column[key] = index }
            }
            guard column["dialogue_id"] != nil else {
                throw ImportError.malformed(
                    file: file, line: 1, problem: "the sheet has no dialogue_id column", fix: "Keep the header row of the sheet `chattag labels sample` wrote.")
            }
            var labels: [HandLabel] = []
            while let record = try records.next() {
                func field(_ name: String) -> String {
                    guard let index = column[name], index < record.fields.count else { return "" }
                    return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let id = field("dialogue_id")
                if id.isEmpty { continue }
                let raw = taxonomy.fields.map { field($0.name).lowercased() }
                if raw.allSatisfy(\.isEmpty) { continue }
                var values: TagValues = [:]
                for (definition, value) in zip(taxonomy.fields, raw) {
                    let normalized = TagParser.synonyms[value] ?? value
                    guard definition.values.contains(normalized) else {
                        throw ImportError.malformed(
                            file: file, line: record.line, problem: "\"\(definition.name)\" is \"\(value)\" for \(id)",
                            fix: "Use one of \(definition.values.joined(separator: ", ")).")
                    }
                    values[definition.name] = normalized
                }
                let annotator = field("annotator")
                labels.append(HandLabel(dialogueID: id, values: values, annotator: annotator.isEmpty ? "sheet" : annotator, note: field("note")))
            }
            return labels
        }
    }

    /// Reads labels from JSONL text, checking every value against the taxonomy; errors name
    /// the line.
    public static func parseJSONL(_ text: String, file: String, taxonomy: Taxonomy = .default) throws -> [HandLabel] {
        var labels: [HandLabel] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let number = offset + 1
            let bytes = Array(trimmed.utf8)
            let value: JSONValue? = bytes.withUnsafeBufferPointer { buffer in
                var reader = JSONReader(bytes: buffer, range: 0..<buffer.count)
                guard let parsed = try? reader.value(), reader.atEnd() else { return nil }
                return parsed
            }
            guard let object = value?.object else {
                throw ImportError.malformed(file: file, line: number, problem: "the line is not a JSON object", fix: "Write one label object per line.")
            }
            guard let id = object["dialogue_id"]?.string, !id.isEmpty else {
                throw ImportError.malformed(file: file, line: number, problem: "no \"dialogue_id\"", fix: "Add the id of the labeled dialogue.")
            }
            var values: TagValues = [:]
            for field in taxonomy.fields {
                let raw: String?
                switch object[field.name] {
                case let .bool(flag)?: raw = flag ? "true" : "false"
                case let .string(text)?: raw = text.lowercased()
                default: raw = nil
                }
                guard let raw, field.values.contains(raw) else {
                    throw ImportError.malformed(
                        file: file, line: number, problem: "\"\(field.name)\" is \(object[field.name].map { "\($0)" } ?? "missing")",
                        fix: "Use one of \(field.values.joined(separator: ", ")).")
                }
                values[field.name] = raw
            }
            labels.append(HandLabel(dialogueID: id, values: values, annotator: object["annotator"]?.string ?? "unknown", note: object["note"]?.string ?? ""))
        }
        return labels
    }
}
