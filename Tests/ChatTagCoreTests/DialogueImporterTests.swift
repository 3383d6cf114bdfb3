import Foundation
import Testing

@testable import ChatTagCore

/// Each sample export (written in its app's real format) imports into exactly the dialogues,
/// message counts, times and roles that `Tests/Fixtures/exports/EXPECTED.json` lists.
@Suite struct DialogueImporterTests {
    struct Expected: Decodable {
        struct ExpectedDialogue: Decodable {
            var messages: Int
            var first_at: String
            var last_at: String
            var authors: [String]
            var system_messages: Int
            var deleted_messages: Int
            var media_messages: Int
        }
        var staff: [String]
        var bots: [String]
        var dialogues: [ExpectedDialogue]
    }

    static let expected: [String: Expected] = {
        let url = TestSupport.exports.appendingPathComponent("EXPECTED.json")
        do { return try JSONDecoder().decode([String: Expected].self, from: Data(contentsOf: url)) } catch { fatalError("\(error)") }
    }()

    static let mediaMarkers = ["[PHOTO]", "[STICKER", "[VOICE]", "[MEDIA]", "[VIDEO]", "[GIF]", "[FILE]", "[AUDIO]"]

    @Test(arguments: [
        "telegram-single.json", "telegram-account.json", "whatsapp-android-ru.txt", "whatsapp-android-ru.zip",
        "whatsapp-android-en-12h.txt", "whatsapp-ios-ru.txt", "whatsapp-ios-en.txt", "dialogues.csv", "dialogues.jsonl",
    ])
    func importsSampleExportIntoTheExpectedDialogues(file: String) throws {
        let expected = try #require(Self.expected[file])
        let path = TestSupport.exports.appendingPathComponent(file).path
        let dialogues = try TestSupport.importDialogues(path, staff: expected.staff, bots: expected.bots)
        #expect(dialogues.count == expected.dialogues.count)
        for (dialogue, want) in zip(dialogues, expected.dialogues) {
            #expect(dialogue.messages.count == want.messages, "\(dialogue.id)")
            #expect(dialogue.startedAt?.iso8601 == want.first_at, "\(dialogue.id)")
            #expect(dialogue.endedAt?.iso8601 == want.last_at, "\(dialogue.id)")
            #expect(dialogue.messages.filter { $0.role == .system }.count == want.system_messages, "\(dialogue.id)")
            #expect(dialogue.messages.filter { $0.text == "[DELETED]" }.count == want.deleted_messages, "\(dialogue.id)")
            let media = dialogue.messages.filter { message in Self.mediaMarkers.contains(where: message.text.hasPrefix) }
            #expect(media.count == want.media_messages, "\(dialogue.id)")
            let businessSide = Set(expected.staff + expected.bots)
            for author in want.authors where businessSide.contains(author) {
                #expect(dialogue.messages.contains { $0.author == author && $0.role != .client }, "\(author) in \(dialogue.id)")
            }
            for message in dialogue.messages where message.role == .client {
                #expect(message.author.hasPrefix("c-") && message.author.count == 10, "client pseudonym \(message.author)")
            }
            for clientName in want.authors where !businessSide.contains(clientName) && !clientName.hasPrefix("c-") {
                for message in dialogue.messages {
                    #expect(!message.author.contains(clientName) && !message.text.contains(clientName), "\(clientName) leaked in \(dialogue.id)")
                }
            }
        }
    }

    @Test func timesKeepTheirOffsetWhenTheExportWritesOne() throws {
        let path = try TestSupport.temporaryFile(
            "offsets.jsonl",
            """
            {"id":"d1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+05:00","role":"client","author":"x","text":"Привет"},{"at":"2025-01-05T09:05:00Z","role":"staff","author":"Анна","text":"Здравствуйте"}]}
            """)
        let dialogue = try #require(try TestSupport.importDialogues(path, staff: ["Анна"]).first)
        #expect(dialogue.messages.map(\.at.iso8601) == ["2025-01-05T14:00:00+05:00", "2025-01-05T09:05:00Z"])
        #expect(dialogue.messages[1].at.seconds(since: dialogue.messages[0].at) == 300)
    }

