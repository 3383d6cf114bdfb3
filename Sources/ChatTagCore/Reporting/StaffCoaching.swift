import Foundation

/// One manager's week for a coaching talk (`report --staff Анна --week 2026-W47`): each of
/// their scored dialogues with the score, the points lost and why, the recommended action and
/// an excerpt, worst first.
public struct StaffCoaching: Sendable, Equatable {
    public var week: ReportWeek
    public var staff: RubricWeek.StaffRubric
    /// Their scored dialogues, lowest score first.
    public var dialogues: [RubricWeek.ScoredDialogue]
    public var instrument: Instrument

    /// `name`'s coaching page from the week's rubric; nil when they have no scored dialogue.
    public init?(rubric: RubricWeek, week: ReportWeek, name: String) {
        guard let staff = rubric.staff.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else { return nil }
        self.week = week
        self.staff = staff
        dialogues = rubric.dialogues.filter { $0.staff == staff.name && $0.isBot == staff.isBot }.sorted { ($0.score.total, $0.dialogueID) < ($1.score.total, $1.dialogueID) }
        instrument = rubric.instrument
    }

    /// Why points were lost, part by part: «медленный первый ответ (25 мин): −3».
    public static func losses(_ score: RubricScore, _ w: Wording) -> [String] {
        score.parts.filter { $0.points < $0.maximum }.map { part, points, maximum in
            var reason = part.failure(w)
            switch part {
            case .firstResponse: reason += " (\(w.duration(score.firstResponseSeconds)))"
            case .needsClarified: reason += points == 1 ? w.t(" (частично)", " (partly)") : ""
            default: break
            }
            return "\(reason): −\(maximum - points)"
        }
    }

    func rows(_ w: Wording) -> TextTable {
        TextTable(
            headers: w.language == .ru
                ? ["диалог", "канал", "балл", "потеряно", "что нужно было сделать", "клиент написал"]
                : ["dialogue", "channel", "score", "points lost", "what to do", "client wrote"],
            rows: dialogues.map { item in
                let lost = Self.losses(item.score, w)
                return [
                    item.dialogueID, item.channel, "\(item.score.total)", lost.isEmpty ? w.t("ничего", "nothing") : lost.joined(separator: "; "),
                    RubricScore.actionName(item.score.recommendedAction, w), item.excerpt,
                ]
            }, textColumns: [1, 3, 4, 5])
    }

    func summary(_ w: Wording) -> [String] {
        let interval = staff.interval.map { " (95% \(w.t("ДИ", "CI")) \(w.decimal($0.lowerBound, digits: 1))…\(w.decimal($0.upperBound, digits: 1)))" } ?? ""
        var lines = [
            w.t(
                "Средний балл \(w.decimal(staff.meanScore, digits: 1))\(interval), оценено диалогов: \(staff.n); шкала от −2 до 10.",
                "Mean score \(w.decimal(staff.meanScore, digits: 1))\(interval) over \(w.dialogues(staff.n)); the scale runs from −2 to 10."),
            RubricScore.Part.allCases.map { "\($0.name(w)): \(w.percent(staff.rates[$0]))" }.joined(separator: " · "),
            w.t("Чаще всего нужно: \(RubricScore.actionName(staff.topAction, w)).", "Most often needed: \(RubricScore.actionName(staff.topAction, w))."),
            w.t("Рубрика: \(instrument.plainWords(w)).", "Rubric: \(instrument.plainWords(w))."),
        ]
        if let change = staff.change { lines.append(w.t("К прошлой неделе: \(w.signed(change, digits: 1)).", "Against last week: \(w.signed(change, digits: 1)).")) }
        if staff.n < RubricWeek.smallN && !staff.isBot {
            lines.append(w.t("Мало диалогов: выводы предварительные.", "Few dialogues: treat the figures as a first look."))
        }
        return lines
    }

    func title(_ w: Wording) -> String { w.t("\(staff.name): неделя \(week)", "\(staff.name): week \(week)") }

    /// The page for a terminal.
    public func table(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        let title = title(w)
        return ([title, String(repeating: "─", count: title.count)] + summary(w) + ["", rows(w).terminal()]).joined(separator: "\n")
    }

    /// The page as Markdown.
    public func markdown(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        return (["# \(title(w))", ""] + summary(w).map { "- " + $0 } + ["", rows(w).markdown()]).joined(separator: "\n") + "\n"
    }

    /// A self-contained HTML page, readable on a phone.
    public func html(_ language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        let h = ReportText.html
        var body = ["<h1>\(h(title(w)))</h1>"] + summary(w).map { "<p class=\"sub\">\(h($0))</p>" }
        body.append(rows(w).html(class: "text"))
        return HTMLPage(title: "chattag " + title(w), language: language, body: body).render()
    }
}
