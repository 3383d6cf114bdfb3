import Foundation

extension WeeklyReport {
    /// «Навыки менеджеров»: the rubric per staff member and where clients are lost; nil
    /// without a rubric instrument.
    func rubricSection(_ w: Wording) -> Section? {
        guard let rubric else { return nil }
        var section = Section(title: w.t("Навыки менеджеров", "Manager skills"))
        section.lines.append(
            w.t(
                "Рубрика: \(rubric.instrument.plainWords(w)); оценено \(w.dialogues(rubric.dialogues.count)) с ответом, без оценки \(rubric.unscored). Балл от −2 до 10.",
                "Rubric: \(rubric.instrument.plainWords(w)); \(w.dialogues(rubric.dialogues.count)) with a reply scored, \(rubric.unscored) not scored. Scores run from −2 to 10."))
        if !rubric.tooFew.isEmpty {
            let names = rubric.tooFew.map { "\($0.name) (n = \($0.n))" }.joined(separator: ", ")
            section.lines.append(
                w.t(
                    "Внимание: слишком мало диалогов, чтобы сравнивать сотрудников: \(names). Нужно хотя бы \(RubricWeek.smallN).",
                    "Note: too few dialogues to compare staff members: \(names). At least \(RubricWeek.smallN) are needed."))
        }
        section.table = rubricTable(w)
        if rubric.scenarios.isEmpty {
            section.footer.append(w.t("Упущенных лидов среди оценённых диалогов нет.", "No missed leads among the scored dialogues."))
        } else {
            section.footer.append(w.t("Где теряются клиенты (упущенные лиды):", "Where clients are lost (missed leads):"))
            for (index, scenario) in rubric.scenarios.enumerated() {
                let examples = scenario.examples.map { "«\($0)»" }.joined(separator: "; ")
                section.footer.append(
                    "\(index + 1). \(Self.valueName(scenario.intent, w)) × \(scenario.part.failure(w)) — \(w.t("упущенных лидов", "missed leads")): \(scenario.count). \(w.t("Примеры", "Examples")): \(examples)"
                )
            }
        }
        return section
    }

    /// One row per staff member: n, the mean with its interval, each part's rate, the most
    /// frequent recommended action, the change since last week.
    func rubricTable(_ w: Wording) -> TextTable? {
        guard let rubric else { return nil }
        var table = TextTable(
            headers: [w.t("сотрудник", "staff"), "n", w.t("балл (95% ДИ)", "score (95% CI)")] + RubricScore.Part.allCases.map { $0.name(w) }
                + [w.t("чаще всего нужно", "most needed"), w.t("Δ балла", "Δ score")], textColumns: [8])
        for member in rubric.staff {
            let interval = member.interval.map { " (\(w.decimal($0.lowerBound, digits: 1))…\(w.decimal($0.upperBound, digits: 1)))" } ?? ""
            table.rows.append(
                [member.name + (member.isBot ? w.t(" (бот)", " (bot)") : ""), "\(member.n)", w.decimal(member.meanScore, digits: 1) + interval]
                    + RubricScore.Part.allCases.map { w.percent(member.rates[$0]) }
                    + [RubricScore.actionName(member.topAction, w), member.change.map { w.signed($0, digits: 1) } ?? "—"])
        }
        return table
    }

    /// The rubric section of the HTML page.
    func rubricHTML(_ w: Wording) -> [String] {
        guard let section = rubricSection(w) else { return [] }
        let h = ReportText.html
        var body = ["<h2>\(h(section.title))</h2>"]
        for line in section.lines {
            body.append(line.hasPrefix(w.t("Внимание", "Note")) ? "<p class=\"note\">\(h(line))</p>" : "<p class=\"sub\">\(h(line))</p>")
        }
        if let table = section.table { body.append(table.html()) }
        if let rubric, !rubric.scenarios.isEmpty {
            body.append("<h3>\(h(w.t("Где теряются клиенты", "Where clients are lost")))</h3><ol>")
            for scenario in rubric.scenarios {
                body.append(
                    "<li><b>\(h(Self.valueName(scenario.intent, w))) × \(h(scenario.part.failure(w)))</b> — \(h(w.t("упущенных лидов", "missed leads"))): \(scenario.count)"
                        + "<ul>" + scenario.examples.map { "<li class=\"sub\">«\(h($0))»</li>" }.joined() + "</ul></li>")
            }
            body.append("</ol>")
        }
        return body
    }
}
