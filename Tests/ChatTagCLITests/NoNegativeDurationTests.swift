import ChatTagStore
import Foundation
import Testing

/// No report, export or view can show a negative duration: every fixture imported, tagged,
/// and every format of every week read back.
@Suite struct NoNegativeDurationTests {
    /// A duration printed with a minus sign in either language (changes use "−", U+2212, and are not durations).
    static let negativeDuration = try! NSRegularExpression(pattern: #"(^|[^0-9A-Za-z])-[0-9]+(,[0-9]+)? ?(с|мин|ч|дн|s|min|h|d)(?![0-9A-Za-zа-я])"#)

    static func hasNegativeDuration(_ text: String) -> Bool {
        negativeDuration.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Every value of a key ending in `_s` outside `changes` (which holds differences).
    static func secondValues(_ value: Any, path: String = "") -> [(String, Double)] {
        switch value {
        case let object as [String: Any]:
            return object.flatMap { key, inner -> [(String, Double)] in
                if key == "changes" { return [] }
                if key.hasSuffix("_s"), let number = inner as? Double { return [(path + key, number)] }
                return secondValues(inner, path: path + key + ".")
            }
        case let array as [Any]: return array.flatMap { secondValues($0, path: path) }
        default: return []
        }
    }

    @Test func everyFormatOverEveryFixtureShowsNoNegativeDuration() throws {
        #expect(Self.hasNegativeDuration("медиана -5 мин") && Self.hasNegativeDuration("p90 -1 h 05 min") && !Self.hasNegativeDuration("Δ −5 мин"))
        let cli = try CLIRunner()
        let exports = CLIRunner.exports
        let imports: [[String]] = [
            ["--staff", "Салон Лилия", exports.appendingPathComponent("whatsapp-android-ru.zip").path, exports.appendingPathComponent("whatsapp-ios-ru.txt").path],
            ["--staff", "Lily Salon,Anna (Salon)", exports.appendingPathComponent("whatsapp-ios-en.txt").path, exports.appendingPathComponent("whatsapp-android-en-12h.txt").path],
            ["--staff", "Салон Лилия,Анна Смирнова,Анна,Ольга", "--bots", "LiliyaBot", exports.appendingPathComponent("telegram-single.json").path],
            ["--staff", "Салон Лилия,Анна Смирнова,Анна,Ольга", exports.appendingPathComponent("telegram-account.json").path],
            ["--staff", "Салон Лилия,Анна Смирнова,Анна,Ольга", exports.appendingPathComponent("dialogues.csv").path, exports.appendingPathComponent("dialogues.jsonl").path],
            [ReportCommandTests.fixture.appendingPathComponent("dialogues.jsonl").path],
            [CLIRunner.repository.appendingPathComponent("labeled-samples/dialogues.jsonl").path],
        ]
        for arguments in imports {
            let imported = try cli.run(["import"] + arguments)
            #expect(imported.status == 0, "\(arguments.last!): \(imported.stderr)")
        }
        #expect(try cli.run(["run", "-p", "tagging@1", "-m", "baseline"]).status == 0)
        #expect(try cli.run(["instrument", "set", "tagging@1", "baseline", "--from", "2000-01-01"]).status == 0)
        let database = try Database(path: cli.path("chattag.db"))
        let weeks = try database.rows("SELECT DISTINCT week FROM dialogues ORDER BY week").compactMap { $0["week"]?.description }
        #expect(weeks.count >= 4, "\(weeks)")
        for week in weeks {
            for language in ["ru", "en"] {
                for format in ["table", "md", "html", "csv"] {
                    let result = try cli.run(["report", "--week", week, "--lang", language, "-f", format])
                    #expect(result.status == 0, "\(week) \(format): \(result.stderr)")
                    #expect(!Self.hasNegativeDuration(result.stdout), "\(week) \(format) \(language)")
                    if format == "csv" {
                        for row in result.stdout.split(separator: "\r\n").map({ $0.split(separator: ";", omittingEmptySubsequences: false) }) where row.count > 4 {
                            let metric = String(row[2])
                            guard metric.contains("первый ответ") || metric.hasPrefix("first_response") else { continue }
                            for cell in row[3...4] where !cell.isEmpty {
                                #expect(!cell.hasPrefix("-"), "\(week) csv: \(row)")
                            }
                        }
                    }
                }
            }
            let json = try cli.run(["report", "--week", week, "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8))
            for (key, seconds) in Self.secondValues(object) { #expect(seconds >= 0, "\(week) \(key) = \(seconds)") }
        }
        for format in ["csv", "jsonl"] {
            let export = try cli.run(["export", "-p", "tagging@1", "-m", "baseline", "-f", format])
            #expect(export.status == 0, "\(export.stderr)")
            if format == "jsonl" {
                for line in export.stdout.split(separator: "\n") {
                    let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    if let seconds = row["first_response_s"] as? Double { #expect(seconds >= 0, "\(line)") }
                }
            } else {
                let rows = export.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
                let column = try #require(rows.first?.firstIndex(of: "first_response_s"))
                for row in rows.dropFirst() where row.count > column { #expect(!row[column].hasPrefix("-"), "\(row)") }
            }
        }
        for view in ["v_dialogue_facts", "v_missed_leads", "v_staff_week"] {
            for row in try database.rows("SELECT * FROM \(view)") {
                for (column, value) in row where column.hasSuffix("_s") {
                    switch value {
                    case let .integer(number): #expect(number >= 0, "\(view).\(column)")
                    case let .real(number): #expect(number >= 0, "\(view).\(column)")
                    default: break
                    }
                }
            }
        }
    }
}
