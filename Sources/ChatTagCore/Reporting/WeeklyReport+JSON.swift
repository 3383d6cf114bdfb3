import Foundation

extension WeekFigures {
    /// One week's figures with PRODUCT.md's keys (seconds for times, 0…1 for rates, null for none).
    public func jsonObject() -> [String: Any] {
        func value(_ number: Double?) -> Any { number.map { ($0 * 1000).rounded() / 1000 } ?? NSNull() }
        var object: [String: Any] = [
            "week": week.description, "from": firstDay, "to": lastDay,
            "dialogues": dialogues, "tagged": tagged, "failed": failed, "untagged": dialogues - tagged - failed,
            "by_channel": byChannel, "by_intent": byIntent, "by_sentiment": bySentiment,
            "unanswered": unanswered, "no_reply": noReply,
            "first_response_median_s": value(firstResponseMedianSeconds), "first_response_p90_s": value(firstResponseP90Seconds),
            "model_versions": modelVersions,
            "missed_leads": missedLeads.map { lead -> [String: Any] in
                [
                    "dialogue_id": lead.dialogueID, "channel": lead.channel, "started_at": lead.startedAt, "staff": lead.staff ?? NSNull(),
                    "first_response_s": value(lead.firstResponseSeconds), "excerpt": lead.excerpt, "outcome": lead.outcome?.rawValue ?? NSNull(),
                ]
            },
            "bot": ["bot_first": bot.botFirst, "handed_to_staff": bot.handedToStaff, "share": value(bot.share), "fallback_rate": value(bot.fallbackRate)],
            "conversion": ["interested": conversion.interested, "booked": conversion.booked, "rate": value(conversion.rate)],
            "missed_lead_outcomes": [
                "missed": [
                    "booked": outcomes.missedBooked, "not_booked": outcomes.missedNotBooked, "unknown": outcomes.missedUnknown, "booked_rate": value(outcomes.missedBookedRate),
                ],
                "other": ["booked": outcomes.otherBooked, "not_booked": outcomes.otherNotBooked, "unknown": outcomes.otherUnknown, "booked_rate": value(outcomes.otherBookedRate)],
            ],
            "staff": staff.map { member -> [String: Any] in
                [
                    "name": member.name, "bot": member.isBot, "dialogues": member.dialogues,
                    "first_response_median_s": value(member.firstResponseMedianSeconds), "first_response_p90_s": value(member.firstResponseP90Seconds),
                    "unanswered": member.unanswered, "tagged": member.tagged, "missed_leads": member.missedLeads, "missed_lead_rate": value(member.missedLeadRate),
                ]
            },
        ]
        if let instrument {
            object["instrument"] = ["prompt": ["name": instrument.promptName, "version": instrument.promptVersion, "hash": instrument.promptHash], "model": instrument.model]
        } else {
            object["instrument"] = NSNull()
        }
        return object
    }
}

extension WeeklyReport {
    /// The current week's figures at the top level (PRODUCT.md's keys), `previous` with the same
    /// shape, `trend` (`comparable`, `instrument_changed`, `model_changed` or `no_tags`) and `changes` (this week minus the
    /// previous; tag-based changes are null when the instrument changed).
    public func jsonObject() -> [String: Any] {
        var object = current.jsonObject()
        object["zone"] = zone
        object["empty"] = isEmpty
        object["previous"] = previous.jsonObject()
        object["trend"] = trend.rawValue
        object["instrument_note"] = instrumentNote ?? NSNull()
        func delta(_ now: Double?, _ before: Double?) -> Any {
            guard let now, let before else { return NSNull() }
            return ((now - before) * 1000).rounded() / 1000
        }
        func countDelta(_ now: [String: Int], _ before: [String: Int]) -> Any {
            guard tagsComparable else { return NSNull() }
            return Dictionary(uniqueKeysWithValues: Set(now.keys).union(before.keys).map { ($0, (now[$0] ?? 0) - (before[$0] ?? 0)) })
        }
        object["changes"] =
            [
                "dialogues": current.dialogues - previous.dialogues,
                "unanswered": current.unanswered - previous.unanswered,
                "first_response_median_s": delta(current.firstResponseMedianSeconds, previous.firstResponseMedianSeconds),
                "first_response_p90_s": delta(current.firstResponseP90Seconds, previous.firstResponseP90Seconds),
                "missed_leads": tagsComparable ? current.missedLeads.count - previous.missedLeads.count as Any : NSNull(),
                "by_intent": countDelta(current.byIntent, previous.byIntent),
                "by_sentiment": countDelta(current.bySentiment, previous.bySentiment),
                "staff": current.staff.map { member -> [String: Any] in
                    let earlier = previous.staff.first { $0.name == member.name && $0.isBot == member.isBot }
                    return [
                        "name": member.name, "dialogues": member.dialogues - (earlier?.dialogues ?? 0), "unanswered": member.unanswered - (earlier?.unanswered ?? 0),
                        "first_response_median_s": delta(member.firstResponseMedianSeconds, earlier?.firstResponseMedianSeconds),
                        "missed_leads": tagsComparable ? member.missedLeads - (earlier?.missedLeads ?? 0) as Any : NSNull(),
                    ]
                },
            ] as [String: Any]
        return object
    }