    @Test func splitsChatAtGapsLongerThanSessionGap() throws {
        let path = TestSupport.exports.appendingPathComponent("whatsapp-android-ru.txt").path
        let twelveHours = try TestSupport.importDialogues(path, staff: ["Салон Лилия"])
        let oneMinute = try TestSupport.importDialogues(path, staff: ["Салон Лилия"], gap: 60)
        let thirtyDays = try TestSupport.importDialogues(path, staff: ["Салон Лилия"], gap: 30 * 86_400)
        #expect(twelveHours.count == 2)
        #expect(thirtyDays.count == 1)
        #expect(oneMinute.count > twelveHours.count)
        let splitCount: Int = oneMinute.reduce(0) { $0 + $1.messages.count }
        let wholeCount: Int = twelveHours.reduce(0) { $0 + $1.messages.count }
        #expect(splitCount == wholeCount)
    }

    @Test func dialogueIdsAreStableAcrossImportsAndDependOnTheFirstMessage() throws {
        let path = TestSupport.exports.appendingPathComponent("telegram-single.json").path
        let first = try TestSupport.importDialogues(path, staff: ["Салон Лилия", "Анна Смирнова"])
        let again = try TestSupport.importDialogues(path, staff: ["Салон Лилия", "Анна Смирнова"])
        #expect(first.map(\.id) == again.map(\.id))
        #expect(first.map(\.contentHash) == again.map(\.contentHash))
        #expect(Set(first.map(\.id)).count == first.count)
        #expect(first.allSatisfy { $0.id.hasPrefix("tg-2025-03-") })
    }

    @Test func aWhatsAppChatKeepsItsIdsWhenNextWeeksExportIsNamedLikeASecondDownload() throws {
        let source = try Data(contentsOf: TestSupport.exports.appendingPathComponent("whatsapp-android-ru.txt"))
        let first = try TestSupport.temporaryFile("WhatsApp Chat with Мария.txt", Array(source))
        let second = try TestSupport.temporaryFile("WhatsApp Chat with Мария (1).txt", Array(source))
        let other = try TestSupport.temporaryFile("WhatsApp Chat with Ольга.txt", Array(source))
        let staff = ["Салон Лилия"]
        let ids = try TestSupport.importDialogues(first, staff: staff).map(\.id)
        #expect(!ids.isEmpty)
        #expect(try TestSupport.importDialogues(second, staff: staff).map(\.id) == ids)
        #expect(Set(try TestSupport.importDialogues(other, staff: staff).map(\.id)).isDisjoint(with: ids))
        #expect(DialogueImporter.whatsAppChatKey(fileName: "Чат WhatsApp с Мария copy (2).txt") == DialogueImporter.whatsAppChatKey(fileName: "WhatsApp Chat with Мария.txt"))
    }

    @Test func telegramAccountOwnerIsStaffWithoutAStaffList() throws {
        let path = TestSupport.exports.appendingPathComponent("telegram-account.json").path
        let dialogues = try TestSupport.importDialogues(path)
        #expect(dialogues.count == 2)
        #expect(dialogues.allSatisfy { dialogue in dialogue.messages.contains { $0.role == .staff && $0.author == "Салон Лилия" } })
    }

    @Test func telegramEntitiesAreMaskedAsCertainPII() throws {
        let path = TestSupport.exports.appendingPathComponent("telegram-single.json").path
        let texts = try TestSupport.importDialogues(path, staff: ["Салон Лилия", "Анна Смирнова"]).flatMap(\.messages).map(\.text).joined(separator: "\n")
        #expect(texts.contains("[PHONE_1]"))
        #expect(texts.contains("[EMAIL_1]"))
        #expect(texts.contains("[CARD_1]"))
        #expect(texts.contains("[HANDLE_1]"))
        #expect(texts.contains("[MISSED CALL]"))
        #expect(!texts.contains("+7 916 555 12 34"))
    }

