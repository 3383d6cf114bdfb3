import Foundation
import Testing

@testable import ChatTagCore

/// The weekly report on `Tests/Fixtures/week`, every figure worked out by hand (see the fixture's README).
@Suite struct WeeklyReportTests {
    static let instrument = Instrument(promptName: "tagging", promptVersion: "1", promptHash: "aaaa1111", model: "m")

    /// The fixture's dialogues with their tags, split into the weeks W46 and W47 in `zone`.
    static func weeks(zone: String = "Europe/Moscow", modelVersions: (String, String) = ("m-1", "m-1")) throws -> (current: [ReportDialogue], previous: [ReportDialogue]) {
        let folder = TestSupport.fixtures.appendingPathComponent("week")
        let options = ImportOptions(format: .jsonl, staff: [], bots: [], sessionGapSeconds: 43_200, zone: TestSupport.zone(zone))
        var dialogues: [Dialogue] = []
        try DialogueImporter(options: options, anonymizer: TestSupport.anonymizer()).importFile(folder.appendingPathComponent("dialogues.jsonl").path) { dialogues.append($0) }
        var tags: [String: [String: Any]] = [:]
        for line in try String(contentsOf: folder.appendingPathComponent("tags.jsonl"), encoding: .utf8).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            tags[object["dialogue_id"] as! String] = object
        }
        let week = ReportWeek(year: 2026, week: 47)
        func items(_ range: Range<Int64>, version: String) -> [ReportDialogue] {
            dialogues.filter { range.contains($0.startedAt!.unixMillis) }.map { dialogue in
                let object = tags[dialogue.id]!
                let failed = object["failed"] as? Bool == true
                return ReportDialogue(
                    dialogue: dialogue,
                    tag: WeekTag(
                        ok: !failed, intent: object["intent"] as? String, sentiment: object["sentiment"] as? String,
                        missedLead: object["missed_lead"] as? Bool, modelVersion: version))
            }
        }
        let resolver = TestSupport.zone(zone)
        return (items(week.interval(in: resolver), version: modelVersions.1), items(week.previous.interval(in: resolver), version: modelVersions.0))
    }

    static func report(zone: String = "Europe/Moscow", previousInstrument: Instrument = instrument, modelVersions: (String, String) = ("m-1", "m-1")) throws -> WeeklyReport {
        let (current, previous) = try weeks(zone: zone, modelVersions: modelVersions)
        let now = WeekFigures(week: ReportWeek(year: 2026, week: 47), instrument: instrument, dialogues: current)
        let before = WeekFigures(week: ReportWeek(year: 2026, week: 46), instrument: previousInstrument, dialogues: previous)
        return WeeklyReport(zone: zone, current: now, previous: before, history: [WeekPoint(before), WeekPoint(now)])
    }

    @Test func weekFiguresMatchTheHandCount() throws {
        let week = try Self.report().current
        #expect(week.dialogues == 7)  // d1–d6 and d8; d6 is Monday 00:10 in Moscow, d7 belongs to W48
        #expect(week.tagged == 6 && week.failed == 1)
        #expect(week.byChannel == ["whatsapp": 3, "telegram": 2, "site": 2])
        #expect(week.byIntent == ["booking": 2, "question": 2, "complaint": 1, "other": 1])
        #expect(week.bySentiment == ["neutral": 3, "positive": 1, "negative": 2])
        #expect(week.unanswered == 3)  // d2 (client wrote last), d4 (bot only, client wrote last), d5 (nobody)
        #expect(week.noReply == 1)
        // First responses: 300, 1200, 4, 5, 3600, 2700 s → sorted 4, 5, 300, 1200, 2700, 3600.
        #expect(week.firstResponseMedianSeconds == 750)  // (300 + 1200) / 2
        #expect(week.firstResponseP90Seconds == 3150)  // rank 4.5: 2700 + 0.5 × 900
    }

    @Test func missedLeadsNameTheirStaffMemberAndFirstResponse() throws {
        let leads = try Self.report().current.missedLeads
        #expect(leads.map(\.dialogueID) == ["d2", "d4"])
        #expect(leads[0].staff == "Анна" && leads[0].firstResponseSeconds == 1200 && leads[0].channel == "whatsapp" && leads[0].outcome == .notBooked)
        #expect(leads[1].staff == "Бот" && leads[1].firstResponseSeconds == 5)
        #expect(leads[0].excerpt == "Сколько стоит кератин?")
    }

    @Test func staffFiguresCountDialoguesForWhoeverRepliedFirst() throws {
        let staff = try Self.report().current.staff
        #expect(staff.map(\.name) == ["Анна", "Бот", "Ольга"])
        let anna = staff[0]
        // d1 300 s, d2 1200 s (unanswered, missed), d8 2700 s (tag failed).
        #expect(anna.dialogues == 3 && anna.unanswered == 1 && anna.tagged == 2 && anna.missedLeads == 1 && anna.missedLeadRate == 0.5)
        #expect(anna.firstResponseMedianSeconds == 1200)
        #expect(anna.firstResponseP90Seconds == 2400)  // rank 1.8: 1200 + 0.8 × 1500
        let bot = staff[1]
        #expect(bot.isBot && bot.dialogues == 2 && bot.unanswered == 1 && bot.missedLeads == 1)
        #expect(bot.firstResponseMedianSeconds == 4.5)
        #expect(abs(bot.firstResponseP90Seconds! - 4.9) < 1e-9)
        let olga = staff[2]
        #expect(!olga.isBot && olga.dialogues == 1 && olga.firstResponseMedianSeconds == 3600 && olga.unanswered == 0 && olga.missedLeads == 0)
    }

    @Test func theBotShareCountsHandOversToAPerson() throws {
        let bot = try Self.report().current.bot
        #expect(bot.botFirst == 2 && bot.handedToStaff == 1)  // d3 handed to Ольга, d4 left with the bot
        #expect(bot.fallbackRate == 0.5)
        #expect(abs(bot.share! - 2.0 / 6.0) < 1e-12)  // six dialogues got a reply
    }

    @Test func conversionAndOutcomesUseOnlyKnownOutcomes() throws {
        let week = try Self.report().current
        // Buying interest with a known outcome: d1 booked, d2 not booked, d3 booked (d4's is unknown).
        #expect(week.conversion.interested == 3 && week.conversion.booked == 2)
        #expect(week.outcomes.missedNotBooked == 1 && week.outcomes.missedUnknown == 1 && week.outcomes.missedBooked == 0)
        #expect(week.outcomes.otherBooked == 2 && week.outcomes.otherUnknown == 2 && week.outcomes.otherNotBooked == 0)
        #expect(week.outcomes.missedBookedRate == 0 && week.outcomes.otherBookedRate == 1)
    }

    @Test func thePreviousWeekIsBesideItAndChangesAreATrendOnlyWithTheSameInstrument() throws {
        let report = try Self.report()
        #expect(report.previous.dialogues == 3)  // p1, p2, p3 (Sunday 23:50)
        #expect(report.previous.missedLeads.map(\.dialogueID) == ["p1"])
        #expect(report.tagsComparable && report.instrumentNote(Wording(.ru)) == nil)
        let json = jsonDictionary(report.json)
        let changes = json["changes"] as! [String: Any]
        #expect(changes["dialogues"] as? Int == 4)
        #expect(changes["missed_leads"] as? Int == 1)
        #expect(json["trend"] as? String == "comparable")
        let anna = (changes["staff"] as! [[String: Any]]).first { $0["name"] as? String == "Анна" }!
        #expect(anna["dialogues"] as? Int == 2 && anna["first_response_median_s"] as? Double == -600 && anna["missed_leads"] as? Int == 0)

        let changed = try Self.report(previousInstrument: Instrument(promptName: "tagging", promptVersion: "2", promptHash: "bbbb2222", model: "m"))
        #expect(!changed.tagsComparable)
        #expect(changed.instrumentNote(Wording(.en))?.contains("template tagging v2 (bbbb2222), model m") == true)
        let changedJSON = jsonDictionary(changed.json)
        #expect(changedJSON["trend"] as? String == "instrument_changed")
        #expect((changedJSON["changes"] as! [String: Any])["missed_leads"] is NSNull)
        #expect((changedJSON["changes"] as! [String: Any])["first_response_median_s"] as? Double == 210.0)  // 750 − 540 (W46: 3, 540, 1800 s); timestamps always compare
        #expect(changed.table(.en).contains("Note: The instrument changed"))

        let drifted = try Self.report(modelVersions: ("m-2025-01", "m-2025-06"))
        #expect(drifted.trend == .modelChanged && drifted.instrumentNote(Wording(.en))?.contains("answering model changed") == true)
        #expect(jsonDictionary(drifted.json)["trend"] as? String == "model_changed")
    }

    @Test func weeksAreCutInTheReportZone() throws {
        // In UTC, d6 (21:10Z Sunday) falls back into W46 and d7 (21:05Z Sunday) into W47.
        let report = try Self.report(zone: "UTC")
        #expect(report.current.missedLeads.map(\.dialogueID) == ["d2", "d4", "d7"])
        #expect(report.previous.dialogues == 4)
    }

    @Test func jsonHasTheContractKeys() throws {
        let json = try jsonDictionary(Self.report().json)
        for key in ["week", "dialogues", "by_intent", "by_sentiment", "missed_leads", "staff", "previous", "changes", "bot", "conversion"] {
            #expect(json[key] != nil, "\(key)")
        }
        #expect(json["week"] as? String == "2026-W47")
        let lead = (json["missed_leads"] as! [[String: Any]])[0]
        #expect(lead["dialogue_id"] as? String == "d2" && lead["staff"] as? String == "Анна" && lead["first_response_s"] as? Double == 1200)
        let staff = (json["staff"] as! [[String: Any]])[0]
        #expect(Set(staff.keys).isSuperset(of: ["name", "dialogues", "first_response_median_s", "first_response_p90_s", "unanswered", "missed_leads"]))
        #expect(staff["first_response_p90_s"] as? Double == 2400)
    }

    @Test func csvIsOneRowPerFigureAndMarkdownAndHTMLCarryTheSameNumbers() throws {
        let report = try Self.report()
        let plain = report.csv(style: .init(delimiter: ",", byteOrderMark: false), language: .en)
        let lines = plain.components(separatedBy: "\r\n")
        #expect(lines[0] == "section,item,metric,this_week,previous_week,change,detail")
        #expect(lines.contains("summary,,dialogues,7,3,4,"))
        #expect(lines.contains("summary,,unanswered,3,0,3,of 7"))
        #expect(lines.contains("staff,Анна,first_response_median_s,1200.000,1800.000,-600.000,"))
        #expect(lines.contains("missed_lead,d2,first_response_s,1200.000,,,Анна · whatsapp · Сколько стоит кератин?"))
        // Russian Excel by default: Russian headers, a BOM, semicolons, decimal commas, counts as whole numbers with their denominator.
        let excel = report.csv().components(separatedBy: "\r\n")
        #expect(excel[0] == "\u{FEFF}раздел;элемент;показатель;эта неделя;прошлая неделя;изменение;подробности")
        #expect(excel.contains("сводка;;диалогов;7;3;4;"))
        #expect(excel.contains("сводка;;без ответа;3;0;3;из 7"))
        #expect(excel.contains("сотрудник;Анна;первый ответ, медиана, с;1200,000;1800,000;-600,000;"))
        let markdown = report.markdown(.en)
        // Every count shows its denominator.
        #expect(markdown.contains("Unanswered: \(report.current.unanswered) of 7 (previous week \(report.previous.unanswered) of 3"))
        #expect(markdown.contains("Missed leads: 2 of \(report.current.tagged) tagged"))
        #expect(markdown.contains("| Анна | 3 | 20 min | 40 min | 1 of 3 | 1 of 2 | 50% | +2 | −10 min | 0 |"))
        let russian = report.markdown()
        #expect(russian.hasPrefix("# chattag: отчёт за неделю: 2026-W47"))
        #expect(russian.contains("Без ответа: 3 из 7 (неделей раньше 0 из 3, +3)"))
        #expect(russian.contains("Первый ответ: медиана 13 мин, p90 53 мин (неделей раньше 9 мин, +3 мин 30 с)"))
        #expect(russian.contains("| Анна | 3 | 20 мин | 40 мин | 1 из 3 | 1 из 2 | 50% | +2 | −10 мин | 0 |"))
        let html = report.html()
        #expect(html.hasPrefix("<!doctype html><html lang=\"ru\">") && html.contains("<svg") && !html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<script") && html.contains("name=\"viewport\""))
        #expect(html.contains("<td class=\"t\">d2</td><td class=\"t\">whatsapp</td><td class=\"t\">Анна</td><td>20 мин</td>"))
        #expect(html.contains("Теги: шаблон tagging v1 (aaaa1111), модель m; размечено 6 из 7."))
    }

    @Test func theWeekPageJudgesEachChangeInColourAndWords() throws {
        let report = try Self.report()
        let cards = Dictionary(uniqueKeysWithValues: report.cards(Wording(.ru)).map { ($0.title, $0) })
        // Missed leads 2 of 6 against 1 of 3: the same share, so no change.
        #expect(cards["Упущенные лиды"]?.value == "2" && cards["Упущенные лиды"]?.denominator == "из 6 размеченных")
        #expect(cards["Упущенные лиды"]?.judgement == .same)
        // Median first response 750 s against 540 s: slower is worse.
        #expect(cards["Медиана первого ответа"]?.judgement == .worse && cards["Медиана первого ответа"]?.change == "хуже: медленнее на 3 мин 30 с")
        // Unanswered 3 of 7 (43%) against 0 of 3: worse.
        #expect(cards["Без ответа"]?.judgement == .worse && cards["Без ответа"]?.change == "хуже: 43% против 0% неделей раньше")
        let page = report.html()
        #expect(page.contains("<div class=\"d worse\">хуже: медленнее на 3 мин 30 с</div>"))
        #expect(page.contains("Последние 2 недели"))
        // Another instrument last week: tag cards are not judged, and the note says why.
        let changed = try Self.report(previousInstrument: Instrument(promptName: "tagging", promptVersion: "2", promptHash: "bbbb2222", model: "m"))
        let missed = changed.cards(Wording(.ru)).first { $0.title == "Упущенные лиды" }
        #expect(missed?.judgement == .notCompared && missed?.change == "не сравнивается: сменился инструмент")
        #expect(changed.html().contains("Инструмент сменился: 2026-W46 размечена так — шаблон tagging v2 (bbbb2222), модель m"))
    }

    @Test func anEmptyWeekSaysSo() throws {
        let empty = WeeklyReport(
            zone: "Europe/Moscow", current: WeekFigures(week: ReportWeek(year: 2026, week: 30), instrument: nil, dialogues: []),
            previous: WeekFigures(week: ReportWeek(year: 2026, week: 29), instrument: nil, dialogues: []))
        #expect(empty.isEmpty)
        #expect(empty.table(.en).hasPrefix("No dialogues started in 2026-W30 (2026-07-20 – 2026-07-26, Europe/Moscow)."))
        #expect(empty.table().hasPrefix("В 2026-W30 (2026-07-20 – 2026-07-26, Europe/Moscow) не началось ни одного диалога."))
        #expect(jsonDictionary(empty.json)["empty"] as? Bool == true)
        #expect(empty.trend == .noTags && jsonDictionary(empty.json)["trend"] as? String == "no_tags")
        #expect(empty.html(.en).contains("No dialogues started in 2026-W30"))
    }

    @Test func percentilesInterpolateBetweenRanks() {
        #expect(WeekFigures.percentile([], 0.5) == nil)
        #expect(WeekFigures.percentile([7], 0.9) == 7)
        #expect(WeekFigures.percentile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(WeekFigures.percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) == 91)
    }
}
