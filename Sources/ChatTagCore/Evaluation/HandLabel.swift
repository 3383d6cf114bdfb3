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

import Foundation
