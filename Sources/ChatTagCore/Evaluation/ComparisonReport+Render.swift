import Foundation

extension ComparisonReport {
    private static func number(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "—" }

    private func usageTable() -> TextTable {
        func row(_ name: String, _ value: (SideUsage) -> String) -> [String] { [name, value(a.usage), value(b.usage)] }
        return TextTable(
            headers: ["per dialogue", "A", "B"],
            rows: [
                row("tokens in") { Self.number($0.tokensInPerDialogue, "%.0f") },
                row("tokens out") { Self.number($0.tokensOutPerDialogue, "%.0f") },
                row("latency") { Self.number($0.latencyMsPerDialogue, "%.0f ms") },
                row("cost per 1,000 dialogues") { Self.number($0.costPerDialogue.map { $0 * 1000 }, "$%.2f") },
                row("failed tags") { "\($0.failed) of \($0.dialogues)" },
            ])
    }

    private func fieldTable() -> TextTable {
        TextTable(
            headers: ["field", "accuracy A", "accuracy B", "B − A (95% CI)", "macro F1 B − A", "failed A", "failed B", "McNemar p"],
            rows: fields.map { row in
                [
                    row.field, String(format: "%.2f", row.accuracyA), String(format: "%.2f", row.accuracyB),
                    String(format: "%+.3f (%+.3f…%+.3f)", row.comparison.difference, row.comparison.differenceCI.low, row.comparison.differenceCI.high),
                    String(format: "%+.3f", row.macroF1Diff), ReportText.percent(row.failureRateA), ReportText.percent(row.failureRateB),
                    String(format: "%.4f", row.comparison.mcnemarP),
                ]
            })
    }

    private func perClassTable() -> TextTable {
        var table = TextTable(headers: ["field", "class", "F1 A", "F1 B", "B − A"])
        for row in fields {
            for (label, diff) in row.perClassF1Diff {
                let f1A = a.validation.fields.first { $0.field == row.field }?.perClass[label]?.f1 ?? 0
                table.rows.append([row.field, label, String(format: "%.2f", f1A), String(format: "%.2f", f1A + diff), String(format: "%+.2f", diff)])
            }
        }
        table.textColumns.insert(1)
        return table
    }

    private func disagreementTable(limit: Int?) -> TextTable {
        let shown = limit.map { Array(disagreements.prefix($0)) } ?? disagreements
        return TextTable(
            headers: ["dialogue", "field", "label", "A", "B", "client wrote"],
            rows: shown.map {
                [$0.dialogueID, $0.field, $0.gold, $0.a ?? "no reply", $0.b ?? "no reply", $0.excerpt]
            }, textColumns: [1, 2, 3, 4, 5])
    }

    /// The comparison for a terminal; the first 20 disagreements.
    public func table() -> String {
        var lines = ["A: \(a.title)    B: \(b.title)    \(n) labeled dialogues", "", fieldTable().terminal(), ""]
        lines += fields.map { "\($0.field): \($0.comparison.verdict)" }
        lines += ["", perClassTable().terminal(), "", usageTable().terminal(), ""]
        lines.append("A and B disagree on \(disagreements.count) field values" + (disagreements.count > 20 ? " (first 20; all of them in --format md, json or html):" : ":"))
        if !disagreements.isEmpty { lines.append(disagreementTable(limit: 20).terminal()) }
        return lines.joined(separator: "\n")
    }

    /// The comparison as Markdown.
    public func markdown() -> String {
        var lines = [
            "# Compare: \(a.title) vs \(b.title)", "", "A: `\(a.title)` (prompt hash `\(a.validation.promptHash.prefix(16))…`)  ",
            "B: `\(b.title)` (prompt hash `\(b.validation.promptHash.prefix(16))…`)  ", "\(n) labeled dialogues.", "", "## Verdict", "",
        ]
        lines += fields.map { "- **\($0.field)**: \($0.comparison.verdict)" }
        lines += [
            "", "## Per field", "", fieldTable().markdown(), "", "## Per class (F1)", "", perClassTable().markdown(), "",
            "## Cost and latency", "", usageTable().markdown(), "", "## Where A and B disagree (\(disagreements.count))", "",
        ]
        lines.append(disagreements.isEmpty ? "Nowhere." : disagreementTable(limit: nil).markdown())
        return lines.joined(separator: "\n") + "\n"
    }

