import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Tags of a prompt and model joined with dialogue facts (channel, start, staff member, first response, outcome), as CSV or JSONL.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @Option(help: "The template, NAME@VERSION.") var prompt: String
    @Option(help: "The model whose tags to export.") var model: String
    @Option(help: "csv or jsonl.") var format: String = "csv"
    @Option(help: "Write to this file instead of stdout.") var out: String?
    @Option(help: "CSV delimiter: , or ; (Excel in Russian locales expects ;).") var delimiter: String = ","
    @Flag(help: "Start the CSV with a UTF-8 byte-order mark (Excel).") var bom = false

    func validate() throws {
        guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format must be csv or jsonl (got '\(format)').") }
        guard [",", ";"].contains(delimiter) else { throw ValidationError("--delimiter must be , or ;.") }
    }

    func run() throws {
        let template = try source.library().template(prompt)
        let store = try global.openStore()
        let rows = try store.database.rows(
            """
            SELECT dialogue_id, intent, sentiment, missed_lead, status, error, prompt_name, prompt_version, prompt_hash, model_requested,
                   model_version, run_id FROM tags WHERE prompt_hash = ? AND model_requested = ? ORDER BY dialogue_id
            """, [.text(template.hash), .text(model)])
        let columns = [
            "dialogue_id", "intent", "sentiment", "missed_lead", "status", "error", "prompt_name", "prompt_version", "prompt_hash",
            "model_requested", "model_version", "run_id", "channel", "started_at", "staff", "first_response_s", "unanswered", "outcome",
        ]
        var lines: [String] = []
        if format == "csv" { lines.append(columns.joined(separator: delimiter)) }
        for row in rows {
            guard let id = row["dialogue_id"]?.text, let dialogue = try store.dialogues.dialogue(id: id) else { continue }
            let facts = DialogueFacts(dialogue)
            var values: [String: Any] = [:]
            for key in ["dialogue_id", "intent", "sentiment", "status", "error", "prompt_name", "prompt_version", "prompt_hash", "model_requested", "model_version"] {
                values[key] = row[key]?.text ?? NSNull()
            }
            values["missed_lead"] = row["missed_lead"]?.integer.map { $0 == 1 } ?? NSNull()
            values["run_id"] = row["run_id"]?.integer ?? NSNull()
            values["channel"] = dialogue.channel
            values["started_at"] = dialogue.startedAt?.iso8601 ?? NSNull()
            values["staff"] = facts.firstResponder ?? NSNull()
            values["first_response_s"] = facts.firstResponseSeconds.map { Int($0) } ?? NSNull()
            values["unanswered"] = facts.unanswered
            values["outcome"] = dialogue.outcome?.rawValue ?? NSNull()
            if format == "jsonl" {
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            } else {
                lines.append(
                    columns.map { key in
                        let value = values[key]
                        let text: String
                        switch value {
                        case is NSNull, nil: text = ""
                        case let flag as Bool: text = flag ? "true" : "false"
                        default: text = "\(value!)"
                        }
                        return CSVText.field(text, delimiter: delimiter)
                    }.joined(separator: delimiter))
            }
        }
        let body = (bom && format == "csv" ? "\u{FEFF}" : "") + lines.joined(separator: format == "csv" ? "\r\n" : "\n") + (lines.isEmpty ? "" : (format == "csv" ? "\r\n" : "\n"))
        if let out {
            try body.write(toFile: out, atomically: true, encoding: .utf8)
            global.note("exported \(rows.count) tags to \(out)")
        } else {
            print(body, terminator: "")
        }
    }
}
