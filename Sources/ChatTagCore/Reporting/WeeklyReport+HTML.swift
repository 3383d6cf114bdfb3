import Foundation

extension WeeklyReport {
    /// Whether a change is good news for the owner.
    enum Judgement: String {
        case better, worse, same
        /// Not judged: the figures come from different instruments, or one side is missing.
        case notCompared = "same nc"
    }

    /// One KPI card: the figure, its denominator, and the change in colour and in words.
    struct Card {
        var title: String
        var value: String
        var denominator: String
        var judgement: Judgement
        var change: String
    }

    /// The week's KPI cards: dialogues, missed leads, median first response, unanswered,
    /// lead conversion. Fewer missed leads and unanswered (as shares), a faster first
    /// response and a higher conversion are better.
    func cards(_ w: Wording) -> [Card] {
        let now = current, before = previous
        let since = w.t("неделей раньше", "the week before")
        func rateCard(_ title: String, _ part: Int, _ whole: Int, _ partBefore: Int, _ wholeBefore: Int, lowerIsBetter: Bool, comparable: Bool, of noun: String)
            -> Card
        {
            let rate = whole > 0 ? Double(part) / Double(whole) : nil
            let rateBefore = wholeBefore > 0 ? Double(partBefore) / Double(wholeBefore) : nil
            let denominator = w.t("из \(whole) \(noun)", "of \(whole) \(noun)")
            guard comparable else {
                return Card(
                    title: title, value: "\(part)", denominator: denominator, judgement: .notCompared,
                    change: w.t("не сравнивается: сменился инструмент", "not compared: the instrument changed"))
            }
            guard let rate, let rateBefore else {
                return Card(title: title, value: "\(part)", denominator: denominator, judgement: .notCompared, change: w.t("\(since) данных нет", "no data \(since)"))
            }
            let shares = "\(w.percent(rate)) \(w.t("против", "against")) \(w.percent(rateBefore)) \(since)"
            if abs(rate - rateBefore) < 0.005 {
                return Card(title: title, value: "\(part)", denominator: denominator, judgement: .same, change: w.t("без изменений: ", "no change: ") + shares)
            }
            let better = (rate < rateBefore) == lowerIsBetter
            return Card(
                title: title, value: "\(part)", denominator: denominator, judgement: better ? .better : .worse,
                change: (better ? w.t("лучше: ", "better: ") : w.t("хуже: ", "worse: ")) + shares)
        }
        var cards: [Card] = []
        cards.append(
            Card(
                title: w.t("Диалогов", "Dialogues"), value: "\(now.dialogues)", denominator: w.t("начались на этой неделе", "started this week"), judgement: .same,
                change: "\(since) \(before.dialogues) (\(w.change(now.dialogues - before.dialogues)))"))
        cards.append(
            rateCard(
                w.t("Упущенные лиды", "Missed leads"), now.missedLeads.count, now.tagged, before.missedLeads.count, before.tagged, lowerIsBetter: true, comparable: tagsComparable,
                of: w.t("размеченных", "tagged")))
        let median = now.firstResponseMedianSeconds, medianBefore = before.firstResponseMedianSeconds
        var response = Card(
            title: w.t("Медиана первого ответа", "Median first response"), value: w.duration(median), denominator: w.t("по диалогам с ответом", "over answered dialogues"),
            judgement: .notCompared, change: w.t("\(since) данных нет", "no data \(since)"))
        if let median, let medianBefore {
            let delta = median - medianBefore
            if abs(delta) < 1 {
                response.judgement = .same
                response.change = w.t("без изменений", "no change")
            } else {
                response.judgement = delta < 0 ? .better : .worse
                response.change =
                    delta < 0
                    ? w.t("лучше: быстрее на \(w.duration(-delta))", "better: faster by \(w.duration(-delta))")
                    : w.t("хуже: медленнее на \(w.duration(delta))", "worse: slower by \(w.duration(delta))")
            }
        }
        cards.append(response)
        cards.append(
            rateCard(
                w.t("Без ответа", "Unanswered"), now.unanswered, now.dialogues, before.unanswered, before.dialogues, lowerIsBetter: true, comparable: true,
                of: w.t("диалогов", "dialogues")))
        var conversion = rateCard(
            w.t("Конверсия лидов", "Lead conversion"), now.conversion.booked, now.conversion.interested, before.conversion.booked, before.conversion.interested,
            lowerIsBetter: false,
            comparable: tagsComparable, of: w.t("с интересом и известным исходом", "interested, outcome known"))
        conversion.value = now.conversion.interested > 0 ? w.percent(now.conversion.rate) : "—"
        conversion.denominator =
            now.conversion.interested > 0
            ? w.t(
                "\(now.conversion.booked) из \(now.conversion.interested) с интересом и известным исходом",
                "\(now.conversion.booked) of \(now.conversion.interested) interested with a known outcome")
            : w.t("исходы из CRM не загружены", "no CRM outcomes loaded")
        cards.append(conversion)
        return cards
    }