    /// A self-contained HTML page: the verdicts, the per-field table, per-class F1 of A and B
    /// as inline SVG bars, cost and latency, and the disagreements.
    public func html() -> String {
        let h = ReportText.html
        var body = [
            "<h1>Compare</h1>",
            "<p><b>A</b>: \(h(a.title)) <code>\(a.validation.promptHash.prefix(12))</code><br><b>B</b>: \(h(b.title)) <code>\(b.validation.promptHash.prefix(12))</code><br>\(n) labeled dialogues</p>",
        ]
        body.append("<ul class=\"verdict\">" + fields.map { "<li><b>\(h($0.field))</b>: \(h($0.comparison.verdict))</li>" }.joined() + "</ul>")
        func htmlTable(_ table: TextTable) -> String {
            "<table><tr>" + table.headers.map { "<th>\(h($0))</th>" }.joined() + "</tr>"
                + table.rows.map { "<tr>" + $0.map { "<td>\(h($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
        }
        body.append("<h2>Per field</h2>" + htmlTable(fieldTable()))
        body.append("<h2>F1 per class</h2><div class=\"row\">")
        for row in fields {
            let metricsA = a.validation.fields.first { $0.field == row.field }
            let metricsB = b.validation.fields.first { $0.field == row.field }
            var svg = "<svg width=\"330\" height=\"\(row.perClassF1Diff.count * 34 + 8)\" role=\"img\" aria-label=\"F1 per class of \(h(row.field))\">"
            for (index, item) in row.perClassF1Diff.enumerated() {
                let y = index * 34 + 4
                let f1A = metricsA?.perClass[item.label]?.f1 ?? 0, f1B = metricsB?.perClass[item.label]?.f1 ?? 0
                svg += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"12\">\(h(item.label))</text>"
                svg +=
                    "<rect x=\"90\" y=\"\(y)\" width=\"\(Int(f1A * 180))\" height=\"12\" fill=\"#9ab3d0\"/><text x=\"\(94 + Int(f1A * 180))\" y=\"\(y + 10)\" font-size=\"10\">A \(String(format: "%.2f", f1A))</text>"
                svg +=
                    "<rect x=\"90\" y=\"\(y + 14)\" width=\"\(Int(f1B * 180))\" height=\"12\" fill=\"#4c78a8\"/><text x=\"\(94 + Int(f1B * 180))\" y=\"\(y + 24)\" font-size=\"10\">B \(String(format: "%.2f", f1B))</text>"
            }
            body.append("<div><h3>\(h(row.field))</h3>" + svg + "</svg></div>")
        }
        body.append("</div><h2>Cost and latency</h2>" + htmlTable(usageTable()))
        body.append(
            "<h2>Where A and B disagree (\(disagreements.count))</h2>"
                + (disagreements.isEmpty ? "<p>Nowhere.</p>" : htmlTable(disagreementTable(limit: nil)).replacingOccurrences(of: "<table>", with: "<table class=\"text\">")))
        let style = """
            body{font-family:-apple-system,Segoe UI,Roboto,sans-serif;margin:2em;color:#222;max-width:1100px}
            table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
            th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}.text td,.text th{text-align:left}
            .row{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}.verdict li{margin:.3em 0}code{background:#f4f4f4;padding:1px 4px}
            """
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>chattag compare</title><style>\(style)</style></head><body>"
            + body.joined(separator: "\n") + "</body></html>\n"
    }
}