    @Test func whatsAppDayFirstOrMonthFirstIsDecidedFromTheWholeFile() throws {
        let monthFirst = try TestSupport.temporaryFile("us.txt", "3/4/25, 10:02 PM - John: Hi\n3/14/25, 9:00 AM - Anna: Hello\n")
        let dayFirst = try TestSupport.temporaryFile("uk.txt", "3/4/25, 10:02 - John: Hi\n14/3/25, 9:00 - Anna: Hello\n")
        let us = try TestSupport.importDialogues(monthFirst, staff: ["Anna"])
        let uk = try TestSupport.importDialogues(dayFirst, staff: ["Anna"])
        #expect(us.first?.startedAt?.iso8601 == "2025-03-04T22:02:00+03:00")
        #expect(uk.first?.startedAt?.iso8601 == "2025-04-03T10:02:00+03:00")
    }

    @Test func whatsAppJoinsContinuationLinesAndDropsTheEncryptionNotice() throws {
        let path = try TestSupport.temporaryFile(
            "chat.txt",
            """
            04.03.2025, 10:00 - Сообщения и звонки защищены сквозным шифрованием. Никто, кроме участников этого чата, не может их прочитать.
            04.03.2025, 10:02 - Клиент Один: Первая строка
            вторая строка
            04.03.2025, 10:03 - Салон: Ответ

            """)
        let dialogue = try #require(try TestSupport.importDialogues(path, staff: ["Салон"]).first)
        #expect(dialogue.messages.count == 2)
        #expect(dialogue.messages[0].text == "Первая строка\nвторая строка")
        #expect(dialogue.messages[1].role == .staff)
    }

    @Test func csvQuotedFieldsKeepDelimitersQuotesAndLineBreaks() throws {
        let path = try TestSupport.temporaryFile(
            "rows.csv",
            Array(
                "\u{FEFF}dialogue_id\tat\trole\tauthor\ttext\nd1\t2025-01-05T10:00:00+03:00\tclient\tx\t\"цена; \"\"срочно\"\"\nи ещё\"\nd1\t2025-01-05T10:05:00+03:00\tstaff\tАнна\tОк\n"
                    .utf8))
        let dialogue = try #require(try TestSupport.importDialogues(path, staff: ["Анна"]).first)
        #expect(dialogue.messages.map(\.text) == ["цена; \"срочно\"\nи ещё", "Ок"])
        #expect(dialogue.messages.map(\.role) == [.client, .staff])
    }

    @Test func aChatWithoutStaffAsksWhoTheBusinessIs() throws {
        let path = TestSupport.exports.appendingPathComponent("whatsapp-android-ru.txt").path
        #expect { try TestSupport.importDialogues(path) } throws: { error in
            guard case let ImportError.noStaff(_, authors) = error else { return false }
            return authors.contains("Салон Лилия") && "\(error)".contains("--staff")
        }
    }
}

/// The parallel pipeline keeps file order and stops at the first failure of the writer.
@Suite struct ImportPipelineTests {
    static func bigFile(_ count: Int) throws -> String {
        var lines: [String] = []
        for index in 0..<count {
            lines.append(
                #"{"id":"d\#(index)","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"Клиент \#(index)","text":"Позвоните 8 916 \#(1_000_000 + index)"},{"at":"2025-01-05T14:05:00+03:00","role":"staff","author":"Анна","text":"Хорошо"}]}"#
            )
        }
        return try TestSupport.temporaryFile("big.jsonl", lines.joined(separator: "\n"))
    }

    @Test func keepsFileOrderAcrossManyBatches() throws {
        let path = try Self.bigFile(3_000)
        let dialogues = try TestSupport.importDialogues(path, staff: ["Анна"])
        #expect(dialogues.map(\.id) == (0..<3_000).map { "d\($0)" })
        #expect(dialogues.allSatisfy { $0.messages[0].text == "Позвоните [PHONE_1]" })
    }

    @Test func aFailingWriterStopsTheImportWithItsError() throws {
        struct Full: Error {}
        let path = try Self.bigFile(3_000)
        let importer = DialogueImporter(options: ImportOptions(zone: TestSupport.zone()), anonymizer: TestSupport.anonymizer(staff: ["Анна"]))
        var written = 0
        #expect(throws: Full.self) {
            try importer.importFile(path) { _ in
                written += 1
                if written == 1_500 { throw Full() }
            }
        }
        #expect(written == 1_500)
    }
}