    /// The trend lines of the last weeks: missed-lead share, median first response,
    /// unanswered share and conversion.
    func trendCharts(_ w: Wording) -> [TrendChart] {
        var segment = 0
        var segments: [Int] = []
        for (index, point) in history.enumerated() {
            if index > 0, point.instrument != history[index - 1].instrument, point.tagged > 0, history[index - 1].tagged > 0 { segment += 1 }
            segments.append(segment)
        }
        let label = { (point: WeekPoint) in "W\(point.week.week)" }
        let percent = { (value: Double) in w.percent(value) }
        let change = w.t("смена инструмента: до и после — не тренд", "instrument changed: not a trend across this line")
        func chart(
            _ title: String, fromTags: Bool, format: @escaping (Double) -> String, ceiling: @escaping (Double) -> Double = TrendChart.niceCeiling,
            _ value: (WeekPoint) -> (Double?, String)
        ) -> TrendChart {
            TrendChart(
                title: title,
                points: history.enumerated().map { index, point in
                    let (number, detail) = value(point)
                    return TrendChart.Point(label: label(point), value: number, detail: detail, segment: fromTags ? segments[index] : 0)
                }, format: format, ceiling: ceiling, changeLabel: change)
        }
        return [
            chart(w.t("Упущенные лиды, доля размеченных", "Missed leads, share of tagged"), fromTags: true, format: percent) {
                ($0.tagged > 0 ? Double($0.missedLeads) / Double($0.tagged) : nil, w.of($0.missedLeads, $0.tagged))
            },
            chart(w.t("Медиана первого ответа", "Median first response"), fromTags: false, format: { w.duration($0) }, ceiling: TrendChart.durationCeiling) {
                ($0.firstResponseMedianSeconds, w.dialogues($0.dialogues))
            },
            chart(w.t("Без ответа, доля диалогов", "Unanswered, share of dialogues"), fromTags: false, format: percent) {
                ($0.dialogues > 0 ? Double($0.unanswered) / Double($0.dialogues) : nil, w.of($0.unanswered, $0.dialogues))
            },
            chart(w.t("Конверсия лидов", "Lead conversion"), fromTags: true, format: percent) {
                ($0.conversion.rate, w.of($0.conversion.booked, $0.conversion.interested))
            },
        ]
    }

    /// A self-contained HTML page (inline CSS and SVG, no scripts, no external assets) an
    /// owner reads on a phone: KPI cards judged better or worse, the trend of the last weeks,
    /// the staff table with every column the terminal shows, the bot, the missed leads and
    /// the CRM outcomes.
    public func html(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        let h = ReportText.html
        var body: [String] = [
            "<h1>\(h(w.t("Неделя", "Week"))) \(h(current.week.description))</h1>",
            "<p class=\"sub\">\(h(current.firstDay)) – \(h(current.lastDay)), \(h(zone))</p>",
        ]
        guard !isEmpty else {
            body.append("<p class=\"note\">\(h(emptyMessage(w)))</p>")
            return page(body, w)
        }
        if let instrument = current.instrument {
            body.append(
                "<p class=\"sub\">\(h(w.t("Теги", "Tags"))): \(h(instrument.plainWords(w))); \(h(w.t("размечено", "tagged"))) \(h(w.of(current.tagged, current.dialogues))).</p>")
        } else {
            body.append(
                "<p class=\"note\">\(h(w.t("Тегов за эту неделю пока нет: запустите", "No tags for this week yet: run"))) <code>chattag run</code>\(h(w.t(", чтобы увидеть намерения, тональность и упущенные лиды.", " to see intents, sentiment and missed leads.")))</p>"
            )
        }
        if let note = instrumentNote(w) { body.append("<p class=\"note\">\(h(note))</p>") }
        if current.awaitingReview > 0 {
            body.append(
                "<p class=\"note\">\(h(w.t("Ждут проверки: \(w.dialogues(current.awaitingReview)) — модель не уверена; в цифры тегов они не входят.", "Awaiting review: \(w.dialogues(current.awaitingReview)) — the model was unsure; they are not counted in the tag figures.")))</p>"
            )
        }
        body.append(
            "<div class=\"cards\">"
                + cards(w).map { card in
                    "<div class=\"card\"><div class=\"k\">\(h(card.title))</div><div class=\"v\">\(h(card.value))</div><div class=\"of\">\(h(card.denominator))</div>"
                        + "<div class=\"d \(card.judgement.rawValue)\">\(h(card.change))</div></div>"
                }.joined() + "</div>")

        if history.count >= 2 {
            body.append(
                "<h2>\(h(w.t("Последние \(history.count) \(Wording.russianPlural(history.count, one: "неделя", few: "недели", many: "недель"))", "The last \(history.count) weeks")))</h2><div class=\"row\">"
            )
            body += trendCharts(w).map { $0.svg() }
            body.append("</div>")
            if history.indices.dropFirst().contains(where: { history[$0].instrument != history[$0 - 1].instrument && history[$0].tagged > 0 && history[$0 - 1].tagged > 0 }) {
                body.append(
                    "<p class=\"sub\">\(h(w.t("Пунктир — смена инструмента (шаблона или модели): по обе стороны от него показатели по тегам не сравниваются.", "A dashed line marks a change of instrument (template or model): tag figures on either side of it do not compare.")))</p>"
                )
            }
        }

        body.append("<div class=\"row\">")
        body.append(chart(w.t("По намерениям", "By intent"), current.byIntent, previous.byIntent, order: Self.intentOrder, w))
        body.append(chart(w.t("Тональность клиентов", "Client sentiment"), current.bySentiment, previous.bySentiment, order: Self.sentimentOrder, w))
        body.append(chart(w.t("По каналам", "By channel"), current.byChannel, previous.byChannel, order: [], w))
        body.append("</div>")
        body.append(
            "<p class=\"sub\">\(h(w.t("Светлые полосы и числа в скобках — неделя \(previous.week).", "Light bars and numbers in brackets: the previous week (\(previous.week)).")))</p>"
        )

        body.append(
            "<h2>\(h(w.t("Сотрудники", "Staff")))</h2><p class=\"sub\">\(h(w.t("Диалог засчитывается тому, кто ответил первым.", "A dialogue counts for whoever replied first.")))</p>"
        )
        body.append(staffTable(w).html())
        body += rubricHTML(w)

        body.append("<h2>\(h(w.t("Бот", "Bot")))</h2>")
        body.append(
            current.bot.botFirst == 0
                ? "<p>\(h(w.t("Ни на один диалог бот не ответил первым.", "No dialogue was answered first by a bot.")))</p>"
                : "<p>"
                    + h(
                        w.t(
                            "Бот ответил первым в \(w.of(current.bot.botFirst, current.bot.answered)) диалогов с ответом и передал человеку \(w.of(current.bot.handedToStaff, current.bot.botFirst)) (\(w.percent(current.bot.fallbackRate)); неделей раньше \(w.percent(previous.bot.fallbackRate))).",
                            "A bot answered first in \(w.of(current.bot.botFirst, current.bot.answered)) answered dialogues and handed \(w.of(current.bot.handedToStaff, current.bot.botFirst)) to a person (\(w.percent(current.bot.fallbackRate)); previous week \(w.percent(previous.bot.fallbackRate)))."
                        )) + "</p>")

        for section in [missedLeadsSection(w), outcomesSection(w)] {
            body.append("<h2>\(h(section.title))</h2>")
            body += section.lines.map { "<p>\(h($0))</p>" }
            if let table = section.table { body.append(table.html(class: "text")) }
        }
        return page(body, w)
    }

