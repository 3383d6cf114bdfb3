import Foundation

extension WeeklyReport {
    /// One titled block of the report: lines of prose and an optional table.
    struct Section {
        var title: String
        var lines: [String] = []
        var table: TextTable?
    }

    /// The report as sections shared by the terminal and Markdown renderings.
    func sections() -> [Section] {
        let now = current, before = previous
        var sections: [Section] = []
        var summary = Section(title: "\(now.week) (\(now.firstDay) – \(now.lastDay), \(zone))")
        summary.lines.append("Dialogues: \(now.dialogues) (previous week \(before.dialogues), \(ReportText.change(now.dialogues - before.dialogues)))")
        if let instrument = now.instrument {
            let versions = now.modelVersions.isEmpty ? "" : "; answered by \(now.modelVersions.joined(separator: ", "))"
            summary.lines.append("Tags: \(instrument)\(versions) — \(now.tagged) tagged, \(now.failed) failed, \(now.dialogues - now.tagged - now.failed) not tagged")
        } else {
            summary.lines.append("Tags: none yet — run `chattag run` to see intents, sentiment and missed leads.")
        }
        summary.lines.append(
            "First response: median \(ReportText.duration(now.firstResponseMedianSeconds)), p90 \(ReportText.duration(now.firstResponseP90Seconds)) (previous week \(ReportText.duration(before.firstResponseMedianSeconds)), \(ReportText.durationChange(now.firstResponseMedianSeconds, before.firstResponseMedianSeconds)))"
        )
        summary.lines.append(
            "Unanswered: \(now.unanswered) of \(now.dialogues) (previous week \(before.unanswered) of \(before.dialogues), \(ReportText.change(now.unanswered - before.unanswered))); no reply at all: \(now.noReply) of \(now.dialogues)"
        )
        let missedChange = tagsComparable ? ", \(ReportText.change(now.missedLeads.count - before.missedLeads.count))" : ""
        summary.lines.append(
            "Missed leads: \(now.missedLeads.count) of \(now.tagged) tagged (previous week \(before.missedLeads.count) of \(before.tagged)\(missedChange))")
        summary.lines.append(instrumentNote.map { "Note: " + $0 } ?? "Trend: both weeks were tagged by the same instrument, so changes compare.")
        sections.append(summary)

        var channels = Section(title: "By channel")
        channels.table = countTable("channel", now.byChannel, before.byChannel, comparable: true)
        sections.append(channels)
        var intents = Section(title: "By intent")
        intents.table = countTable("intent", now.byIntent, before.byIntent, comparable: tagsComparable, order: ["booking", "question", "complaint", "other"])
        sections.append(intents)
        var sentiment = Section(title: "Client sentiment")
        sentiment.table = countTable("sentiment", now.bySentiment, before.bySentiment, comparable: tagsComparable, order: ["positive", "neutral", "negative"])
        sections.append(sentiment)

        var staff = Section(title: "Staff (a dialogue counts for whoever replied first)")
        var staffTable = TextTable(headers: [
            "staff", "dialogues", "median 1st reply", "p90 1st reply", "unanswered", "missed leads", "rate", "Δ dialogues", "Δ median", "Δ missed",
        ])
        for member in now.staff {
            let earlier = before.staff.first { $0.name == member.name && $0.isBot == member.isBot }
            staffTable.rows.append([
                member.name + (member.isBot ? " (bot)" : ""), "\(member.dialogues)", ReportText.duration(member.firstResponseMedianSeconds),
                ReportText.duration(member.firstResponseP90Seconds), "\(member.unanswered)", "\(member.missedLeads)", ReportText.percent(member.missedLeadRate),
                ReportText.change(member.dialogues - (earlier?.dialogues ?? 0)),
                ReportText.durationChange(member.firstResponseMedianSeconds, earlier?.firstResponseMedianSeconds),
                tagsComparable ? ReportText.change(member.missedLeads - (earlier?.missedLeads ?? 0)) : "—",
            ])
        }
        if now.noReply > 0 {
            staffTable.rows.append(["(no reply)", "\(now.noReply)", "—", "—", "\(now.noReply)", "\(now.missedLeads.filter { $0.staff == nil }.count)", "—", "", "", ""])
        }
        staff.table = staffTable
        sections.append(staff)

        var bot = Section(title: "Bot")
        if now.bot.botFirst == 0 {
            bot.lines.append("No dialogue was answered first by a bot.")
        } else {
            bot.lines.append(
                "Answered first by a bot: \(now.bot.botFirst) of the answered dialogues (\(ReportText.percent(now.bot.share))); handed to a person: \(now.bot.handedToStaff) (fallback rate \(ReportText.percent(now.bot.fallbackRate)); previous week \(ReportText.percent(before.bot.fallbackRate)))"
            )
        }
        sections.append(bot)

        var missed = Section(title: "Missed leads (\(now.missedLeads.count))")
        if now.missedLeads.isEmpty {
            missed.lines.append(now.tagged == 0 ? "No tags for this week yet." : "None this week.")
        } else {
            missed.table = TextTable(
                headers: ["dialogue", "channel", "staff", "1st reply", "outcome", "client wrote"],
                rows: now.missedLeads.map {
                    [$0.dialogueID, $0.channel, $0.staff ?? "(no reply)", ReportText.duration($0.firstResponseSeconds), $0.outcome?.rawValue ?? "—", $0.excerpt]
                }, textColumns: [1, 2, 4, 5])
        }
        sections.append(missed)

        var outcomes = Section(title: "Outcomes from the CRM")
        if now.outcomes.known == 0 {
            outcomes.lines.append("No outcomes known for this week's tagged dialogues. Import a CSV of dialogue_id,outcome to see whether missed leads cost bookings.")
        } else {
            outcomes.lines.append(
                "Lead conversion: \(now.conversion.booked) booked of \(now.conversion.interested) dialogues with buying interest and a known outcome (\(ReportText.percent(now.conversion.rate)))"
            )
            let split = now.outcomes
            outcomes.table = TextTable(
                headers: ["", "booked", "not booked", "unknown", "booked rate"],
                rows: [
                    ["missed lead", "\(split.missedBooked)", "\(split.missedNotBooked)", "\(split.missedUnknown)", ReportText.percent(split.missedBookedRate)],
                    ["other dialogues", "\(split.otherBooked)", "\(split.otherNotBooked)", "\(split.otherUnknown)", ReportText.percent(split.otherBookedRate)],
                ])
        }
        sections.append(outcomes)
        return sections
    }

