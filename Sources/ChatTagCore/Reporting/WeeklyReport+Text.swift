import Foundation

extension WeeklyReport {
    /// One titled block of the report: lines of prose and an optional table.
    struct Section {
        var title: String
        var lines: [String] = []
        var table: TextTable?
        /// Lines after the table.
        var footer: [String] = []
    }

    /// Intent and sentiment values in the order the pages list them.
    static let intentOrder = ["booking", "question", "complaint", "other"]
    static let sentimentOrder = ["positive", "neutral", "negative"]

    /// The report as sections shared by the terminal and Markdown renderings.
    func sections(_ w: Wording) -> [Section] {
        let now = current, before = previous
        var sections: [Section] = []
        var summary = Section(title: "\(now.week) (\(now.firstDay) – \(now.lastDay), \(zone))")
        summary.lines.append(
            w.t(
                "Диалогов: \(now.dialogues) (неделей раньше \(before.dialogues), \(w.change(now.dialogues - before.dialogues)))",
                "Dialogues: \(now.dialogues) (previous week \(before.dialogues), \(w.change(now.dialogues - before.dialogues)))"))
        if let instrument = now.instrument {
            let versions =
                now.modelVersions.isEmpty ? "" : w.t("; ответила \(now.modelVersions.joined(separator: ", "))", "; answered by \(now.modelVersions.joined(separator: ", "))")
            let untagged = now.dialogues - now.tagged - now.failed
            summary.lines.append(
                w.t(
                    "Теги: \(instrument.plainWords(w))\(versions) — размечено \(w.of(now.tagged, now.dialogues)), ошибок \(now.failed), без тегов \(untagged)",
                    "Tags: \(instrument.plainWords(w))\(versions) — \(w.of(now.tagged, now.dialogues)) tagged, \(now.failed) failed, \(untagged) not tagged"))
        } else {
            summary.lines.append(
                w.t(
                    "Тегов пока нет: запустите `chattag run`, чтобы увидеть намерения, тональность и упущенные лиды.",
                    "Tags: none yet — run `chattag run` to see intents, sentiment and missed leads."))
        }
        summary.lines.append(
            w.t(
                "Первый ответ: медиана \(w.duration(now.firstResponseMedianSeconds)), p90 \(w.duration(now.firstResponseP90Seconds)) (неделей раньше \(w.duration(before.firstResponseMedianSeconds)), \(w.durationChange(now.firstResponseMedianSeconds, before.firstResponseMedianSeconds)))",
                "First response: median \(w.duration(now.firstResponseMedianSeconds)), p90 \(w.duration(now.firstResponseP90Seconds)) (previous week \(w.duration(before.firstResponseMedianSeconds)), \(w.durationChange(now.firstResponseMedianSeconds, before.firstResponseMedianSeconds)))"
            ))
        summary.lines.append(
            w.t(
                "Без ответа: \(w.of(now.unanswered, now.dialogues)) (неделей раньше \(w.of(before.unanswered, before.dialogues)), \(w.change(now.unanswered - before.unanswered))); без единого ответа: \(w.of(now.noReply, now.dialogues))",
                "Unanswered: \(w.of(now.unanswered, now.dialogues)) (previous week \(w.of(before.unanswered, before.dialogues)), \(w.change(now.unanswered - before.unanswered))); no reply at all: \(w.of(now.noReply, now.dialogues))"
            ))
        if now.awaitingReview > 0 {
            summary.lines.append(
                w.t(
                    "Ждут проверки: \(w.dialogues(now.awaitingReview)) — модель не уверена; в цифры тегов они не входят (`chattag review`).",
                    "Awaiting review: \(w.dialogues(now.awaitingReview)) — the model was unsure; they are not counted in the tag figures (`chattag review`)."))
        }
        let missedChange = tagsComparable ? ", \(w.change(now.missedLeads.count - before.missedLeads.count))" : ""
        summary.lines.append(
            w.t(
                "Упущенные лиды: \(w.of(now.missedLeads.count, now.tagged)) размеченных (неделей раньше \(w.of(before.missedLeads.count, before.tagged))\(missedChange))",
                "Missed leads: \(w.of(now.missedLeads.count, now.tagged)) tagged (previous week \(w.of(before.missedLeads.count, before.tagged))\(missedChange))"))
        summary.lines.append(
            instrumentNote(w).map { w.t("Внимание: ", "Note: ") + $0 }
                ?? w.t("Тренд: обе недели размечены одним инструментом, изменения сравнимы.", "Trend: both weeks were tagged by the same instrument, so changes compare."))
        sections.append(summary)

        var channels = Section(title: w.t("По каналам", "By channel"))
        channels.table = countTable(w, w.t("канал", "channel"), now.byChannel, before.byChannel, comparable: true)
        sections.append(channels)
        var intents = Section(title: w.t("По намерениям", "By intent"))
        intents.table = countTable(w, w.t("намерение", "intent"), now.byIntent, before.byIntent, comparable: tagsComparable, order: Self.intentOrder)
        sections.append(intents)
        var sentiment = Section(title: w.t("Тональность клиентов", "Client sentiment"))
        sentiment.table = countTable(w, w.t("тональность", "sentiment"), now.bySentiment, before.bySentiment, comparable: tagsComparable, order: Self.sentimentOrder)
        sections.append(sentiment)

        var staff = Section(title: w.t("Сотрудники (диалог засчитывается тому, кто ответил первым)", "Staff (a dialogue counts for whoever replied first)"))
        staff.table = staffTable(w)
        sections.append(staff)
        if let rubric = rubricSection(w) { sections.append(rubric) }

        var bot = Section(title: w.t("Бот", "Bot"))
        if now.bot.botFirst == 0 {
            bot.lines.append(w.t("Ни на один диалог бот не ответил первым.", "No dialogue was answered first by a bot."))
        } else {
            bot.lines.append(
                w.t(
                    "Бот ответил первым: \(w.of(now.bot.botFirst, now.bot.answered)) диалогов с ответом (\(w.percent(now.bot.share))); передал человеку: \(w.of(now.bot.handedToStaff, now.bot.botFirst)) (\(w.percent(now.bot.fallbackRate)); неделей раньше \(w.percent(before.bot.fallbackRate)))",
                    "Answered first by a bot: \(w.of(now.bot.botFirst, now.bot.answered)) answered dialogues (\(w.percent(now.bot.share))); handed to a person: \(w.of(now.bot.handedToStaff, now.bot.botFirst)) (fallback rate \(w.percent(now.bot.fallbackRate)); previous week \(w.percent(before.bot.fallbackRate)))"
                ))
        }
        sections.append(bot)

        sections.append(missedLeadsSection(w))
        sections.append(outcomesSection(w))
        return sections
    }

