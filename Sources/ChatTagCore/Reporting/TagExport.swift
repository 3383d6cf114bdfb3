/// One line of `export`: a tag joined with its dialogue's facts (the keys listed in
/// docs/json.md under `export-jsonl`; CSV columns in ``TagExport/columns`` order).
public struct ExportRow: Encodable, Sendable, Equatable {
    public var dialogueID: String
    @NullWhenAbsent public var intent: String?
    @NullWhenAbsent public var sentiment: String?
    @NullWhenAbsent public var missedLead: Bool?
    public var status: String
    @NullWhenAbsent public var error: String?
    public var promptName: String
    public var promptVersion: String
    public var promptHash: String
    public var modelRequested: String
    @NullWhenAbsent public var modelVersion: String?
    @NullWhenAbsent public var runID: Int64?
    public var channel: String
    @NullWhenAbsent public var startedAt: String?
    @NullWhenAbsent public var staff: String?
    @NullWhenAbsent public var firstResponseS: Int?
    public var unanswered: Bool
    @NullWhenAbsent public var outcome: String?

    enum CodingKeys: String, CodingKey {
        case intent, sentiment, status, error, channel, staff, unanswered, outcome
        case dialogueID = "dialogue_id"
        case missedLead = "missed_lead"
        case promptName = "prompt_name"
        case promptVersion = "prompt_version"
        case promptHash = "prompt_hash"
        case modelRequested = "model_requested"
        case modelVersion = "model_version"
        case runID = "run_id"
        case startedAt = "started_at"
        case firstResponseS = "first_response_s"
    }

    /// The row's values as CSV fields, in ``TagExport/columns`` order (empty for none).
    var csvFields: [String] {
        [
            dialogueID, intent ?? "", sentiment ?? "", missedLead.map { $0 ? "true" : "false" } ?? "", status, error ?? "", promptName, promptVersion,
            promptHash, modelRequested, modelVersion ?? "", runID.map(String.init) ?? "", channel, startedAt ?? "", staff ?? "",
            firstResponseS.map(String.init) ?? "", unanswered ? "true" : "false", outcome ?? "",
        ]
    }
}

/// Tags of one prompt and model joined with dialogue facts, for BI, spreadsheets and the CRM.
public struct TagExport {
    /// Machine formats only: the columns and keys are stable.
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl
    }

    public static let columns = [
        "dialogue_id", "intent", "sentiment", "missed_lead", "status", "error", "prompt_name", "prompt_version", "prompt_hash",
        "model_requested", "model_version", "run_id", "channel", "started_at", "staff", "first_response_s", "unanswered", "outcome",
    ]

    let tags: ReportStore
    let dialogues: DialogueStore

    public init(tags: ReportStore, dialogues: DialogueStore) {
        self.tags = tags
        self.dialogues = dialogues
    }

    /// One row per tag of `template` × `model` whose dialogue is stored, in dialogue id order.
    public func rows(template: PromptTemplate, model: String) throws -> [ExportRow] {
        try tags.tags(promptHash: template.hash, model: model).compactMap { tag in
            guard let dialogue = try dialogues.dialogue(id: tag.dialogueID) else { return nil }
            let facts = DialogueFacts(dialogue)
            return ExportRow(
                dialogueID: tag.dialogueID, intent: tag.intent, sentiment: tag.sentiment, missedLead: tag.missedLead, status: tag.status, error: tag.error,
                promptName: tag.promptName, promptVersion: tag.promptVersion, promptHash: tag.promptHash, modelRequested: tag.modelRequested,
                modelVersion: tag.modelVersion, runID: tag.runID, channel: dialogue.channel, startedAt: dialogue.startedAt?.iso8601,
                staff: facts.firstResponder, firstResponseS: facts.firstResponseSeconds.map { Int($0) }, unanswered: facts.unanswered,
                outcome: dialogue.outcome?.rawValue)
        }
    }

    /// The rows as a file's text: CSV (header, RFC 4180 quoting, CRLF; `bom` for Excel) or
    /// JSONL (one object a line).
    public static func render(_ rows: [ExportRow], format: Format, delimiter: String = ",", bom: Bool = false) throws -> String {
        switch format {
        case .jsonl:
            return try rows.map { try JSONOutput.text($0) + "\n" }.joined()
        case .csv:
            let lines = [columns.joined(separator: delimiter)] + rows.map { row in row.csvFields.map { CSVText.field($0, delimiter: delimiter) }.joined(separator: delimiter) }
            return (bom ? "\u{FEFF}" : "") + lines.joined(separator: "\r\n") + "\r\n"
        }
    }
}
