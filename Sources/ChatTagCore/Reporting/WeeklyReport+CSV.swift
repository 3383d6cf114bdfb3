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

    /// `section,item,metric,this_week,previous_week,change,detail`, one row per figure, then one
    /// row per missed lead (its first response in `this_week`, the staff member, channel and
    /// excerpt in `detail`); RFC 4180 quoting, CRLF line ends. Counts are whole numbers;
    /// times and rates have three decimals.
    public func csv(style: CSVStyle = .excel) -> String {
        var rows: [[String]] = [["section", "item", "metric", "this_week", "previous_week", "change", "detail"]]
        func decimal(_ value: Double?) -> String {
            guard let value else { return "" }
            let text = String(format: "%.3f", value)
            return style.decimalComma ? text.replacingOccurrences(of: ".", with: ",") : text
        }
        func add(_ section: String, _ item: String, _ metric: String, _ now: Double?, _ before: Double?, comparable: Bool = true) {
            let change = comparable ? (now.flatMap { a in before.map { b in decimal(a - b) } } ?? "") : ""
            rows.append([section, item, metric, decimal(now), decimal(before), change, ""])
        }
        func count(_ section: String, _ item: String, _ metric: String, _ now: Int, _ before: Int?, comparable: Bool = true) {
            let change = comparable ? before.map { String(now - $0) } ?? "" : ""
            rows.append([section, item, metric, String(now), before.map(String.init) ?? "", change, ""])
        }
        count("summary", "", "dialogues", current.dialogues, previous.dialogues)
        count("summary", "", "tagged", current.tagged, previous.tagged)
        count("summary", "", "unanswered", current.unanswered, previous.unanswered)
        count("summary", "", "no_reply", current.noReply, previous.noReply)
        add("summary", "", "first_response_median_s", current.firstResponseMedianSeconds, previous.firstResponseMedianSeconds)
        add("summary", "", "first_response_p90_s", current.firstResponseP90Seconds, previous.firstResponseP90Seconds)
        count("summary", "", "missed_leads", current.missedLeads.count, previous.missedLeads.count, comparable: tagsComparable)
        count("summary", "", "bot_first", current.bot.botFirst, previous.bot.botFirst)
        add("summary", "", "bot_fallback_rate", current.bot.fallbackRate, previous.bot.fallbackRate)
        add("summary", "", "conversion_rate", current.conversion.rate, previous.conversion.rate, comparable: tagsComparable)
        for (section, now, before) in [
            ("channel", current.byChannel, previous.byChannel), ("intent", current.byIntent, previous.byIntent), ("sentiment", current.bySentiment, previous.bySentiment),
        ] {
            for key in Set(now.keys).union(before.keys).sorted() {
                count(section, key, "dialogues", now[key] ?? 0, before[key] ?? 0, comparable: section == "channel" || tagsComparable)
            }
        }
        for member in current.staff {
            let earlier = previous.staff.first { $0.name == member.name && $0.isBot == member.isBot }
            let name = member.name + (member.isBot ? " (bot)" : "")
            count("staff", name, "dialogues", member.dialogues, earlier?.dialogues)
            add("staff", name, "first_response_median_s", member.firstResponseMedianSeconds, earlier?.firstResponseMedianSeconds)
            add("staff", name, "first_response_p90_s", member.firstResponseP90Seconds, earlier?.firstResponseP90Seconds)
            count("staff", name, "unanswered", member.unanswered, earlier?.unanswered)
            count("staff", name, "missed_leads", member.missedLeads, earlier?.missedLeads, comparable: tagsComparable)
        }
        for lead in current.missedLeads {
            rows.append([
                "missed_lead", lead.dialogueID, "first_response_s", decimal(lead.firstResponseSeconds), "", "",
                "\(lead.staff ?? "(no reply)") · \(lead.channel) · \(lead.excerpt)",
            ])
        }
        return (style.byteOrderMark ? "\u{FEFF}" : "") + CSVText.rows(rows, delimiter: style.delimiter)
    }
}
