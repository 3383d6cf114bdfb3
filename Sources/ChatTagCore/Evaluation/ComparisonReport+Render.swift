import Foundation

extension ComparisonReport {
    private func usageTable(_ w: Wording) -> TextTable {
        func row(_ name: String, _ value: (SideUsage) -> String) -> [String] { [name, value(a.usage), value(b.usage)] }
        func number(_ value: Double?, digits: Int = 0, suffix: String = "") -> String { value.map { w.decimal($0, digits: digits) + suffix } ?? "—" }
        return TextTable(
            headers: [w.t("на диалог", "per dialogue"), "A", "B"],
            rows: [
                row(w.t("токенов на входе", "tokens in")) { number($0.tokensInPerDialogue) },
                row(w.t("токенов на выходе", "tokens out")) { number($0.tokensOutPerDialogue) },
                row(w.t("задержка", "latency")) { number($0.latencyMsPerDialogue, suffix: w.t(" мс", " ms")) },
                row(w.t("стоимость 1000 диалогов", "cost per 1,000 dialogues")) { $0.costPerDialogue.map { "$" + w.decimal($0 * 1000) } ?? "—" },
                row(w.t("тегов с ошибкой", "failed tags")) { w.of($0.failed, $0.dialogues) },
            ])
    }

    private func fieldTable(_ w: Wording) -> TextTable {
        TextTable(
            headers: w.language == .ru
                ? ["поле", "доля верных A", "доля верных B", "B − A (95% ДИ)", "macro F1 B − A", "ошибок A", "ошибок B", "McNemar"]
                : ["field", "accuracy A", "accuracy B", "B − A (95% CI)", "macro F1 B − A", "failed A", "failed B", "McNemar"],
            rows: fields.map { row in
                [
                    row.field, w.decimal(row.accuracyA), w.decimal(row.accuracyB),
                    "\(w.signed(row.comparison.difference)) (\(w.signed(row.comparison.differenceCI.low))…\(w.signed(row.comparison.differenceCI.high)))",
                    w.signed(row.macroF1Diff), w.percent(row.failureRateA), w.percent(row.failureRateB), w.pValue(row.comparison.mcnemarP),
                ]
            })
    }

    private func perClassTable(_ w: Wording) -> TextTable {
        var table = TextTable(headers: w.language == .ru ? ["поле", "класс", "F1 A", "F1 B", "B − A"] : ["field", "class", "F1 A", "F1 B", "B − A"])
        for row in fields {
            for (label, diff) in row.perClassF1Diff {
                let f1A = a.validation.fields.first { $0.field == row.field }?.perClass[label]?.f1 ?? 0
                table.rows.append([row.field, label, w.decimal(f1A), w.decimal(f1A + diff), w.signed(diff, digits: 2)])
            }
        }
        table.textColumns.insert(1)
        return table
    }

    private func disagreementTable(limit: Int?, _ w: Wording) -> TextTable {
        let shown = limit.map { Array(disagreements.prefix($0)) } ?? disagreements
        return TextTable(
            headers: w.language == .ru ? ["диалог", "поле", "метка", "A", "B", "клиент написал"] : ["dialogue", "field", "label", "A", "B", "client wrote"],
            rows: shown.map {
                [$0.dialogueID, $0.field, $0.gold, $0.a ?? w.t("нет ответа", "no reply"), $0.b ?? w.t("нет ответа", "no reply"), $0.excerpt]
            }, textColumns: [1, 2, 3, 4, 5])
    }

    private func sidesLine(_ w: Wording) -> String {
        "A: \(a.title)    B: \(b.title)    " + w.t("размеченных диалогов: \(n)", "\(n) labeled dialogues")
    }

    /// The comparison for a terminal; the first 20 disagreements.
    public func table(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        var lines = [sidesLine(w), "", fieldTable(w).terminal(), ""]
        lines += fields.map { "\($0.field): \($0.comparison.verdict(w))" }
        lines += ["", perClassTable(w).terminal(), "", usageTable(w).terminal(), ""]
        let more = disagreements.count > 20
        lines.append(
            w.t(
                "A и B расходятся в \(disagreements.count) значениях" + (more ? " (первые 20; все — в --format md, json или html):" : ":"),
                "A and B disagree on \(disagreements.count) field values" + (more ? " (first 20; all of them in --format md, json or html):" : ":")))
        if !disagreements.isEmpty { lines.append(disagreementTable(limit: 20, w).terminal()) }
        return lines.joined(separator: "\n")
    }

    /// The comparison as Markdown.
    public func markdown(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        let hash = w.t("хеш шаблона", "prompt hash")
        var lines = [
            w.t("# Сравнение: \(a.title) и \(b.title)", "# Compare: \(a.title) vs \(b.title)"), "",
            "A: `\(a.title)` (\(hash) `\(a.validation.promptHash.prefix(16))…`)  ", "B: `\(b.title)` (\(hash) `\(b.validation.promptHash.prefix(16))…`)  ",
            w.t("Размеченных диалогов: \(n).", "\(n) labeled dialogues."), "", w.t("## Вывод", "## Verdict"), "",
        ]
        lines += fields.map { "- **\($0.field)**: \($0.comparison.verdict(w))" }
        lines += [
            "", w.t("## По полям", "## Per field"), "", fieldTable(w).markdown(), "", w.t("## По классам (F1)", "## Per class (F1)"), "", perClassTable(w).markdown(), "",
            w.t("## Стоимость и задержка", "## Cost and latency"), "", usageTable(w).markdown(), "",
            w.t("## Где A и B расходятся (\(disagreements.count))", "## Where A and B disagree (\(disagreements.count))"), "",
        ]
        lines.append(disagreements.isEmpty ? w.t("Нигде.", "Nowhere.") : disagreementTable(limit: nil, w).markdown())
        return lines.joined(separator: "\n") + "\n"
    }