    /// The JSON text with sorted keys.
    public func json() throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: jsonObject(), options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    /// A long CSV a spreadsheet pivots: `section,item,metric,this_week,previous_week,change,detail`,
    /// one row per figure, then one row per missed lead (its first response in `this_week`, the
    /// staff member, channel and excerpt in `detail`); RFC 4180 quoting, CRLF line ends.
    public func csv(delimiter: String = ",") -> String {
        var rows: [[String]] = [["section", "item", "metric", "this_week", "previous_week", "change", "detail"]]
        func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "" }
        func add(_ section: String, _ item: String, _ metric: String, _ now: Double?, _ before: Double?, comparable: Bool = true) {
            let change = comparable ? (now.flatMap { a in before.map { b in number(a - b) } } ?? "") : ""
            rows.append([section, item, metric, number(now), number(before), change, ""])
        }
        func count(_ value: Int) -> Double { Double(value) }
        add("summary", "", "dialogues", count(current.dialogues), count(previous.dialogues))
        add("summary", "", "tagged", count(current.tagged), count(previous.tagged))
        add("summary", "", "unanswered", count(current.unanswered), count(previous.unanswered))
        add("summary", "", "no_reply", count(current.noReply), count(previous.noReply))
        add("summary", "", "first_response_median_s", current.firstResponseMedianSeconds, previous.firstResponseMedianSeconds)
        add("summary", "", "first_response_p90_s", current.firstResponseP90Seconds, previous.firstResponseP90Seconds)
        add("summary", "", "missed_leads", count(current.missedLeads.count), count(previous.missedLeads.count), comparable: tagsComparable)
        add("summary", "", "bot_first", count(current.bot.botFirst), count(previous.bot.botFirst))
        add("summary", "", "bot_fallback_rate", current.bot.fallbackRate, previous.bot.fallbackRate)
        add("summary", "", "conversion_rate", current.conversion.rate, previous.conversion.rate, comparable: tagsComparable)
        for (section, now, before) in [
            ("channel", current.byChannel, previous.byChannel), ("intent", current.byIntent, previous.byIntent), ("sentiment", current.bySentiment, previous.bySentiment),
        ] {
            for key in Set(now.keys).union(before.keys).sorted() {
                add(section, key, "dialogues", count(now[key] ?? 0), count(before[key] ?? 0), comparable: section == "channel" || tagsComparable)
            }
        }
        for member in current.staff {
            let earlier = previous.staff.first { $0.name == member.name && $0.isBot == member.isBot }
            let name = member.name + (member.isBot ? " (bot)" : "")
            add("staff", name, "dialogues", count(member.dialogues), earlier.map { count($0.dialogues) })
            add("staff", name, "first_response_median_s", member.firstResponseMedianSeconds, earlier?.firstResponseMedianSeconds)
            add("staff", name, "first_response_p90_s", member.firstResponseP90Seconds, earlier?.firstResponseP90Seconds)
            add("staff", name, "unanswered", count(member.unanswered), earlier.map { count($0.unanswered) })
            add("staff", name, "missed_leads", count(member.missedLeads), earlier.map { count($0.missedLeads) }, comparable: tagsComparable)
        }
        for lead in current.missedLeads {
            rows.append([
                "missed_lead", lead.dialogueID, "first_response_s", number(lead.firstResponseSeconds), "", "",
                "\(lead.staff ?? "(no reply)") · \(lead.channel) · \(lead.excerpt)",
            ])
        }
        return CSVText.rows(rows, delimiter: delimiter)
    }
}
