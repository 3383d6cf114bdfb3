/// The weekly report as a long CSV a spreadsheet pivots.
extension WeeklyReport {
    /// How the CSV is written: Russian Excel opens `;`-separated UTF-8 with a BOM and reads
    /// decimal commas; other tools want `,` and points.
    public struct CSVStyle: Sendable, Equatable {
        public var delimiter: String
        public var byteOrderMark: Bool
        public var decimalComma: Bool

        public init(delimiter: String = ";", byteOrderMark: Bool = true, decimalComma: Bool? = nil) {
            self.delimiter = delimiter
            self.byteOrderMark = byteOrderMark
            self.decimalComma = decimalComma ?? (delimiter == ";")
        }

        /// For Excel in Russian locales: `;`, a BOM, decimal commas.
        public static let excel = CSVStyle()
    }

    /// `section,item,metric,this_week,previous_week,change,detail` (in Russian by default:
    /// `раздел;элемент;показатель;…`), one row per figure, then one row per missed lead (its
    /// first response in `this_week`, the staff member, channel and excerpt in `detail`); RFC
    /// 4180 quoting, CRLF line ends. Counts are whole numbers and name their denominator in
    /// `detail` («из 37»); times (seconds) and rates have three decimals.
    public func csv(style: CSVStyle = .excel, language: OutputLanguage = .ru) -> String {
        let w = Wording(language)
        let ru = language == .ru
        var rows: [[String]] = [
            ru
                ? ["раздел", "элемент", "показатель", "эта неделя", "прошлая неделя", "изменение", "подробности"]
                : ["section", "item", "metric", "this_week", "previous_week", "change", "detail"]
        ]
        func decimal(_ value: Double?) -> String {
            guard let value else { return "" }
            let text = String(format: "%.3f", value)
            return style.decimalComma ? text.replacingOccurrences(of: ".", with: ",") : text
        }
        func add(_ section: String, _ item: String, _ metric: String, _ now: Double?, _ before: Double?, comparable: Bool = true) {
            let change = comparable ? (now.flatMap { a in before.map { b in decimal(a - b) } } ?? "") : ""
            rows.append([section, item, metric, decimal(now), decimal(before), change, ""])
        }
        func count(_ section: String, _ item: String, _ metric: String, _ now: Int, _ before: Int?, of whole: Int? = nil, comparable: Bool = true) {
            let change = comparable ? before.map { String(now - $0) } ?? "" : ""
            rows.append([section, item, metric, String(now), before.map(String.init) ?? "", change, whole.map { w.t("из \($0)", "of \($0)") } ?? ""])
        }
        let summary = w.t("сводка", "summary")
        count(summary, "", w.t("диалогов", "dialogues"), current.dialogues, previous.dialogues)
        count(summary, "", w.t("размечено", "tagged"), current.tagged, previous.tagged, of: current.dialogues)
        count(summary, "", w.t("без ответа", "unanswered"), current.unanswered, previous.unanswered, of: current.dialogues)
        count(summary, "", w.t("без единого ответа", "no_reply"), current.noReply, previous.noReply, of: current.dialogues)
        add(summary, "", w.t("первый ответ, медиана, с", "first_response_median_s"), current.firstResponseMedianSeconds, previous.firstResponseMedianSeconds)
        add(summary, "", w.t("первый ответ, p90, с", "first_response_p90_s"), current.firstResponseP90Seconds, previous.firstResponseP90Seconds)
        count(summary, "", w.t("упущенные лиды", "missed_leads"), current.missedLeads.count, previous.missedLeads.count, of: current.tagged, comparable: tagsComparable)
        count(summary, "", w.t("бот ответил первым", "bot_first"), current.bot.botFirst, previous.bot.botFirst, of: current.bot.answered)
        add(summary, "", w.t("доля передач от бота человеку", "bot_fallback_rate"), current.bot.fallbackRate, previous.bot.fallbackRate)
        add(summary, "", w.t("конверсия лидов", "conversion_rate"), current.conversion.rate, previous.conversion.rate, comparable: tagsComparable)
        for (section, now, before, fromTags) in [
            (w.t("канал", "channel"), current.byChannel, previous.byChannel, false), (w.t("намерение", "intent"), current.byIntent, previous.byIntent, true),
            (w.t("тональность", "sentiment"), current.bySentiment, previous.bySentiment, true),
        ] {
            let total = now.values.reduce(0, +)
            for key in Set(now.keys).union(before.keys).sorted() {
                count(
                    section, Self.valueName(key, w), w.t("диалогов", "dialogues"), now[key] ?? 0, before[key] ?? 0, of: total,
                    comparable: !fromTags || tagsComparable)
            }
        }
        let staffSection = w.t("сотрудник", "staff")
        for member in current.staff {
            let earlier = previous.staff.first { $0.name == member.name && $0.isBot == member.isBot }
            let name = member.name + (member.isBot ? w.t(" (бот)", " (bot)") : "")
            count(staffSection, name, w.t("диалогов", "dialogues"), member.dialogues, earlier?.dialogues)
            add(staffSection, name, w.t("первый ответ, медиана, с", "first_response_median_s"), member.firstResponseMedianSeconds, earlier?.firstResponseMedianSeconds)
            add(staffSection, name, w.t("первый ответ, p90, с", "first_response_p90_s"), member.firstResponseP90Seconds, earlier?.firstResponseP90Seconds)
            count(staffSection, name, w.t("без ответа", "unanswered"), member.unanswered, earlier?.unanswered, of: member.dialogues)
            count(staffSection, name, w.t("упущенные лиды", "missed_leads"), member.missedLeads, earlier?.missedLeads, of: member.tagged, comparable: tagsComparable)
        }
        for member in rubric?.staff ?? [] {
            let name = member.name + (member.isBot ? w.t(" (бот)", " (bot)") : "")
            let section = w.t("навыки", "rubric")
            count(section, name, w.t("оценено диалогов", "scored_dialogues"), member.n, nil)
            rows.append([section, name, w.t("средний балл", "mean_score"), decimal(member.meanScore), "", member.change.map(decimal) ?? "", ""])
            for part in RubricScore.Part.allCases {
                rows.append([section, name, w.t("доля: ", "rate_") + (language == .ru ? part.name(w) : part.rawValue), decimal(member.rates[part]), "", "", ""])
            }
        }
        for lead in current.missedLeads {
            rows.append([
                w.t("упущенный лид", "missed_lead"), lead.dialogueID, w.t("первый ответ, с", "first_response_s"), decimal(lead.firstResponseSeconds), "", "",
                "\(lead.staff ?? w.t("(без ответа)", "(no reply)")) · \(lead.channel) · \(lead.excerpt)",
            ])
        }
        return (style.byteOrderMark ? "\u{FEFF}" : "") + CSVText.rows(rows, delimiter: style.delimiter)
    }
}