    /// Horizontal bars, this week dark and the previous week light beneath.
    private func chart(_ title: String, _ now: [String: Int], _ before: [String: Int], order: [String], _ w: Wording) -> String {
        let h = ReportText.html
        let keys = order.filter { now[$0] != nil || before[$0] != nil } + Set(now.keys).union(before.keys).subtracting(order).sorted()
        let top = max(1, (Array(now.values) + Array(before.values)).max() ?? 1)
        let rowHeight = 30
        var svg =
            "<svg viewBox=\"0 0 340 \(max(1, keys.count) * rowHeight + 8)\" width=\"340\" height=\"\(max(1, keys.count) * rowHeight + 8)\" role=\"img\" aria-label=\"\(h(title))\">"
        for (index, key) in keys.enumerated() {
            let y = index * rowHeight + 4
            let a = now[key] ?? 0, b = before[key] ?? 0
            svg += "<text x=\"0\" y=\"\(y + 13)\" font-size=\"12\">\(h(Self.valueName(key, w)))</text>"
            svg += "<rect x=\"90\" y=\"\(y + 2)\" width=\"\(a * 200 / top)\" height=\"12\" fill=\"#4c78a8\"/>"
            svg += "<rect x=\"90\" y=\"\(y + 16)\" width=\"\(b * 200 / top)\" height=\"6\" fill=\"#b8c9de\"/>"
            svg += "<text x=\"\(96 + a * 200 / top)\" y=\"\(y + 13)\" font-size=\"12\">\(a) <tspan fill=\"#888\">(\(b))</tspan></text>"
        }
        if keys.isEmpty { svg += "<text x=\"0\" y=\"16\" font-size=\"12\" fill=\"#888\">\(h(w.t("тегов нет", "no tags")))</text>" }
        return "<div><h3>\(h(title))</h3>" + svg + "</svg></div>"
    }

    private func page(_ body: [String], _ w: Wording) -> String {
        let style = """
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(11em,1fr));gap:.8em;margin:1em 0}
            .card{border:1px solid #ddd;border-radius:8px;padding:.6em .9em}.card .k{color:#555;font-size:.9em}
            .card .v{font-size:2em;font-weight:600;line-height:1.2}.card .of{color:#555;font-size:.85em}.card .d{font-size:.85em;margin-top:.3em}
            .trend h3{font-size:.95em}
            """
        return HTMLPage(title: "chattag \(w.t("неделя", "week")) \(current.week)", language: w.language, body: body, style: style).render()
    }
}
