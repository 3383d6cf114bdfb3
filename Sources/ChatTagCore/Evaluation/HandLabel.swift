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
            var problems: [(line: Int, text: String)] = []
            var rows = 0
            while let record = try records.next() {
                func field(_ name: String) -> String {
                    guard let index = column[name], index < record.fields.count else { return "" }
                    return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let id = field("dialogue_id")
                if id.isEmpty { continue }
                rows += 1
                let raw = taxonomy.fields.map { field($0.name).lowercased() }
                if raw.allSatisfy(\.isEmpty) { continue }
                var values: TagValues = [:]
                for (definition, value) in zip(taxonomy.fields, raw) {
                    let normalized = TagParser.synonyms[value] ?? value
                    guard definition.values.contains(normalized) else {
                        problems.append(
                            (record.line, "\(definition.name) is \(value.isEmpty ? "empty" : "\"\(value)\"") for \(id) (use one of \(definition.values.joined(separator: ", ")))"))
                        continue
                    }
                    values[definition.name] = normalized
                }
                let annotator = field("annotator")
                labels.append(HandLabel(dialogueID: id, values: values, annotator: annotator.isEmpty ? "sheet" : annotator, note: field("note")))
            }
            try Self.refuse(problems, file: file, fix: "Correct every row listed, then import the sheet again.")
            let columns = taxonomy.fields.map(\.name).joined(separator: ", ")
            if labels.isEmpty && rows > 0 {
                throw ImportError.malformed(
                    file: file, line: 2, problem: "nobody filled in the sheet: \(columns) are empty in all \(rows) rows",
                    fix: "Fill in \(columns) for each dialogue you label (rows left empty are skipped), then import it again.")
            }
            return labels
        }
    }

    /// Every bad row at once, so a sheet is corrected in one pass.
    static func refuse(_ problems: [(line: Int, text: String)], file: String, fix: String) throws {
        guard let first = problems.first else { return }
        let listed = problems.prefix(20).map { "line \($0.line): \($0.text)" }.joined(separator: "; ")
        let more = problems.count > 20 ? "; and \(problems.count - 20) more" : ""
        throw ImportError.malformed(
            file: file, line: first.line, problem: problems.count == 1 ? first.text : "\(problems.count) rows are wrong — \(listed)\(more)", fix: fix)
    }

    /// Reads labels from JSONL text, checking every value against the taxonomy; errors name
    /// the line.
    public static func parseJSONL(_ text: String, file: String, taxonomy: Taxonomy = .default) throws -> [HandLabel] {
        var labels: [HandLabel] = []
        var problems: [(line: Int, text: String)] = []
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
                problems.append((number, "not a JSON object (write one label object per line)"))
                continue
            }
            guard let id = object["dialogue_id"]?.string, !id.isEmpty else {
                problems.append((number, "no \"dialogue_id\" (add the id of the labeled dialogue)"))
                continue
            }
            var values: TagValues = [:]
            var complete = true
            for field in taxonomy.fields {
                let raw: String?
                switch object[field.name] {
                case let .bool(flag)?: raw = flag ? "true" : "false"
                case let .string(text)?: raw = text.lowercased()
                default: raw = nil
                }
                guard let raw, field.values.contains(raw) else {
                    let found = object[field.name].map { value -> String in
                        switch value {
                        case .string: return "a text outside the list"
                        case .number: return "a number"
                        default: return "of the wrong type"
                        }
                    }
                    problems.append((number, "\"\(field.name)\" is \(found ?? "missing") (use one of \(field.values.joined(separator: ", ")))"))
                    complete = false
                    continue
                }
                values[field.name] = raw
            }
            guard complete else { continue }
            labels.append(HandLabel(dialogueID: id, values: values, annotator: object["annotator"]?.string ?? "unknown", note: object["note"]?.string ?? ""))
        }
        try refuse(problems, file: file, fix: "Correct every line listed, then import the file again.")
        return labels
    }
}
