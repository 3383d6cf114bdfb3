import ChatTagStore
import Foundation
import Testing

/// `chattag import` and `chattag anonymize` as a user runs them: the built binary, a real
/// database file in a temporary folder, exit codes and messages.
@Suite struct ImportCommandTests {
    let cli: CLIRunner

    init() throws {
        cli = try CLIRunner()
    }

    func export(_ name: String) -> String { CLIRunner.exports.appendingPathComponent(name).path }

    @Test func importsEveryFormatAndReimportingAddsNothing() throws {
        let sameChatAsText = cli.path("WhatsApp Chat with Мария Петрова.txt")
        try FileManager.default.copyItem(atPath: export("whatsapp-android-ru.txt"), toPath: sameChatAsText)
        let files = [export("whatsapp-android-ru.zip"), export("whatsapp-ios-ru.txt"), sameChatAsText]
        let first = try cli.run(["import", "--staff", "Салон Лилия", "--json"] + files)
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let results = try #require(summary["files"] as? [[String: Any]])
        #expect(results.map { $0["new"] as? Int } == [2, 2, 0])
        #expect(results.map { $0["unchanged"] as? Int } == [0, 0, 2])
        let again = try cli.run(["import", "--staff", "Салон Лилия", "--json"] + files)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect((second["files"] as? [[String: Any]])?.map { $0["unchanged"] as? Int } == [2, 2, 2])
        for file in ["telegram-single.json", "dialogues.csv", "dialogues.jsonl"] {
            let result = try cli.run(["import", "--staff", "Салон Лилия,Анна Смирнова,Анна,Ольга", "--bots", "LiliyaBot", export(file)])
            #expect(result.status == 0, "\(file): \(result.stderr)")
        }
    }

    @Test func globalOptionsWorkBeforeAndAfterTheSubcommand() throws {
        let before = try cli.run(["--db", "before.db", "--tz", "Asia/Yekaterinburg", "import", "--staff", "Салон Лилия", export("whatsapp-android-ru.txt")])
        let after = try cli.run(["import", "--staff", "Салон Лилия", export("whatsapp-android-ru.txt"), "--db", "after.db", "--tz", "Asia/Yekaterinburg"])
        #expect(before.status == 0 && after.status == 0, "\(before.stderr) \(after.stderr)")
        let dump = try cli.databaseDump("before.db")
        #expect(dump.contains("2025-03-04T10:02:00+05:00"))
        #expect(try cli.databaseDump("after.db").contains("2025-03-04T10:02:00+05:00"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("chattag.db")))
    }

    @Test func noRawPersonalDataReachesTheDatabaseFiles() throws {
        let result = try cli.run(["import", "--staff", "Салон Лилия,Анна Смирнова", export("telegram-single.json"), export("whatsapp-android-ru.txt")])
        #expect(result.status == 0, "\(result.stderr)")
        var bytes = Data()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: cli.path("chattag.db" + suffix)) { bytes.append(data) }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for raw in ["Мария Петрова", "Петрова", "+7 916 555 12 34", "+7 916 123-45-67", "masha", "@mail.ru", "@gmail.com"] {
            #expect(!text.contains(raw), "\(raw) is in the database")
        }
        let key = cli.path("chattag.db.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let secret = try #require(FileManager.default.contents(atPath: key))
        #expect(bytes.range(of: secret) == nil)
    }

    @Test func badFilesExitWith65NameFileAndLineAndLeaveTheDatabaseAsItWas() throws {
        #expect(try cli.run(["import", "--staff", "Анна", export("dialogues.jsonl")]).status == 0)
        let before = try cli.databaseDump()
        let good = #"{"id":"new-1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"Привет"}]}"#
        var latin1 = Array((good + "\n").utf8)
        latin1 +=
            Array(#"{"id":"new-2","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"caf"#.utf8) + [0xE9] + Array("\"}]}\n".utf8)
        var huge = Array(#"{"id":"big","messages":[{"text":""#.utf8)
        huge += [UInt8](repeating: 0x61, count: 50 << 20)
        let cases: [(String, [UInt8], String)] = [
            ("broken.jsonl", Array((good + "\n{\"id\":\"x\",").utf8), "line 2"),
            ("header.csv", Array("id;when;text\n1;2;3\n".utf8), "line 1"),
            ("latin1.jsonl", latin1, "line 2"),
            ("unknown.txt", Array("just some notes\n".utf8), "line 1"),
            ("result.json", Array("{\n \"about\": \"not telegram\"\n}\n".utf8), "line 1"),
            ("empty.jsonl", [], "empty"),
            ("huge.jsonl", huge, "line 1"),
        ]
        for (name, bytes, where_) in cases {
            let file = try cli.write(name, bytes)
            let result = try cli.run(["import", file] + (name.hasSuffix(".csv") ? ["--format", "csv"] : []))
            #expect(result.status == 65, "\(name): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(file), "\(name): \(result.stderr)")
            #expect(result.stderr.contains(where_), "\(name): \(result.stderr)")
            #expect(try cli.databaseDump() == before, "\(name) changed the database")
        }
    }

    @Test func usageMistakesExitWith2() throws {
        #expect(try cli.run(["import", "--tz", "Mars/Olympus", export("dialogues.jsonl")]).status == 2)
        #expect(try cli.run(["import", "--format", "docx", export("dialogues.jsonl")]).status == 2)
        let noStaff = try cli.run(["import", export("whatsapp-android-ru.txt")])
        #expect(noStaff.status == 2)
        #expect(noStaff.stderr.contains("--staff"))
    }

    @Test func anonymizeMasksStandardInput() throws {
        let result = try cli.run(["anonymize"], stdin: "Меня зовут Ольга, телефон 8 (916) 123-45-67, приду 12.03 в 15:30\nОльге подходит, пишите на olga@mail.ru\n")
        #expect(result.status == 0)
        #expect(result.stdout == "Меня зовут [NAME_1], телефон [PHONE_1], приду 12.03 в 15:30\n[NAME_1] подходит, пишите на [EMAIL_1]\n")
    }

    @Test func reimportingWithTheConversationRuleMergesTheOvernightPiecesAndSaysSo() throws {
        let chat = """
            05.03.2025, 18:40 - Мария Петрова: Есть окно на завтра?
            06.03.2025, 09:05 - Салон Лилия: Есть 12:00
            06.03.2025, 09:10 - Мария Петрова: Спасибо

            """
        let file = try cli.write("WhatsApp Chat with Мария.txt", Array(chat.utf8))
        // Cut by the clock alone, the reply is a dialogue of its own.
        let byClock = try cli.run(["import", "--staff", "Салон Лилия", "--session-gap", "1h", "--reply-window", "1h", file])
        #expect(byClock.status == 0, "\(byClock.stderr)")
        #expect(try cli.databaseDump().components(separatedBy: "\n").filter { $0.contains("content_hash=") }.count == 2)
        // Following the conversation, the morning reply joins the evening question.
        let merged = try cli.run(["import", "--staff", "Салон Лилия", "--json", file])
        #expect(merged.status == 0)
        #expect(merged.stdout.contains("\"superseded\":1"), "\(merged.stdout)")
        #expect(try cli.databaseDump().components(separatedBy: "\n").filter { $0.contains("content_hash=") }.count == 1)
    }
}
