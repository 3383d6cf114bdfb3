import Foundation
import Testing

@testable import ChatTagCore

/// The pure parts of bounded, type-checked imports: sizes, placeholders that pass through,
/// pseudonymous ids, format detection, and the line numbers and refusals of bad input.
@Suite struct ImportLimitsTests {
    let anonymizer = TestSupport.anonymizer(staff: ["Анна"])

    @Test func sizesReadInBinaryUnits() {
        #expect(ImportLimits.parseSize("2G") == 2 << 30)
        #expect(ImportLimits.parseSize("500M") == 500 << 20)
        #expect(ImportLimits.parseSize("1.5GiB") == 3 << 29)
        #expect(ImportLimits.parseSize("64k") == 64 << 10)
        #expect(ImportLimits.parseSize("1048576") == 1 << 20)
        for bad in ["", "G", "-1M", "lots", "0"] { #expect(ImportLimits.parseSize(bad) == nil, "\(bad)") }
        #expect(ImportLimits().maxUnzippedBytes == 2 << 30 && ImportLimits().maxUnzipRatio == 200)
    }

    @Test func theProjectFileTakesTheArchiveLimits() throws {
        let project = try ProjectFile.parse("max_unzipped_size = \"4G\"\nmax_unzip_ratio = 400\n", file: "chattag.toml")
        #expect(project.maxUnzippedSize == "4G" && project.maxUnzipRatio == "400")
        #expect(throws: ImportError.self) { try ProjectFile.parse("max_unzip_ratio = \"lots\"\n", file: "chattag.toml") }
    }

    @Test func everyPlaceholderAlreadyInTheTextPassesThroughUnchanged() {
        #expect(anonymizer.mask("Маму зовут [NAME_1]") == "Маму зовут [NAME_1]")
        for kind in PIIKind.allCases {
            let text = "уже скрыто: [\(kind.label)_2], меня зовут [\(kind.label)_1]."
            #expect(anonymizer.mask(text) == text, "\(kind)")
        }
    }

    @Test func aNewValueNeverTakesTheNumberOfAPlaceholderAlreadyThere() {
        #expect(anonymizer.mask("Маму зовут [NAME_1], а меня Ольга") == "Маму зовут [NAME_1], а меня [NAME_2]")
        let raw = RawDialogue(
            id: "d1", channel: "site", chatKey: "d1",
            messages: [
                RawMessage(at: ChatTime(unixMillis: 0, offsetSeconds: 0), author: "c", role: .client, text: "Мой номер 8 916 123-45-67", line: 1),
                RawMessage(at: ChatTime(unixMillis: 1000, offsetSeconds: 0), author: "c", role: .client, text: "Старый был [PHONE_1]", line: 2),
            ])
        let dialogue = anonymizer.anonymize(raw, source: "test", idPrefix: "t")
        #expect(dialogue.messages.map(\.text) == ["Мой номер [PHONE_2]", "Старый был [PHONE_1]"])
    }

    @Test func anIdWithPersonalDataBecomesAStableKeyedPseudonym() {
        #expect(anonymizer.dialogueID("ls-001") == "ls-001")
        #expect(anonymizer.dialogueID("wa-2025-01-05-017") == "wa-2025-01-05-017")
        let phone = anonymizer.dialogueID("+7 916 123-45-67")
        #expect(phone.hasPrefix("id-") && phone.count == 19 && phone == anonymizer.dialogueID("+7 916 123-45-67"))
        #expect(anonymizer.dialogueID("maria@example.com").hasPrefix("id-"))
        let otherKey = Anonymizer(names: TestSupport.names, pseudonyms: Pseudonymizer(secret: Array("another key".utf8)))
        #expect(otherKey.dialogueID("+7 916 123-45-67") != phone)
    }

    @Test func minifiedTelegramIsTelegramAndJSONLStaysJSONL() throws {
        let cases: [(String, ExportFormat)] = [
            (#"{"name":"Мария","type":"personal_chat","id":5,"messages":[]}"#, .telegram),
            (#"{"about":"…","personal_information":{"user_id":1},"chats":{"list":[]}}"#, .telegram),
            (#"{"id":5,"messages":[{"date":"2025-03-04T10:02:11","date_unixtime":"1741071731","from":"x","text":"t"}],"name":"x"}"#, .telegram),
            (#"{"id":"d1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"t"}]}"#, .jsonl),
            (#"{"messages":[{"text":"t","at":"2025-01-05T14:00:00+03:00","role":"client"}],"id":"d1"}"#, .jsonl),
        ]
        for (text, format) in cases {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { FormatDetector.detect($0) } == format, "\(text)")
        }
    }

    func failure(_ name: String, _ text: String, format: ExportFormat = .auto) throws -> ImportError? {
        let path = try TestSupport.temporaryFile(name, text)
        do {
            _ = try TestSupport.importDialogues(path, staff: ["Анна"], format: format)
        } catch let error as ImportError {
            return error
        }
        return nil
    }

    @Test func anEncodingErrorInACSVNamesItsOwnLine() throws {
        var bytes = Array("dialogue_id,at,role,author,text\nd1,2025-01-05T14:00:00+03:00,client,x,Привет\nd1,2025-01-05T14:01:00+03:00,client,x,caf".utf8)
        bytes += [0xE9] + Array("\nd1,2025-01-05T14:02:00+03:00,client,x,ok\n".utf8)
        let path = try TestSupport.temporaryFile("latin1.csv", bytes)
        #expect(throws: ImportError.invalidUTF8(file: path, line: 3)) { try TestSupport.importDialogues(path, staff: ["Анна"]) }
        // In a quoted field that spans lines, the line of the bad byte itself.
        var quoted = Array("dialogue_id,at,role,author,text\nd1,2025-01-05T14:00:00+03:00,client,x,\"first\nsecond\nthird ".utf8)
        quoted += [0xFF] + Array("\"\n".utf8)
        let quotedPath = try TestSupport.temporaryFile("quoted.csv", quoted)
        #expect(throws: ImportError.invalidUTF8(file: quotedPath, line: 4)) { try TestSupport.importDialogues(quotedPath, staff: ["Анна"]) }
    }

    @Test func whatsAppDatesReadableOnlyInOppositeOrdersAreRefusedAtTheLaterLine() throws {
        let chat = "03/25/2025, 10:02 - Мария: Здравствуйте\n03/25/2025, 10:05 - Анна: Добрый день\n26/03/2025, 10:07 - Мария: Спасибо\n"
        guard case let .malformed(_, line, problem, _)? = try failure("chat.txt", chat) else { Issue.record("accepted"); return }
        #expect(line == 3 && problem.contains("reads only day-first") && problem.contains("line 1"))
        // One order throughout is read, whichever it is.
        let usOnly = "03/25/2025, 10:02 - Мария: Здравствуйте\n03/26/2025, 10:05 - Анна: Добрый день\n"
        #expect(try TestSupport.importDialogues(try TestSupport.temporaryFile("us.txt", usOnly), staff: ["Анна"]).count == 1)
    }

    @Test func repeatedIdsAreFoundByTheirHashesAndConfirmedByLine() throws {
        let row = "2025-01-05T14:00:00+03:00,client,x,Привет\n"
        let csv = "dialogue_id,at,role,author,text\nd1," + row + "d2," + row + "d1," + row
        guard case let .malformed(_, line, problem, _)? = try failure("apart.csv", csv) else { Issue.record("accepted"); return }
        #expect(line == 4 && problem.contains("not together"))
        let long = String(repeating: "очень-длинный-идентификатор-", count: 20)
        let dialogue = #"{"id":"ID","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"Привет"}]}"#
        let lines = ["\(long)1", "\(long)2", "\(long)1"].map { dialogue.replacingOccurrences(of: "ID", with: $0) }.joined(separator: "\n")
        guard case let .malformed(_, jsonLine, jsonProblem, _)? = try failure("repeat.jsonl", lines) else { Issue.record("accepted"); return }
        #expect(jsonLine == 3 && jsonProblem.contains("already appeared on line 1"))
    }

    @Test func anOutcomeSheetIsReadRowByRowAndAConflictNamesBothLines() throws {
        let path = try TestSupport.temporaryFile("crm.csv", "dialogue_id;outcome\nd1;booked\nd2;no\nd1;booked\nd3;yes\n")
        var rows: [String] = []
        #expect(try OutcomeSheet.read(path: path) { rows.append("\($0.dialogueID)=\($0.outcome.rawValue)") } == 4)
        #expect(rows == ["d1=booked", "d2=not_booked", "d1=booked", "d3=booked"])
        let conflict = try TestSupport.temporaryFile("conflict.csv", "dialogue_id,outcome\nd1,booked\nd2,no\nd1,lost\n")
        #expect(throws: ImportError.malformed(file: conflict, line: 4, problem: "the dialogue already has outcome booked on line 2", fix: "Keep one row per dialogue.")) {
            try OutcomeSheet.read(path: conflict) { _ in }
        }
    }

    @Test func aNumberAuthorIsRefusedNamingTheLine() throws {
        let jsonl = #"{"id":"d1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":71,"text":"Привет"}]}"#
        guard case let .malformed(_, line, problem, fix)? = try failure("n.jsonl", jsonl) else { Issue.record("accepted"); return }
        #expect(line == 1 && problem.contains("\"author\" as a number") && fix.contains("JSON string"))
    }

    @Test func aMultiLineWhatsAppMessageOverOneMebibyteIsRefusedAtItsFirstLine() throws {
        let body = String(repeating: "строка длинного сообщения\n", count: (1 << 20) / 40)
        let chat = "04.03.2025, 10:02 - Мария: Здравствуйте\n04.03.2025, 10:03 - Мария: начало\n" + body
        guard case let .messageTooLong(_, line, limit)? = try failure("long.txt", chat) else { Issue.record("accepted"); return }
        #expect(line == 2 && limit == 1 << 20)
    }
}
