import Foundation

extension WeeklyReport {
    /// A self-contained HTML page (inline CSS and SVG, no external assets) for an e-mail:
    /// headline figures, bar charts of this week against the previous one, the staff table,
    /// the bot, the missed leads and the CRM outcomes.
    public func html() -> String {
        let h = ReportText.html
        var body: [String] = [
            "<h1>Week \(h(current.week.description))</h1>",
            "<p class=\"sub\">\(h(current.firstDay)) – \(h(current.lastDay)), \(h(zone))</p>",
        ]
        guard !isEmpty else {
            body.append("<p class=\"note\">\(h(emptyMessage))</p>")
            return page(body)
        }
        let cards: [(String, String, String)] = [
            ("dialogues", "\(current.dialogues)", "\(ReportText.change(current.dialogues - previous.dialogues)) vs previous"),
            (
                "missed leads", "\(current.missedLeads.count) of \(current.tagged)",
                tagsComparable ? "\(ReportText.change(current.missedLeads.count - previous.missedLeads.count)) vs previous" : "instrument changed"
            ),
            (
                "median first reply", ReportText.duration(current.firstResponseMedianSeconds),
                "\(ReportText.durationChange(current.firstResponseMedianSeconds, previous.firstResponseMedianSeconds)) vs previous"
            ),
            ("unanswered", "\(current.unanswered) of \(current.dialogues)", "\(ReportText.change(current.unanswered - previous.unanswered)) vs previous"),
            (
                "lead conversion", ReportText.percent(current.conversion.rate),
                current.conversion.interested > 0 ? "\(current.conversion.booked) of \(current.conversion.interested)" : "no outcomes known"
            ),
        ]
        body.append(
            "<div class=\"cards\">"
                + cards.map { "<div class=\"card\"><div class=\"k\">\(h($0.0))</div><div class=\"v\">\(h($0.1))</div><div class=\"d\">\(h($0.2))</div></div>" }.joined() + "</div>")
        if let instrument = current.instrument {
            body.append("<p class=\"sub\">Tags: \(h(instrument.description)), \(current.tagged) of \(current.dialogues) dialogues tagged.</p>")
        } else {
            body.append("<p class=\"note\">No tags for this week yet: run <code>chattag run</code> to see intents, sentiment and missed leads.</p>")
        }
        if let note = instrumentNote { body.append("<p class=\"note\">\(h(note))</p>") }
        body.append("<div class=\"row\">")
        body.append(chart("By intent", current.byIntent, previous.byIntent, order: ["booking", "question", "complaint", "other"]))
        body.append(chart("Client sentiment", current.bySentiment, previous.bySentiment, order: ["positive", "neutral", "negative"]))
        body.append(chart("By channel", current.byChannel, previous.byChannel, order: []))
        body.append("</div>")

        body.append("<h2>Staff</h2><p class=\"sub\">A dialogue counts for whoever replied first.</p>")
        let slowest = max(1, current.staff.compactMap(\.firstResponseMedianSeconds).max() ?? 1)
        var staffRows =
            "<table><tr><th>staff</th><th>dialogues</th><th>median first reply</th><th>p90</th><th>unanswered</th><th>missed leads</th><th>rate</th><th>Δ dialogues</th><th>Δ median</th></tr>"
        for member in current.staff {
            let earlier = previous.staff.first { $0.name == member.name && $0.isBot == member.isBot }
            let width = Int(((member.firstResponseMedianSeconds ?? 0) / slowest) * 120)
            staffRows +=
                "<tr><td>\(h(member.name))\(member.isBot ? " <small>bot</small>" : "")</td><td>\(member.dialogues)</td>"
                + "<td><svg width=\"124\" height=\"10\"><rect width=\"\(width)\" height=\"10\" fill=\"#4c78a8\"/></svg> \(ReportText.duration(member.firstResponseMedianSeconds))</td>"
                + "<td>\(ReportText.duration(member.firstResponseP90Seconds))</td><td>\(member.unanswered)</td><td>\(member.missedLeads)</td><td>\(ReportText.percent(member.missedLeadRate))</td>"
                + "<td>\(ReportText.change(member.dialogues - (earlier?.dialogues ?? 0)))</td><td>\(ReportText.durationChange(member.firstResponseMedianSeconds, earlier?.firstResponseMedianSeconds))</td></tr>"
        }
        if current.noReply > 0 {
            staffRows +=
                "<tr class=\"warn\"><td>(no reply)</td><td>\(current.noReply)</td><td>—</td><td>—</td><td>\(current.noReply)</td><td>\(current.missedLeads.filter { $0.staff == nil }.count)</td><td></td><td></td><td></td></tr>"
        }
        body.append(staffRows + "</table>")

        body.append("<h2>Bot</h2>")
        body.append(
            current.bot.botFirst == 0
                ? "<p>No dialogue was answered first by a bot.</p>"
                : "<p>A bot answered first in <b>\(current.bot.botFirst)</b> dialogues (\(ReportText.percent(current.bot.share)) of the answered ones) and handed <b>\(current.bot.handedToStaff)</b> of them to a person: fallback rate <b>\(ReportText.percent(current.bot.fallbackRate))</b> (previous week \(ReportText.percent(previous.bot.fallbackRate))).</p>"
        )

        body.append("<h2>Missed leads (\(current.missedLeads.count))</h2>")
        if current.missedLeads.isEmpty {
            body.append("<p>\(current.tagged == 0 ? "No tags for this week yet." : "None this week.")</p>")
        } else {
            body.append(
                "<table class=\"text\"><tr><th>dialogue</th><th>channel</th><th>staff</th><th>first reply</th><th>outcome</th><th>client wrote</th></tr>"
                    + current.missedLeads.map { lead in
                        "<tr><td>\(h(lead.dialogueID))</td><td>\(h(lead.channel))</td><td>\(h(lead.staff ?? "(no reply)"))</td><td>\(ReportText.duration(lead.firstResponseSeconds))</td><td>\(h(lead.outcome?.rawValue ?? "—"))</td><td>\(h(lead.excerpt))</td></tr>"
                    }.joined() + "</table>")
        }

        body.append("<h2>Outcomes from the CRM</h2>")
        let split = current.outcomes
        if split.known == 0 {
            body.append("<p>No outcomes known for this week's tagged dialogues. Import a CSV of <code>dialogue_id,outcome</code> to see whether missed leads cost bookings.</p>")
        } else {
            body.append(
                "<table><tr><th></th><th>booked</th><th>not booked</th><th>unknown</th><th>booked rate</th></tr>"
                    + "<tr><td>missed lead</td><td>\(split.missedBooked)</td><td>\(split.missedNotBooked)</td><td>\(split.missedUnknown)</td><td>\(ReportText.percent(split.missedBookedRate))</td></tr>"
                    + "<tr><td>other dialogues</td><td>\(split.otherBooked)</td><td>\(split.otherNotBooked)</td><td>\(split.otherUnknown)</td><td>\(ReportText.percent(split.otherBookedRate))</td></tr></table>"
            )
        }
        return page(body)
    }

