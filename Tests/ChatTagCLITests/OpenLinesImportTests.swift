import ChatTagStore
import Foundation
import Testing

/// `chattag crm bitrix24 import` against the stand-in's Open Lines sessions.
@Suite struct OpenLinesImportTests {
    static func message(_ id: Int, _ sender: Int, _ date: String, _ text: String) -> [String: Any] {
        ["id": String(id), "chatid": "1982", "senderid": String(sender), "recipientid": "chat1982", "date": date, "text": text]
    }

    static var users: [String: Any] {
        [
            "10": ["id": 10, "name": "Мария Петрова", "bot": false, "connector": true],
            "1": ["id": 1, "name": "Анна Смирнова", "bot": false, "connector": false],
            "5": ["id": 5, "name": "Бот салона", "bot": true, "connector": false],
        ]
    }

    /// Three sessions: 321 bound to deal 5077, 322 to lead 44, 300 before --since.
    static func portalData() -> [String: Any] {
        var data = Bitrix24Stand.portalData()
        data["activities"] = [
            [
                "ID": "9001", "OWNER_TYPE_ID": "2", "OWNER_ID": "5077", "PROVIDER_ID": "IMOPENLINES_SESSION", "ASSOCIATED_ENTITY_ID": "321",
                "START_TIME": "2026-11-17T09:00:00+03:00",
            ],
            [
                "ID": "9002", "OWNER_TYPE_ID": "1", "OWNER_ID": "44", "PROVIDER_ID": "IMOPENLINES_SESSION", "ASSOCIATED_ENTITY_ID": "322",
                "START_TIME": "2026-11-18T12:00:00+03:00",
            ],
            [
                "ID": "9003", "OWNER_TYPE_ID": "3", "OWNER_ID": "5", "PROVIDER_ID": "IMOPENLINES_SESSION", "ASSOCIATED_ENTITY_ID": "300",
                "START_TIME": "2026-11-10T12:00:00+03:00",
            ],
        ]
        data["histories"] = [
            "321": [
                "chatId": 1982, "sessionId": 321, "users": users,
                "message": [
                    "19001": message(19001, 10, "2026-11-17T09:00:00+03:00", "Здравствуйте, меня зовут Мария, сколько стоит стрижка? Мой телефон +7 916 123-45-67"),
                    "19002": message(19002, 5, "2026-11-17T09:00:05+03:00", "Спасибо за обращение! Оператор скоро ответит."),
                    "19003": message(19003, 1, "2026-11-17T09:20:00+03:00", "Добрый день! Стрижка от 1500 ₽"),
                    "19004": message(19004, 0, "2026-11-17T10:20:00+03:00", "Диалог завершен."),
                ],
            ],
            "322": [
                "chatId": 1983, "sessionId": 322, "users": users,
                "message": ["19101": message(19101, 10, "2026-11-18T12:00:00+03:00", "Есть окно на маникюр в субботу?")],
            ],
            "300": ["chatId": 1984, "sessionId": 300, "users": users, "message": ["19201": message(19201, 10, "2026-11-10T12:00:00+03:00", "Старый вопрос")]],
        ]
        return data
    }

