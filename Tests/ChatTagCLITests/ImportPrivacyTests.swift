import ChatTagStore
import Foundation
import Testing

/// Personal data outside message text (dialogue ids, file names, error messages, progress
/// lines), and the format questions of the same issue: minified Telegram exports, the demo
/// against a plain import of the same file, skipped messages counted.
@Suite struct ImportPrivacyTests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    func export(_ name: String) -> String { CLIRunner.exports.appendingPathComponent(name).path }

    /// The database file and its WAL, as text: what someone holding only the database sees.
    func databaseBytes() -> String {
        var bytes = Data()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: cli.path("chattag.db" + suffix)) { bytes.append(data) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func aPhoneNumberOrEmailIdBecomesTheSameKeyedPseudonymousIdOnEveryImport() throws {
        let jsonl = [
            #"{"id":"+7 916 123-45-67","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"c","text":"Привет"}]}"#,
            #"{"id":"maria.petrova@example.com","channel":"site","messages":[{"at":"2025-01-05T15:00:00+03:00","role":"client","author":"c","text":"Добрый день"}]}"#,
            #"{"id":"order-1042","channel":"site","messages":[{"at":"2025-01-05T16:00:00+03:00","role":"client","author":"c","text":"Здравствуйте"}]}"#,
        ]
        let file = try cli.write("ids.jsonl", Array(jsonl.joined(separator: "\n").utf8))
        let first = try cli.run(["import", "--json", file])
        #expect(first.status == 0, "\(first.stderr)")
        let ids = try Database(path: cli.path("chattag.db")).rows("SELECT id FROM dialogues ORDER BY id").map { $0["id"]?.description ?? "" }
        #expect(ids.contains("order-1042"))
        #expect(ids.filter { $0.hasPrefix("id-") && $0.count == 19 }.count == 2, "\(ids)")
        let text = databaseBytes()
        for raw in ["916 123", "9161234567", "maria.petrova", "example.com"] { #expect(!text.contains(raw), "\(raw) is in the database") }
        let again = try cli.run(["import", "--json", file])
        #expect(again.stdout.contains(#""unchanged":3"#), "\(again.stdout)")
        // A CRM sheet naming the raw id reaches the same dialogue.
        let sheet = try cli.write("crm.csv", Array("dialogue_id,outcome\n+7 916 123-45-67,booked\n".utf8))
        let outcomes = try cli.run(["import", "--json", sheet])
        #expect(outcomes.status == 0 && outcomes.stdout.contains(#""updated":1"#), "\(outcomes.stdout) \(outcomes.stderr)")
        // So do hand labels naming it: they join the keyed dialogue, and the raw id is stored nowhere.
        let label = #"{"dialogue_id":"+7 916 123-45-67","intent":"question","sentiment":"neutral","missed_lead":false,"annotator":"ops-1"}"#
        let labels = try cli.run(["labels", "import", try cli.write("labels.jsonl", Array(label.utf8))])
        #expect(labels.status == 0 && !labels.stderr.contains("not imported yet"), "\(labels.stderr)")
        let joined = try Database(path: cli.path("chattag.db")).rows("SELECT l.dialogue_id AS id FROM labels l JOIN dialogues d ON d.id = l.dialogue_id")
        #expect(joined.count == 1 && joined.first?["id"]?.description.hasPrefix("id-") == true)
        for raw in ["916 123", "9161234567"] { #expect(!databaseBytes().contains(raw), "\(raw) is in the database") }
    }

    @Test func fileNamesAreMaskedInProgressLinesSummariesAndErrors() throws {
        let chat = "04.03.2025, 10:02 - Мария: Здравствуйте\n04.03.2025, 10:05 - Салон Лилия: Добрый день\n"
        let named = try cli.write("WhatsApp Chat with +7 916 123-45-67.txt", Array(chat.utf8))
        let imported = try cli.run(["import", "--staff", "Салон Лилия", named])
        #expect(imported.status == 0, "\(imported.stderr)")
        let json = try cli.run(["import", "--json", "--staff", "Салон Лилия", named])
        let broken = try cli.write("Мария Петрова +7 916 123-45-67.jsonl", Array("{\"id\":\n".utf8))
        let refused = try cli.run(["import", broken])
        #expect(refused.status == 65)
        for output in [imported.stdout, imported.stderr, json.stdout, refused.stderr] {
            #expect(!output.contains("916") && !output.contains("Петрова"), "\(output)")
        }
        #expect(imported.stderr.contains("WhatsApp Chat with [PHONE_1].txt"), "\(imported.stderr)")
        #expect(refused.stderr.contains("[NAME_1] [PHONE_1].jsonl: line 1"), "\(refused.stderr)")
    }

    @Test func errorMessagesGiveThePositionAndKindNeverTheValue() throws {
        let csv = "dialogue_id,at,role,author,text\nd1,\"+7 916 123-45-67 maria.petrova@example.com\",client,Мария,Привет\n"
        let jsonl = #"{"id":"d1","messages":[{"at":"Мария +7 916 123-45-67","role":"клиентка Петрова","author":"x","text":"t"}]}"#
        let outcomes = "dialogue_id,outcome\n+7 916 123-45-67,Петрова maria.petrova@example.com\n"
        for (name, body) in [("times.csv", csv), ("times.jsonl", jsonl), ("crm.csv", outcomes)] {
            let result = try cli.run(["import", try cli.write(name, Array(body.utf8))])
            #expect(result.status == 65, "\(name): \(result.stderr)")
            #expect(result.stderr.contains("line 2") || result.stderr.contains("line 1"), "\(name): \(result.stderr)")
            for raw in ["916", "maria", "example.com", "Петрова", "Мария"] { #expect(!result.stderr.contains(raw), "\(name) echoes \(raw): \(result.stderr)") }
        }
    }

    /// One-line JSON, keys in the export's order and sorted (as `jq -cS` writes them).
    func minified(_ name: String, sorted: Bool) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: export(name)))
        let object = try JSONSerialization.jsonObject(with: data)
        let bytes: Data
        if sorted {
            bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } else {
            let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: #"\n\s*"#, with: "", options: .regularExpression)
            bytes = Data(text.utf8)
        }
        #expect(!bytes.contains(0x0A))
        return try cli.write("\(sorted ? "sorted" : "min")-\(name)", Array(bytes))
    }

    @Test func minifiedTelegramExportsAreDetectedAsTelegram() throws {
        for name in ["telegram-single.json", "telegram-account.json"] {
            for sorted in [false, true] {
                let file = try minified(name, sorted: sorted)
                let result = try cli.run(["import", "--json", "--staff", "Салон Лилия,Анна Смирнова", file])
                #expect(result.status == 0, "\(name) sorted \(sorted): \(result.stderr)")
                #expect(result.stdout.contains(#""format":"telegram""#), "\(name) sorted \(sorted): \(result.stdout)")
            }
        }
    }

    @Test func savedMessagesAreCountedAsSkipped() throws {
        let result = try cli.run(["import", "--json", "--staff", "Салон Лилия,Анна Смирнова", export("telegram-account.json")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.range(of: #""skipped":[1-9]"#, options: .regularExpression) != nil, "\(result.stdout)")
    }

    @Test func theDemoAndAPlainImportOfTheSampleStoreTheSameDialogues() throws {
        let demo = try cli.run(["demo", "--db", "demo.db"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let sample = CLIRunner.repository.appendingPathComponent("labeled-samples/dialogues.jsonl").path
        let plain = try cli.run(["import", "--db", "demo.db", "--json", sample])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains(#""updated":0"#) && plain.stdout.contains(#""unchanged":100"#), "\(plain.stdout)")
    }
}
