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
    /// Mean input and output tokens per labeled dialogue's tag (every attempt); nil when unknown.
    public var tokensPerDialogue: (input: Double, output: Double)?

    /// `Токенов на диалог: 1 480 на входе, 28 на выходе.`
    func tokensLine(_ w: Wording) -> String? {
        guard let tokens = tokensPerDialogue else { return nil }
        return w.t(
            "Токенов на диалог: \(Int(tokens.input.rounded())) на входе, \(Int(tokens.output.rounded())) на выходе.",
            "Tokens per dialogue: \(Int(tokens.input.rounded())) in, \(Int(tokens.output.rounded())) out.")
    }

    /// A sentence about dialogues left out for ties, or nil when none was.
    public func tiesNote(_ w: Wording) -> String? {
        let left = excludedTies.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        guard !left.isEmpty else { return nil }
        let list = left.map { w.t("\($0.key): \(w.dialogues($0.value))", "\($0.value) dialogues of \($0.key)") }.joined(separator: ", ")
        return w.t(
            "Не учтены диалоги, где разметчики разошлись поровну и нет метки `adjudicated`: \(list). Добавьте итоговую метку, чтобы их учесть.",
            "Left out where annotators tie and no `adjudicated` label settles it: \(list). Add an adjudicated label to count them.")
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

    /// A model that answers one value for ≥ 90% of ≥ 50 labeled dialogues, called out
    /// (``AnswerSpread``), from each field's predictions.
    public func constantAnswerWarnings(_ w: Wording = Wording(.en)) -> [String] {
        var spread = AnswerSpread()
        for metrics in fields {
            for (column, label) in metrics.labels.enumerated() {
                spread.add(field: metrics.field, value: label, times: metrics.confusion.reduce(0) { $0 + $1[column] })
            }
        }
        return spread.warnings(taxonomy: Taxonomy(fields: fields.map { TaxonomyField(name: $0.field, values: $0.labels) }), w)
    }

    /// Classes with fewer labeled examples than this get a warning: too few to say anything.
    public static let smallSupport = 10

    /// The missed-lead line every rendering leads with.
    func missedLeadLine(_ w: Wording) -> String? {
        guard let missed = fields.first(where: { $0.field == "missed_lead" })?.perClass["true"] else { return nil }
        return w.t(
            "Упущенные лиды: точность \(w.decimal(missed.precision)), полнота \(w.decimal(missed.recall)) (в разметке \(missed.support))",
            "Missed leads: precision \(w.decimal(missed.precision)), recall \(w.decimal(missed.recall)) (support \(missed.support))")
    }

    /// Per field: n, coverage, accuracy with its interval, macro and weighted F1, kappa.
    func summaryTable(_ w: Wording) -> TextTable {
        TextTable(
            headers: w.language == .ru
                ? ["поле", "n", "покрытие", "доля верных (95% ДИ)", "macro F1", "weighted F1", "каппа"]
                : ["field", "n", "coverage", "accuracy (95% CI)", "macro F1", "weighted F1", "kappa"],
            rows: fields.map { m in
                [
                    m.field, String(m.n), w.decimal(m.coverage), "\(w.decimal(m.accuracy)) (\(w.decimal(m.accuracyCI.low))–\(w.decimal(m.accuracyCI.high)))",
                    w.decimal(m.macroF1), w.decimal(m.weightedF1), w.decimal(m.kappa),
                ]
            })
    }

    /// Per class of one field: precision and recall with their intervals, F1, support.
    func classTable(_ metrics: FieldMetrics, _ w: Wording) -> TextTable {
        var table = TextTable(
            headers: w.language == .ru
                ? ["класс", "точность (95% ДИ)", "полнота (95% ДИ)", "F1", "в разметке"] : ["class", "precision (95% CI)", "recall (95% CI)", "F1", "support"])
        for label in metrics.labels {
            guard let item = metrics.perClass[label] else { continue }
            let warning = item.support < Self.smallSupport ? w.t(" ⚠ слишком мало", " ⚠ too few to judge") : ""
            table.rows.append([
                label, "\(w.decimal(item.precision)) (\(w.decimal(item.precisionCI.low))–\(w.decimal(item.precisionCI.high)))",
                "\(w.decimal(item.recall)) (\(w.decimal(item.recallCI.low))–\(w.decimal(item.recallCI.high)))", w.decimal(item.f1), "\(item.support)\(warning)",
            ])
        }
        return table
    }

    /// Every disagreement with the labels.
    func errorTable(_ w: Wording) -> TextTable {
        TextTable(
            headers: w.language == .ru ? ["диалог", "поле", "метка", "тег", "фрагмент"] : ["dialogue", "field", "label", "tag", "excerpt"],
            rows: errors.map { [$0.dialogueID, $0.field, $0.gold, $0.predicted ?? w.t("нет ответа", "no reply"), $0.excerpt.replacingOccurrences(of: "\n", with: " ")] },
            textColumns: [1, 2, 3, 4])
    }

    public func markdown(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        var lines = [
            w.t("# Проверка: \(promptName)@\(promptVersion) × \(model)", "# Validation: \(promptName)@\(promptVersion) × \(model)"), "",
            w.t("Хеш шаблона `\(promptHash.prefix(16))…`, размеченных диалогов: \(n).", "Prompt hash `\(promptHash.prefix(16))…`, \(n) labeled dialogues."), "",
        ]
        if let line = missedLeadLine(w) { lines += ["**\(line).**", ""] }
        if let note = tiesNote(w) { lines += [note, ""] }
        lines += constantAnswerWarnings(w).map { "⚠ " + $0 + "\n" }
        if let line = tokensLine(w) { lines += [line, ""] }
        lines.append(summaryTable(w).markdown())
        for metrics in fields {
            lines += ["", "## \(metrics.field)", "", classTable(metrics, w).markdown()]
            lines += [
                "",
                w.t(
                    "Матрица ошибок (строки — метка, столбцы — тег; последний столбец — нет ответа):", "Confusion (rows: label, columns: prediction; last column: no valid reply):"),
                "",
                "| | " + (metrics.labels + [w.t("нет ответа", "no reply")]).joined(separator: " | ") + " |",
                "|---|" + String(repeating: "---|", count: metrics.labels.count + 1),
            ]
            for (row, label) in metrics.labels.enumerated() {
                lines.append("| \(label) | " + metrics.confusion[row].map(String.init).joined(separator: " | ") + " |")
            }
        }
        lines += ["", w.t("## Уверенность модели", "## Model confidence"), ""] + calibrationLines(w).map { "- " + $0 }
        if !errors.isEmpty { lines += ["", w.t("## Ошибки (\(errors.count))", "## Errors (\(errors.count))"), "", errorTable(w).markdown()] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A compact table for the terminal.
    public func table(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        var table = summaryTable(w)
        table.headers.remove(at: 5)
        table.rows = table.rows.map {
            var row = $0; row.remove(at: 5); return row
        }
        var lines = [table.terminal()]
        if let line = missedLeadLine(w) { lines.append(line) }
        if let note = tiesNote(w) { lines.append(note) }
        if let line = tokensLine(w) { lines.append(line) }
        lines += constantAnswerWarnings(w).map { "⚠ " + $0 }
        if fields.contains(where: { $0.calibration != nil }) { lines += calibrationLines(w) }
        return lines.joined(separator: "\n")
    }
}