    /// A self-contained HTML page: the verdicts, B − A per field drawn with its 95% interval
    /// against zero, the per-field table, per-class F1 of A and B as inline SVG bars, cost and
    /// latency, and the disagreements with each side's cell coloured by whether it matched the label.
    public func html(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        let h = ReportText.html
        var body = [
            "<h1>\(h(w.t("Сравнение", "Compare")))</h1>",
            "<p><b>A</b>: \(h(a.title)) <code>\(a.validation.promptHash.prefix(12))</code><br><b>B</b>: \(h(b.title)) <code>\(b.validation.promptHash.prefix(12))</code><br>\(h(w.t("Размеченных диалогов: \(n)", "\(n) labeled dialogues")))</p>",
        ]
        body.append("<ul class=\"verdict\">" + fields.map { "<li><b>\(h($0.field))</b>: \(h($0.comparison.verdict(w)))</li>" }.joined() + "</ul>")
        let reach = max(0.1, fields.map { max(abs($0.comparison.differenceCI.low), abs($0.comparison.differenceCI.high), abs($0.comparison.difference)) }.max() ?? 0.1)
        let bound = (reach * 10).rounded(.up) / 10
        body.append(
            IntervalChart(
                title: w.t("B − A: разница в доле верных, 95% интервал; справа от нуля — B лучше", "B − A: accuracy difference, 95% interval; right of zero: B is better"),
                rows: fields.map { row in
                    let ci = row.comparison.differenceCI
                    let color = ci.low > 0 ? "#1a7f37" : ci.high < 0 ? "#c62828" : "#888"
                    return .init(
                        label: row.field, value: row.comparison.difference, low: ci.low, high: ci.high,
                        text: "\(w.signed(row.comparison.difference)) (\(w.signed(ci.low))…\(w.signed(ci.high))), \(w.pValue(row.comparison.mcnemarP))", color: color)
                }, axis: -bound...bound, reference: 0, tick: { w.signed($0, digits: 1) }
            ).svg())
        body.append("<h2>\(h(w.t("По полям", "Per field")))</h2>" + fieldTable(w).html())
        body.append("<h2>\(h(w.t("F1 по классам", "F1 per class")))</h2><div class=\"row\">")
        for row in fields {
            let metricsA = a.validation.fields.first { $0.field == row.field }
            let metricsB = b.validation.fields.first { $0.field == row.field }
            var svg =
                "<svg viewBox=\"0 0 330 \(row.perClassF1Diff.count * 34 + 8)\" width=\"330\" height=\"\(row.perClassF1Diff.count * 34 + 8)\" role=\"img\" aria-label=\"F1 \(h(row.field))\">"
            for (index, item) in row.perClassF1Diff.enumerated() {
                let y = index * 34 + 4
                let f1A = metricsA?.perClass[item.label]?.f1 ?? 0, f1B = metricsB?.perClass[item.label]?.f1 ?? 0
                svg += "<text x=\"0\" y=\"\(y + 14)\" font-size=\"12\">\(h(item.label))</text>"
                svg +=
                    "<rect x=\"90\" y=\"\(y)\" width=\"\(Int(f1A * 180))\" height=\"12\" fill=\"#9ab3d0\"/><text x=\"\(94 + Int(f1A * 180))\" y=\"\(y + 10)\" font-size=\"10\">A \(w.decimal(f1A))</text>"
                svg +=
                    "<rect x=\"90\" y=\"\(y + 14)\" width=\"\(Int(f1B * 180))\" height=\"12\" fill=\"#4c78a8\"/><text x=\"\(94 + Int(f1B * 180))\" y=\"\(y + 24)\" font-size=\"10\">B \(w.decimal(f1B))</text>"
            }
            body.append("<div><h3>\(h(row.field))</h3>" + svg + "</svg></div>")
        }
        body.append("</div><h2>\(h(w.t("Стоимость и задержка", "Cost and latency")))</h2>" + usageTable(w).html())
        body.append("<h2>\(h(w.t("Где A и B расходятся", "Where A and B disagree"))) (\(disagreements.count))</h2>")
        if disagreements.isEmpty {
            body.append("<p>\(h(w.t("Нигде.", "Nowhere.")))</p>")
        } else {
            body.append(
                "<p class=\"sub\"><span class=\"hit\">\(h(w.t("зелёный", "green")))</span> — \(h(w.t("совпало с меткой", "matched the label"))), <span class=\"miss\">\(h(w.t("красный", "red")))</span> — \(h(w.t("не совпало", "did not")))</p>"
            )
            let headers = disagreementTable(limit: 0, w).headers
            var table = "<div class=\"scroll\"><table class=\"text\"><tr>" + headers.map { "<th class=\"t\">\(h($0))</th>" }.joined() + "</tr>"
            for item in disagreements {
                func side(_ value: String?) -> String {
                    "<td class=\"t \(value == item.gold ? "hit" : "miss")\">\(h(value ?? w.t("нет ответа", "no reply")))</td>"
                }
                table +=
                    "<tr><td class=\"t\">\(h(item.dialogueID))</td><td class=\"t\">\(h(item.field))</td><td class=\"t\">\(h(item.gold))</td>" + side(item.a) + side(item.b)
                    + "<td class=\"t\">\(h(item.excerpt))</td></tr>"
            }
            body.append(table + "</table></div>")
        }
        let style = ".verdict li{margin:.3em 0}.hit{background:#dff3e4}.miss{background:#fbe0e0}span.hit,span.miss{padding:0 4px}"
        return HTMLPage(title: "chattag \(w.t("сравнение", "compare"))", language: language, body: body, style: style).render()
    }
}