    /// The week's missed leads, each with its staff member, first response and excerpt.
    func missedLeadsSection(_ w: Wording) -> Section {
        var missed = Section(title: w.t("Упущенные лиды (\(w.of(current.missedLeads.count, current.tagged)))", "Missed leads (\(w.of(current.missedLeads.count, current.tagged)))"))
        if current.missedLeads.isEmpty {
            missed.lines.append(current.tagged == 0 ? w.t("Тегов за эту неделю пока нет.", "No tags for this week yet.") : w.t("На этой неделе нет.", "None this week."))
        } else {
            missed.table = TextTable(
                headers: w.language == .ru
                    ? ["диалог", "канал", "сотрудник", "1-й ответ", "исход", "клиент написал"] : ["dialogue", "channel", "staff", "1st reply", "outcome", "client wrote"],
                rows: current.missedLeads.map {
                    [$0.dialogueID, $0.channel, $0.staff ?? w.t("(без ответа)", "(no reply)"), w.duration($0.firstResponseSeconds), Self.outcomeName($0.outcome, w), $0.excerpt]
                }, textColumns: [1, 2, 4, 5])
        }
        return missed

    }

    /// CRM outcomes: lead conversion, and missed leads against the other dialogues.
    func outcomesSection(_ w: Wording) -> Section {
        var outcomes = Section(title: w.t("Исходы из CRM", "Outcomes from the CRM"))
        if current.outcomes.known == 0 {
            outcomes.lines.append(
                w.t(
                    "Исходы размеченных диалогов этой недели неизвестны. Импортируйте CSV с колонками dialogue_id,outcome, чтобы увидеть, стоили ли упущенные лиды записей.",
                    "No outcomes known for this week's tagged dialogues. Import a CSV of dialogue_id,outcome to see whether missed leads cost bookings."))
        } else {
            outcomes.lines.append(
                w.t(
                    "Конверсия лидов: записались \(w.of(current.conversion.booked, current.conversion.interested)) клиентов с интересом к покупке и известным исходом (\(w.percent(current.conversion.rate)))",
                    "Lead conversion: \(w.of(current.conversion.booked, current.conversion.interested)) dialogues with buying interest and a known outcome booked (\(w.percent(current.conversion.rate)))"
                ))
            outcomes.table = outcomeTable(w)
        }
        return outcomes
    }

