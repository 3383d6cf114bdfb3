import Foundation

extension ValidationReport {
    /// A self-contained HTML page (no external assets) a manager can open from an e-mail:
    /// the summary table, per-class F1 as inline SVG bars, confusion matrices as heatmaps,
    /// and the errors.
    public func html() -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var body: [String] = []
        body.append("<h1>Validation: \(escape(promptName))@\(escape(promptVersion)) × \(escape(model))</h1>")
        body.append("<p>Prompt hash <code>\(promptHash.prefix(16))…</code>, \(n) labeled dialogues.</p>")
        if let tiesNote { body.append("<p class=\"note\">\(ReportText.html(tiesNote))</p>") }
        if let missed = fields.first(where: { $0.field == "missed_lead" })?.perClass["true"] {
            body.append(
                String(format: "<p class=\"lead\">Missed leads: precision <b>%.2f</b>, recall <b>%.2f</b> (support %d)</p>", missed.precision, missed.recall, missed.support))
        }
        body.append("<table><tr><th>field</th><th>n</th><th>coverage</th><th>accuracy (95% CI)</th><th>macro F1</th><th>weighted F1</th><th>kappa</th></tr>")
        for metrics in fields {
            body.append(
                String(
                    format: "<tr><td>%@</td><td>%d</td><td>%.2f</td><td>%.2f (%.2f–%.2f)</td><td>%.2f</td><td>%.2f</td><td>%.2f</td></tr>",
                    metrics.field as NSString, metrics.n, metrics.coverage, metrics.accuracy, metrics.accuracyCI.low, metrics.accuracyCI.high,
                    metrics.macroF1, metrics.weightedF1, metrics.kappa))
        }
        body.append("</table>")
        for metrics in fields {
            body.append("<h2>\(escape(metrics.field))</h2><div class=\"row\">")
            let barHeight = 22
            var svg = "<svg width=\"420\" height=\"\(metrics.labels.count * barHeight + 10)\" role=\"img\" aria-label=\"F1 per class\">"
            for (index, label) in metrics.labels.enumerated() {
                let item = metrics.perClass[label]
                let width = Int((item?.f1 ?? 0) * 260)
                let y = index * barHeight + 4
                svg += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"12\">\(escape(label))</text>"
                svg += "<rect x=\"90\" y=\"\(y)\" width=\"\(width)\" height=\"16\" fill=\"#4c78a8\"/>"
                svg += String(
                    format: "<text x=\"%d\" y=\"%d\" font-size=\"12\">F1 %.2f · n=%d%@</text>", 96 + width, y + 13, item?.f1 ?? 0, item?.support ?? 0,
                    (item?.support ?? 0) < Self.smallSupport ? " ⚠" : "")
            }
            svg += "</svg>"
            body.append(svg)
            let maximum = max(1, metrics.confusion.flatMap { $0 }.max() ?? 1)
            var table = "<table class=\"heat\"><tr><th>label \\ tag</th>" + (metrics.labels + ["no reply"]).map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
            for (row, label) in metrics.labels.enumerated() {
                table += "<tr><th>\(escape(label))</th>"
                for (column, count) in metrics.confusion[row].enumerated() {
                    let alpha = Double(count) / Double(maximum)
                    let color = column == row ? "76,120,168" : "228,87,86"
                    table += String(format: "<td style=\"background:rgba(%@,%.2f)\">%d</td>", color as NSString, 0.1 + 0.8 * alpha, count)
                }
                table += "</tr>"
            }
            body.append(table + "</table></div>")
        }
        if !errors.isEmpty {
            body.append("<h2>Errors (\(errors.count))</h2><table class=\"errors\"><tr><th>dialogue</th><th>field</th><th>label</th><th>tag</th><th>excerpt</th></tr>")
            for error in errors {
                body.append(
                    "<tr><td>\(escape(error.dialogueID))</td><td>\(escape(error.field))</td><td>\(escape(error.gold))</td><td>\(escape(error.predicted ?? "no reply"))</td><td>\(escape(error.excerpt))</td></tr>"
                )
            }
            body.append("</table>")
        }
        let style = """
            body{font-family:-apple-system,Segoe UI,Roboto,sans-serif;margin:2em;color:#222;max-width:1100px}
            table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
            th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}.heat td{min-width:3em;text-align:center}.errors td{text-align:left}
            .row{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}.lead{font-size:1.2em}code{background:#f4f4f4;padding:1px 4px}
            """
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>chattag validation</title><style>\(style)</style></head><body>"
            + body.joined(separator: "\n") + "</body></html>\n"
    }
}