    @Test func sessionsBecomeAnonymizedDialoguesWithTheirBindingAndReimportingChangesNothing() throws {
        let cli = try CLIRunner()
        let stand = try Bitrix24Stand(data: Self.portalData())
        let hook = ["CHATTAG_BITRIX24_WEBHOOK": stand.webhook]
        let first = try cli.run(["crm", "bitrix24", "import", "--since", "2026-11-16", "--json"], environment: hook)
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try CRMCommandTests.json(first)
        #expect(summary["sessions"] as? Int == 2 && summary["new"] as? Int == 2 && summary["bound"] as? Int == 2)
        let database = try Database(path: cli.path("chattag.db"))
        let messages = try database.rows("SELECT role, author, text FROM messages WHERE dialogue_id = 'b24-ol-321' ORDER BY seq")
        #expect(messages.map { $0["role"]!.text! } == ["client", "bot", "staff", "system"])
        #expect(messages[0]["author"]!.text!.hasPrefix("c-"))
        #expect(messages[1]["author"]!.text! == "Бот салона" && messages[2]["author"]!.text! == "Анна Смирнова")
        let clientText = messages[0]["text"]!.text!
        #expect(!clientText.contains("Мария") && !clientText.contains("916") && clientText.contains("[PHONE_1]"), "\(clientText)")
        let links = try database.rows("SELECT dialogue_id, deal_id, lead_id FROM crm_links WHERE crm = 'bitrix24:openlines' ORDER BY dialogue_id")
        #expect(links.map { $0["dialogue_id"]!.text! } == ["b24-ol-321", "b24-ol-322"])
        #expect(links[0]["deal_id"]?.integer == 5077 && links[1]["lead_id"]?.integer == 44)
        #expect((try stand.state()["methods"] as? [String: Int])?["imopenlines.session.history.get"] == 2)
        let again = try cli.run(["crm", "bitrix24", "import", "--since", "2026-11-16", "--json"], environment: hook)
        #expect(try CRMCommandTests.json(again)["unchanged"] as? Int == 2)
        #expect(try database.rows("SELECT COUNT(*) AS n FROM dialogues").first?["n"]?.integer == 2)
        let outcomes = try cli.run(["crm", "bitrix24", "outcomes", "--json"], environment: hook)
        #expect(outcomes.status == 0, "\(outcomes.stderr)")
        #expect(try database.rows("SELECT outcome FROM dialogues WHERE id = 'b24-ol-321'").first?["outcome"]?.text == "not_booked")
        CRMCommandTests.expectNoSecret(cli, [first, again, outcomes])
    }
}

/// `scripts/weekly.sh` with every Bitrix24 step switched on, against the stand-in.
@Suite struct WeeklyBitrix24Tests {
    @Test func theWeeklyJobImportsOpenLinesPullsOutcomesAndPushesMissedLeads() throws {
        let cli = try CLIRunner()
        let stand = try Bitrix24Stand(data: OpenLinesImportTests.portalData())
        let exports = cli.path("exports")
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ReportCommandTests.fixture.appendingPathComponent("dialogues.jsonl").path, toPath: exports + "/week.jsonl")
        let hookFile = try cli.write("webhook", Array(stand.webhook.utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [CLIRunner.repository.appendingPathComponent("scripts/weekly.sh").path]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "CHATTAG_PSEUDONYM_KEY")
        environment.merge(
            [
                "CHATTAG": CLIRunner.binary, "CHATTAG_DB": cli.path("weekly.db"), "CHATTAG_EXPORTS": exports, "CHATTAG_REPORTS": cli.path("reports"),
                "CHATTAG_PROMPT": "tagging@2", "CHATTAG_MODEL": "baseline", "CHATTAG_WEEK": "2026-W47", "CHATTAG_BITRIX24_IMPORT": "1",
                "CHATTAG_BITRIX24_SINCE": "2026-11-16", "CHATTAG_BITRIX24_OUTCOMES": "1", "CHATTAG_BITRIX24_PUSH": "1", "CHATTAG_BITRIX24_WEBHOOK_FILE": hookFile,
            ], uniquingKeysWith: { _, new in new })
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
        let log = cli.path("weekly.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(!output.contains(Bitrix24Stand.secret))
        let methods = try #require(try stand.state()["methods"] as? [String: Int])
        for method in ["crm.activity.list", "imopenlines.session.history.get", "crm.contact.list", "crm.deal.list"] {
            #expect((methods[method] ?? 0) > 0, "\(method) was not called")
        }
        #expect(
            output.contains("Bitrix24 Open Lines: 2 sessions") && output.contains("dialogues matched a deal") && output.contains("2026-W47: ") && output.contains("missed leads: "),
            "\(output)")
        let database = try Database(path: cli.path("weekly.db"))
        #expect(try database.rows("SELECT outcome FROM dialogues WHERE id = 'b24-ol-321'").first?["outcome"]?.text == "not_booked")
        for format in ["html", "md", "csv"] { #expect(FileManager.default.fileExists(atPath: cli.path("reports/chattag-2026-W47.\(format)"))) }
    }
}