    /// The staff table: the same columns in every format.
    func staffTable(_ w: Wording) -> TextTable {
        let now = current, before = previous
        var table = TextTable(
            headers: w.language == .ru
                ? ["сотрудник", "диалогов", "медиана 1-го ответа", "p90 1-го ответа", "без ответа", "упущ. лиды", "доля", "Δ диалогов", "Δ медианы", "Δ упущ."]
                : ["staff", "dialogues", "median 1st reply", "p90 1st reply", "unanswered", "missed leads", "rate", "Δ dialogues", "Δ median", "Δ missed"])
        for member in now.staff {
            let earlier = before.staff.first { $0.name == member.name && $0.isBot == member.isBot }
            table.rows.append([
                member.name + (member.isBot ? w.t(" (бот)", " (bot)") : ""), "\(member.dialogues)", w.duration(member.firstResponseMedianSeconds),
                w.duration(member.firstResponseP90Seconds), w.of(member.unanswered, member.dialogues), w.of(member.missedLeads, member.tagged),
                w.percent(member.missedLeadRate), w.change(member.dialogues - (earlier?.dialogues ?? 0)),
                w.durationChange(member.firstResponseMedianSeconds, earlier?.firstResponseMedianSeconds),
                tagsComparable ? w.change(member.missedLeads - (earlier?.missedLeads ?? 0)) : "—",
            ])
        }
        if now.noReply > 0 {
            let unattended = now.missedLeads.filter { $0.staff == nil }.count
            table.rows.append([w.t("(без ответа)", "(no reply)"), "\(now.noReply)", "—", "—", w.of(now.noReply, now.noReply), "\(unattended)", "—", "", "", ""])
        }
        return table
    }

    /// Missed leads and other dialogues against their CRM outcome.
    func outcomeTable(_ w: Wording) -> TextTable {
        let split = current.outcomes
        return TextTable(
            headers: w.language == .ru ? ["", "записались", "не записались", "неизвестно", "доля записей"] : ["", "booked", "not booked", "unknown", "booked rate"],
            rows: [
                [w.t("упущенный лид", "missed lead"), "\(split.missedBooked)", "\(split.missedNotBooked)", "\(split.missedUnknown)", w.percent(split.missedBookedRate)],
                [w.t("остальные диалоги", "other dialogues"), "\(split.otherBooked)", "\(split.otherNotBooked)", "\(split.otherUnknown)", w.percent(split.otherBookedRate)],
            ])
    }

    /// An outcome as the pages name it.
    static func outcomeName(_ outcome: Outcome?, _ w: Wording) -> String {
        switch outcome {
        case .booked?: return w.t("записался", "booked")
        case .notBooked?: return w.t("не записался", "not booked")
        case .unknown?: return w.t("неизвестно", "unknown")
        case nil: return "—"
        }
    }

    /// A tag value as the pages name it (the stored value stays as the template defines it).
    static func valueName(_ value: String, _ w: Wording) -> String {
        guard w.language == .ru else { return value }
        let names = [
            "booking": "запись", "question": "вопрос", "complaint": "жалоба", "other": "другое", "positive": "позитив", "neutral": "нейтрально",
            "negative": "негатив",
        ]
        return names[value] ?? value
    }

    private func countTable(_ w: Wording, _ name: String, _ now: [String: Int], _ before: [String: Int], comparable: Bool, order: [String] = []) -> TextTable {
        let keys = order.filter { now[$0] != nil || before[$0] != nil } + Set(now.keys).union(before.keys).subtracting(order).sorted()
        let total = now.values.reduce(0, +), totalBefore = before.values.reduce(0, +)
        var table = TextTable(headers: [name] + (w.language == .ru ? ["эта неделя", "прошлая", "изменение"] : ["this week", "previous", "change"]))
        for key in keys {
            let a = now[key] ?? 0, b = before[key] ?? 0
            table.rows.append([Self.valueName(key, w), w.of(a, total), w.of(b, totalBefore), comparable ? w.change(a - b) : "—"])
        }
        return table
    }

    /// The report for a terminal.
    public func table(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        if isEmpty { return emptyMessage(w) }
        return sections(w).map { section in
            var block = [section.title, String(repeating: "─", count: min(72, section.title.count))] + section.lines
            if let table = section.table { block.append(table.terminal()) }
            return (block + section.footer).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// The report as Markdown.
    public func markdown(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        let heading = w.t("# chattag: отчёт за неделю", "# chattag weekly report")
        if isEmpty { return heading + "\n\n" + emptyMessage(w) + "\n" }
        let parts = sections(w)
        var out = ["\(heading): \(parts[0].title)", ""] + parts[0].lines.map { "- " + $0 }
        for section in parts.dropFirst() {
            out += ["", "## \(section.title)", ""] + section.lines
            if let table = section.table { out += (section.lines.isEmpty ? [] : [""]) + [table.markdown()] }
            if !section.footer.isEmpty { out += [""] + section.footer }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
