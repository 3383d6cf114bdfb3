import Foundation
import Testing

@testable import ChatTagCore

/// Every malformed file fails with one message that names the file, the line and the fix.
@Suite struct BadInputTests {
    func failure(_ name: String, _ bytes: [UInt8], format: ExportFormat = .auto) throws -> ImportError {
        let path = try TestSupport.temporaryFile(name, bytes)
        do {
            _ = try TestSupport.importDialogues(path, staff: ["Анна"], format: format)
        } catch let error as ImportError {
            #expect("\(error)".contains(path), "message names the file: \(error)")
            return error
        }
        Issue.record("\(name) was accepted")
        return .empty(file: "")
    }

    let good = #"{"id":"d1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"Привет"}]}"#

    @Test func brokenJSONLineNamesItsLineAndColumn() throws {
        let error = try failure("broken.jsonl", Array((good + "\n" + #"{"id":"d2","messages":[{"at":"#).utf8))
        guard case let .malformed(_, line, problem, _) = error else { Issue.record("\(error)"); return }
        #expect(line == 2)
        #expect(problem.contains("broken JSON at column"))
    }

    @Test func impossibleTimesAreRefusedByLine() throws {
        for (name, at) in [("old.jsonl", "1999-12-31T23:00:00+00:00"), ("far.jsonl", "9999-01-01T10:00:00+03:00"), ("early.jsonl", "0001-01-01T10:00:00+03:00")] {
            let line = good.replacingOccurrences(of: "2025-01-05T14:00:00+03:00", with: at)
            guard case let .malformed(_, number, problem, _) = try failure(name, Array((good + "\n" + line.replacingOccurrences(of: "d1", with: "d2")).utf8)) else {
                Issue.record("\(name) was not refused as malformed")
                continue
            }
            #expect(number == 2, "\(name)")
            #expect(problem.contains("before 2000-01-01 or more than a day in the future"), "\(name): \(problem)")
        }
    }

    @Test func aMessageEarlierThanTheOneBeforeItIsRefusedInJSONLAndCSV() throws {
        let backwards =
            #"{"id":"d1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"Привет"},"#
            + #"{"at":"2025-01-05T13:58:00+03:00","role":"staff","author":"Анна","text":"Здравствуйте"}]}"#
        guard case let .malformed(_, _, problem, fix) = try failure("back.jsonl", Array(backwards.utf8)) else { Issue.record("jsonl"); return }
        #expect(problem.contains("earlier than the message before it") && fix.contains("time order"))
        // A minute of clock difference between devices is allowed.
        let skewed = backwards.replacingOccurrences(of: "13:58:00", with: "13:59:30")
        let path = try TestSupport.temporaryFile("skew.jsonl", Array(skewed.utf8))
        #expect(try TestSupport.importDialogues(path, staff: ["Анна"]).count == 1)
        let csv = "dialogue_id,at,role,author,text\nd1,2025-01-05T14:00:00+03:00,client,x,Привет\nd1,2025-01-05T12:00:00+03:00,staff,Анна,Здравствуйте\n"
        guard case let .malformed(_, line, _, _) = try failure("back.csv", Array(csv.utf8)) else { Issue.record("csv"); return }
        #expect(line == 3)
    }

    @Test func aCSVRowWithMoreFieldsThanTheHeaderIsRefusedNotCut() throws {
        let csv = "dialogue_id,at,role,author,text\nd1,2025-01-05T14:00:00+03:00,client,x,Здравствуйте, есть окно, на субботу\n"
        guard case let .malformed(_, line, problem, fix) = try failure("extra.csv", Array(csv.utf8)) else { Issue.record("csv"); return }
        #expect(line == 2 && problem.contains("7 fields, the header 5") && fix.contains("Quote"))
    }

    @Test func jsonlWithWrongRoleOrTimeSaysWhatToUse() throws {
        let badRole = good.replacingOccurrences(of: "\"client\"", with: "\"customer\"")
        let error = try failure("role.jsonl", Array((good.replacingOccurrences(of: "d1", with: "d0") + "\n" + badRole).utf8))
        guard case let .malformed(_, line, _, fix) = error else { Issue.record("\(error)"); return }
        #expect(line == 2)
        #expect(fix.contains("client, staff, bot, system"))
        let badTime = good.replacingOccurrences(of: "2025-01-05T14:00:00+03:00", with: "5 Jan 2025")
        guard case let .malformed(_, timeLine, problem, _) = try failure("time.jsonl", Array(badTime.utf8)) else { Issue.record("time"); return }
        #expect(timeLine == 1)
        #expect(problem.contains("\"at\""))
    }

    @Test func duplicateDialogueIdsAreRefused() throws {
        let error = try failure("dupes.jsonl", Array((good + "\n" + good + "\n").utf8))
        guard case let .malformed(_, line, problem, _) = error else { Issue.record("\(error)"); return }
        #expect(line == 2)
        #expect(problem.contains("line 1"))
    }

    @Test func wrongCSVHeaderListsTheMissingColumns() throws {
        let error = try failure("wrong.csv", Array("dialogue_id,time,who,text\nd1,2025-01-05T10:00:00Z,client,hi\n".utf8), format: .csv)
        guard case let .malformed(_, line, problem, fix) = error else { Issue.record("\(error)"); return }
        #expect(line == 1)
        #expect(problem.contains("at, role, author"))
        #expect(fix.contains("dialogue_id,at,role,author,text"))
    }

    @Test func unclosedCSVQuoteNamesTheRowWhereItStarts() throws {
        let error = try failure("quote.csv", Array("dialogue_id,at,role,author,text\nd1,2025-01-05T10:00:00Z,client,x,ok\nd1,2025-01-05T10:01:00Z,client,x,\"never closed\n".utf8))
        guard case let .malformed(_, line, problem, _) = error else { Issue.record("\(error)"); return }
        #expect(line == 3)
        #expect(problem.contains("never closed"))
    }

    @Test func invalidUTF8NamesTheLine() throws {
        var bytes = Array((good + "\n").utf8)
        bytes += Array(#"{"id":"d2","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":""#.utf8)
        bytes += [0xD0, 0x28, 0xFF]
        bytes += Array("\"}]}\n".utf8)
        let error = try failure("latin1.jsonl", bytes)
        #expect(error == .invalidUTF8(file: error.fileName, line: 2))
    }

    @Test func unknownFormatSuggestsFormatFlag() throws {
        let error = try failure("notes.txt", Array("Просто заметки о клиентах\nвторая строка\n".utf8))
        #expect(error == .unknownFormat(file: error.fileName))
        #expect("\(error)".contains("--format"))
    }

    @Test func jsonThatIsNotATelegramExportIsRefused() throws {
        let error = try failure("package.json", Array("{\n \"name\": \"app\",\n \"version\": \"1.0.0\"\n}\n".utf8))
        guard case .notAnExport = error else { Issue.record("\(error)"); return }
        #expect("\(error)".contains("Telegram Desktop"))
    }

    @Test func truncatedTelegramExportNamesTheLine() throws {
        let text = try String(contentsOf: TestSupport.exports.appendingPathComponent("telegram-single.json"), encoding: .utf8)
        let cut = String(text.prefix(text.count / 2))
        let expectedLine = cut.split(separator: "\n", omittingEmptySubsequences: false).count
        let error = try failure("result.json", Array(cut.utf8))
        guard case let .malformed(_, line, _, fix) = error else { Issue.record("\(error)"); return }
        #expect(line >= expectedLine - 1 && line <= expectedLine)
        #expect(fix.contains("export the chat again"))
    }

    @Test func emptyFileIsRefused() throws {
        let error = try failure("empty.txt", [])
        #expect(error == .empty(file: error.fileName))
    }

    @Test func fiftyMegabyteSingleLineIsRefusedAsTooLong() throws {
        var bytes = Array(#"{"id":"big","messages":[{"text":""#.utf8)
        bytes += [UInt8](repeating: 0x61, count: 50 << 20)
        let error = try failure("huge.jsonl", bytes)
        guard case let .lineTooLong(_, line, size, _) = error else { Issue.record("\(error)"); return }
        #expect(line == 1)
        // The search for the line's end stops past the limit: the file is not read to its end.
        #expect(size > 16 << 20 && size < 17 << 20)
    }

    @Test func whatsAppFileWithGarbageFirstLineIsRefused() throws {
        let error = try failure("chat.txt", Array("hello\n04.03.2025, 10:02 - A: hi\n".utf8), format: .whatsapp)
        guard case let .malformed(_, line, _, _) = error else { Issue.record("\(error)"); return }
        #expect(line == 1)
    }
}

extension ImportError {
    var fileName: String {
        switch self {
        case let .unreadable(file, _), let .empty(file), let .unknownFormat(file), let .invalidUTF8(file, _),
            let .lineTooLong(file, _, _, _), let .malformed(file, _, _, _), let .notAnExport(file, _), let .noStaff(file, _), let .notRegular(file, _),
            let .archiveOverLimit(file, _, _, _), let .messageTooLong(file, _, _), let .dialogueTooLarge(file, _, _):
            return file
        case .unknownTimeZone:
            return ""
        }
    }
}