    /// Horizontal bars, this week dark and the previous week light beneath.
    private func chart(_ title: String, _ now: [String: Int], _ before: [String: Int], order: [String]) -> String {
        let h = ReportText.html
        let keys = order.filter { now[$0] != nil || before[$0] != nil } + Set(now.keys).union(before.keys).subtracting(order).sorted()
        let top = max(1, (Array(now.values) + Array(before.values)).max() ?? 1)
        let rowHeight = 30
        var svg = "<svg width=\"340\" height=\"\(max(1, keys.count) * rowHeight + 8)\" role=\"img\" aria-label=\"\(h(title))\">"
        for (index, key) in keys.enumerated() {
            let y = index * rowHeight + 4
            let a = now[key] ?? 0, b = before[key] ?? 0
            svg += "<text x=\"0\" y=\"\(y + 13)\" font-size=\"12\">\(h(key))</text>"
            svg += "<rect x=\"90\" y=\"\(y + 2)\" width=\"\(a * 200 / top)\" height=\"12\" fill=\"#4c78a8\"/>"
            svg += "<rect x=\"90\" y=\"\(y + 16)\" width=\"\(b * 200 / top)\" height=\"6\" fill=\"#b8c9de\"/>"
            svg += "<text x=\"\(96 + a * 200 / top)\" y=\"\(y + 13)\" font-size=\"12\">\(a) <tspan fill=\"#888\">(\(b))</tspan></text>"
        }
        if keys.isEmpty { svg += "<text x=\"0\" y=\"16\" font-size=\"12\" fill=\"#888\">no tags</text>" }
        return "<div><h3>\(h(title))</h3>" + svg + "</svg></div>"
    }

    private func page(_ body: [String]) -> String {
        let style = """
            body{font-family:-apple-system,Segoe UI,Roboto,sans-serif;margin:2em;color:#222;max-width:1100px}
            table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
            th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}.text td,.text th{text-align:left}td{white-space:nowrap}.text td:last-child{white-space:normal}
            .row{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}.sub{color:#666}
            .note{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em 1em}.warn td{color:#a33}
            .cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:9em}
            .card .k{color:#666;font-size:.85em}.card .v{font-size:1.8em;font-weight:600}.card .d{color:#666;font-size:.8em}
            code{background:#f4f4f4;padding:1px 4px}
            """
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>chattag week \(current.week)</title><style>\(style)</style></head><body>"
            + body.joined(separator: "\n") + "<p class=\"sub\">Light bars and numbers in brackets: the previous week (\(previous.week)).</p></body></html>\n"
    }
}