    private func countTable(_ name: String, _ now: [String: Int], _ before: [String: Int], comparable: Bool, order: [String] = []) -> TextTable {
        let keys = order.filter { now[$0] != nil || before[$0] != nil } + Set(now.keys).union(before.keys).subtracting(order).sorted()
        var table = TextTable(headers: [name, "this week", "previous", "change"])
        for key in keys {
            let a = now[key] ?? 0, b = before[key] ?? 0
            table.rows.append([key, "\(a)", "\(b)", comparable ? ReportText.change(a - b) : "—"])
        }
        return table
    }

    /// The report for a terminal.
    public func table() -> String {
        if isEmpty { return emptyMessage }
        return sections().map { section in
            var block = [section.title, String(repeating: "─", count: min(72, section.title.count))] + section.lines
            if let table = section.table { block.append(table.terminal()) }
            return block.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// The report as Markdown.
    public func markdown() -> String {
        if isEmpty { return "# chattag weekly report\n\n" + emptyMessage + "\n" }
        let parts = sections()
        var out = ["# chattag weekly report: \(parts[0].title)", ""] + parts[0].lines.map { "- " + $0 }
        for section in parts.dropFirst() {
            out += ["", "## \(section.title)", ""] + section.lines
            if let table = section.table { out += (section.lines.isEmpty ? [] : [""]) + [table.markdown()] }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
