import Foundation

extension ValidationReport {
    /// A self-contained HTML page (no scripts, no external assets) a manager can open from an
    /// e-mail or a phone: accuracy per field and precision and recall per class drawn as dots
    /// with 95% error bars, the tables behind them, confusion matrices as heatmaps, and the errors.
    public func html(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        let h = ReportText.html
        var body: [String] = []
        body.append("<h1>\(h(w.t("Проверка", "Validation"))): \(h(promptName))@\(h(promptVersion)) × \(h(model))</h1>")
        body.append(
            "<p class=\"sub\">\(h(w.t("Хеш шаблона", "Prompt hash"))) <code>\(promptHash.prefix(16))…</code>, \(h(w.t("размеченных диалогов: \(n)", "\(n) labeled dialogues"))).</p>"
        )
        if let note = tiesNote(w) { body.append("<p class=\"note\">\(h(note))</p>") }
        body += constantAnswerWarnings(w).map { "<p class=\"note\">\(h($0))</p>" }
        if let line = missedLeadLine(w) { body.append("<p class=\"lead\">\(h(line))</p>") }
        if let line = tokensLine(w) { body.append("<p class=\"sub\">\(h(line))</p>") }
        body.append(
            IntervalChart(
                title: w.t("Доля верных по полям, с 95% интервалом", "Accuracy per field, with 95% intervals"),
                rows: fields.map {
                    .init(
                        label: $0.field, value: $0.accuracy, low: $0.accuracyCI.low, high: $0.accuracyCI.high,
                        text: "\(w.decimal($0.accuracy)) (\(w.decimal($0.accuracyCI.low))–\(w.decimal($0.accuracyCI.high)))")
                }, axis: 0...1, reference: nil, tick: { w.decimal($0, digits: 1) }
            ).svg())
        body.append(summaryTable(w).html())
        for metrics in fields {
            body.append("<h2>\(h(metrics.field))</h2><div class=\"row\">")
            var rows: [IntervalChart.Row] = []
            for label in metrics.labels {
                guard let item = metrics.perClass[label] else { continue }
                let few = item.support < Self.smallSupport ? " ⚠" : ""
                rows.append(
                    .init(
                        label: "\(label) · \(w.t("точн.", "prec."))", value: item.precision, low: item.precisionCI.low, high: item.precisionCI.high,
                        text: "\(w.decimal(item.precision)) (\(w.decimal(item.precisionCI.low))–\(w.decimal(item.precisionCI.high))), \(item.predicted)\(few)",
                        color: "#4c78a8"))
                rows.append(
                    .init(
                        label: "\(label) · \(w.t("полн.", "recall"))", value: item.recall, low: item.recallCI.low, high: item.recallCI.high,
                        text: "\(w.decimal(item.recall)) (\(w.decimal(item.recallCI.low))–\(w.decimal(item.recallCI.high))), n=\(item.support)\(few)",
                        color: "#f58518"))
            }
            body.append(
                IntervalChart(
                    title: w.t("Точность (синие) и полнота (оранжевые) по классам", "Precision (blue) and recall (orange) per class"), rows: rows, axis: 0...1,
                    reference: nil, tick: { w.decimal($0, digits: 1) }
                ).svg())
            let maximum = max(1, metrics.confusion.flatMap { $0 }.max() ?? 1)
            var table =
                "<div><h3>\(h(w.t("Матрица ошибок", "Confusion")))</h3><div class=\"scroll\"><table class=\"heat\"><tr><th>\(h(w.t("метка \\ тег", "label \\ tag")))</th>"
                + (metrics.labels + [w.t("нет ответа", "no reply")]).map { "<th>\(h($0))</th>" }.joined() + "</tr>"
            for (row, label) in metrics.labels.enumerated() {
                table += "<tr><th>\(h(label))</th>"
                for (column, count) in metrics.confusion[row].enumerated() {
                    let alpha = Double(count) / Double(maximum)
                    let color = column == row ? "76,120,168" : "228,87,86"
                    table += String(format: "<td style=\"background:rgba(%@,%.2f)\">%d</td>", color as NSString, 0.1 + 0.8 * alpha, count)
                }
                table += "</tr>"
            }
            body.append(table + "</table></div></div></div>")
            body.append(classTable(metrics, w).html())
        }
        body.append("<h2>\(h(w.t("Уверенность модели", "Model confidence")))</h2>")
        body += calibrationLines(w).map { "<p class=\"sub\">\(h($0))</p>" }
        let diagrams = fields.compactMap { metrics in metrics.calibration.map { reliabilitySVG(metrics.field, $0, w) } }
        if !diagrams.isEmpty { body.append("<div class=\"row\">" + diagrams.joined() + "</div>") }
        if !errors.isEmpty {
            body.append("<h2>\(h(w.t("Ошибки", "Errors"))) (\(errors.count))</h2>")
            body.append(errorTable(w).html(class: "text"))
        }
        let style = ".heat td{min-width:3em;text-align:center}.lead{font-size:1.15em;font-weight:600}"
        return HTMLPage(title: "chattag \(w.t("проверка", "validation"))", language: language, body: body, style: style).render()
    }
}
