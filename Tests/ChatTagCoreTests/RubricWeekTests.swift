import Foundation
import Testing

@testable import ChatTagCore

/// The manager rubric on `Tests/Fixtures/week`: every score and staff figure worked out by
/// hand in the fixture's README.
@Suite struct RubricWeekTests {
    static let instrument = Instrument(promptName: "rubric", promptVersion: "1", promptHash: "rrrr1111", model: "m")

    /// The fixture's rubric tags by dialogue id.
    static func rubricTags() throws -> [String: WeekTag] {
        var tags: [String: WeekTag] = [:]
        let file = TestSupport.fixtures.appendingPathComponent("week/rubric.jsonl")
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let values = TagValuesJSON.decode(String(line))
            tags[values["dialogue_id"]!] = WeekTag(ok: true, intent: nil, sentiment: nil, missedLead: nil, modelVersion: "m-1", values: values)
        }
        return tags
    }

    static func report() throws -> WeeklyReport {
        let (current, previous) = try WeeklyReportTests.weeks()
        let tags = try rubricTags()
        func week(_ items: [ReportDialogue]) -> RubricWeek {
            RubricWeek(
                instrument: instrument, dialogues: items.map(\.dialogue), rubricTags: tags,
                tags: Dictionary(uniqueKeysWithValues: items.compactMap { item in item.tag.map { (item.dialogue.id, $0) } }))
        }
        var rubric = week(current)
        rubric.compare(with: week(previous))
        var report = try WeeklyReportTests.report()
        report.rubric = rubric
        return report
    }

    @Test func scoresFollowTheRubricFromTimestampsAndTags() throws {
        let rubric = try #require(try Self.report().rubric)
        let scores = Dictionary(uniqueKeysWithValues: rubric.dialogues.map { ($0.dialogueID, $0.score.total) })
        #expect(scores == ["d1": 9, "d2": 5, "d8": 4, "d3": 7, "d4": 1, "d6": 4])  // d5: nobody answered, no score
        let d1 = try #require(rubric.dialogues.first { $0.dialogueID == "d1" })
        #expect(d1.score.responsePoints == 2 && d1.score.failedParts == [.firstResponse])
        #expect(rubric.unscored == 0)
    }

    @Test func staffFiguresMatchTheHandCount() throws {
        let rubric = try #require(try Self.report().rubric)
        let anna = try #require(rubric.staff.first { $0.name == "Анна" })
        #expect(anna.n == 3 && anna.meanScore == 6)
        let interval = try #require(anna.interval)
        #expect(abs(interval.lowerBound - (6 - 4.303 * (7.0 / 3).squareRoot())) < 1e-9 && interval.upperBound == 10)
        #expect(anna.rates[.firstResponse] == 0 && abs(anna.rates[.needsClarified]! - 2.0 / 3) < 1e-9 && abs(anna.rates[.offerMade]! - 2.0 / 3) < 1e-9)
        #expect(anna.rates[.noRudeness] == 1 && anna.topAction == "none" && anna.change == 4)
        let bot = try #require(rubric.staff.first { $0.name == "Бот" })
        #expect(bot.isBot && bot.n == 2 && bot.meanScore == 4 && bot.change == -6 && bot.topAction == "redirect")
        #expect(bot.rates[.firstResponse] == 1 && bot.rates[.offerMade] == 0 && bot.rates[.noRudeness] == 0.5)
        let olga = try #require(rubric.staff.first { $0.name == "Ольга" })
        #expect(olga.n == 1 && olga.meanScore == 4 && olga.interval == nil && olga.change == -2)
        // People with fewer than 5 scored dialogues are too few to compare; bots are not people.
        #expect(rubric.tooFew.map(\.name) == ["Анна", "Ольга"])
    }

    @Test func theScenariosWhereClientsAreLostComeFromMissedLeads() throws {
        let rubric = try #require(try Self.report().rubric)
        #expect(rubric.scenarios.map { "\($0.intent)|\($0.part.rawValue)|\($0.count)" } == ["question|needs_clarified|2", "question|first_response|1", "question|offer_made|1"])
        #expect(rubric.scenarios[0].examples == ["Сколько стоит кератин?", "Есть ли абонементы?"])
    }

    @Test func everyFormatCarriesTheRubric() throws {
        let report = try Self.report()
        let table = report.table()
        #expect(table.contains("Навыки менеджеров"))
        #expect(table.contains("Внимание: слишком мало диалогов, чтобы сравнивать сотрудников: Анна (n = 3), Ольга (n = 1)."))
        #expect(table.contains("1. вопрос × не уточнил потребности — упущенных лидов: 2. Примеры: «Сколько стоит кератин?»; «Есть ли абонементы?»"))
        let markdown = report.markdown()
        #expect(markdown.contains("| Анна | 3 | 6,0 (−0,6…10,0) | 0% | 67% | 67% | 100% | ничего, всё сделано | +4,0 |"))
        #expect(report.markdown(.en).contains("| Анна | 3 | 6.0 (−0.6…10.0) | 0% | 67% | 67% | 100% | nothing, handled well | +4.0 |"))
        let html = report.html()
        #expect(html.contains("<h2>Навыки менеджеров</h2>") && html.contains("<h3>Где теряются клиенты</h3>"))
        let csv = report.csv(style: .init(delimiter: ",", byteOrderMark: false), language: .en)
        #expect(csv.contains("rubric,Анна,mean_score,6.000,,4.000,"))
        let json = jsonDictionary(report.json)
        let staff = try #require((json["staff"] as? [[String: Any]])?.first { $0["name"] as? String == "Анна" })
        let rubric = try #require(staff["rubric"] as? [String: Any])
        #expect(rubric["n"] as? Int == 3 && rubric["mean_score"] as? Double == 6 && rubric["change"] as? Double == 4 && rubric["top_recommended_action"] as? String == "none")
        let week = try #require(json["rubric"] as? [String: Any])
        #expect(week["scored"] as? Int == 6 && week["too_few"] as? [String] == ["Анна", "Ольга"])
    }

    @Test func anotherRubricInstrumentLastWeekIsNotATrend() throws {
        let (current, previous) = try WeeklyReportTests.weeks()
        let tags = try Self.rubricTags()
        var rubric = RubricWeek(instrument: Self.instrument, dialogues: current.map(\.dialogue), rubricTags: tags, tags: [:])
        let other = Instrument(promptName: "rubric", promptVersion: "2", promptHash: "rrrr2222", model: "m")
        rubric.compare(with: RubricWeek(instrument: other, dialogues: previous.map(\.dialogue), rubricTags: tags, tags: [:]))
        #expect(rubric.staff.allSatisfy { $0.change == nil })
    }
}
