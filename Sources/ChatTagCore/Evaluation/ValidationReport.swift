import Foundation

/// Tags of one prompt and model against hand labels, per field, with the missed-lead
/// figures first (a missed lead is money). Renders as a terminal table, Markdown, HTML or JSON
/// (``ValidationJSON``).
public struct ValidationReport: Sendable {
    public var promptName: String
    public var promptVersion: String
    public var promptHash: String
    public var model: String
    public var fields: [FieldMetrics]
    /// Every disagreement with the labels, with a short excerpt of the dialogue.
    public var errors: [ValidationError] = []
    /// Per field, dialogues left out because their annotators tie and none is `adjudicated`.
    public var excludedTies: [String: Int] = [:]

    /// A sentence about dialogues left out for ties, or nil when none was.
    public var tiesNote: String? {
        let left = excludedTies.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        guard !left.isEmpty else { return nil }
        return "Left out where annotators tie and no `adjudicated` label settles it: "
            + left.map { "\($0.value) dialogues of \($0.key)" }.joined(separator: ", ") + ". Add an adjudicated label to count them."
    }

    /// One tag that disagrees with its hand label (`predicted` nil: no valid reply).
    public struct ValidationError: Sendable, Equatable {
        public var dialogueID: String
        public var field: String
        public var gold: String
        public var predicted: String?
        public var excerpt: String

        public init(dialogueID: String, field: String, gold: String, predicted: String?, excerpt: String) {
            self.dialogueID = dialogueID
            self.field = field
            self.gold = gold
            self.predicted = predicted
            self.excerpt = excerpt
        }
    }

    public init(promptName: String, promptVersion: String, promptHash: String, model: String, fields: [FieldMetrics]) {
        self.promptName = promptName
        self.promptVersion = promptVersion
        self.promptHash = promptHash
        self.model = model
        self.fields = fields.sorted { ($0.field == "missed_lead" ? 0 : 1, $0.field) < ($1.field == "missed_lead" ? 0 : 1, $1.field) }
    }

    public var n: Int { fields.first?.n ?? 0 }

    /// Classes with fewer labeled examples than this get a warning: too few to say anything.
    public static let smallSupport = 10

    public func markdown() -> String {
        var lines = [
            "# Validation: \(promptName)@\(promptVersion) × \(model)", "",
            "Prompt hash `\(promptHash.prefix(16))…`, \(n) labeled dialogues.", "",
        ]
        if let missed = fields.first(where: { $0.field == "missed_lead" }), let positive = missed.perClass["true"] {
            lines.append(String(format: "**Missed leads:** precision %.2f, recall %.2f (support %d).", positive.precision, positive.recall, positive.support))
            lines.append("")
        }
        if let tiesNote { lines += [tiesNote, ""] }
        lines.append("| field | n | coverage | accuracy (95% CI) | macro F1 | weighted F1 | kappa |")
        lines.append("|---|---|---|---|---|---|---|")
        for metrics in fields {
            lines.append(
                String(
                    format: "| %@ | %d | %.2f | %.2f (%.2f–%.2f) | %.2f | %.2f | %.2f |", metrics.field as NSString, metrics.n, metrics.coverage,
                    metrics.accuracy, metrics.accuracyCI.low, metrics.accuracyCI.high, metrics.macroF1, metrics.weightedF1, metrics.kappa))
        }
        for metrics in fields {
            lines += ["", "## \(metrics.field)", "", "| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
            for label in metrics.labels {
                guard let item = metrics.perClass[label] else { continue }
                let warning = item.support < Self.smallSupport ? " ⚠ too few to judge" : ""
                lines.append(String(format: "| %@ | %.2f | %.2f | %.2f | %d%@ |", label as NSString, item.precision, item.recall, item.f1, item.support, warning as NSString))
            }
            lines += [
                "", "Confusion (rows: label, columns: prediction; last column: no valid reply):", "",
                "| | " + (metrics.labels + ["no reply"]).joined(separator: " | ") + " |",
                "|---|" + String(repeating: "---|", count: metrics.labels.count + 1),
            ]
            for (row, label) in metrics.labels.enumerated() {
                lines.append("| \(label) | " + metrics.confusion[row].map(String.init).joined(separator: " | ") + " |")
            }
        }
        if !errors.isEmpty {
            lines += ["", "## Errors (\(errors.count))", "", "| dialogue | field | label | tag | excerpt |", "|---|---|---|---|---|"]
            for error in errors {
                let excerpt = error.excerpt.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
                lines.append("| \(error.dialogueID) | \(error.field) | \(error.gold) | \(error.predicted ?? "no reply") | \(excerpt) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A compact table for the terminal.
    public func table() -> String {
        let table = TextTable(
            headers: ["field", "n", "coverage", "accuracy (95% CI)", "macro F1", "kappa"],
            rows: fields.map { metrics in
                [
                    metrics.field, String(metrics.n), String(format: "%.2f", metrics.coverage),
                    String(format: "%.2f (%.2f–%.2f)", metrics.accuracy, metrics.accuracyCI.low, metrics.accuracyCI.high),
                    String(format: "%.2f", metrics.macroF1), String(format: "%.2f", metrics.kappa),
                ]
            })
        var lines = [table.terminal()]
        if let missed = fields.first(where: { $0.field == "missed_lead" })?.perClass["true"] {
            lines.append(String(format: "missed leads: precision %.2f, recall %.2f (support %d)", missed.precision, missed.recall, missed.support))
        }
        if let tiesNote { lines.append(tiesNote) }
        return lines.joined(separator: "\n")
    }
}
