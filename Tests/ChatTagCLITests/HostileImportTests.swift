import ChatTagStore
import Foundation
import Testing

/// Hostile inputs given to `chattag import` as a user would: forged and bomb archives, endless
/// messages, FIFOs, devices, sockets, sparse files, wrong field types and impossible times.
/// Each one is refused with exit 65 and a message naming the file and the line, leaves the
/// database exactly as it was (same rows, `PRAGMA integrity_check` ok), ends well within the
/// 60 s after which it would be killed, and never holds more than 200 MB.
@Suite struct HostileImportTests {
    /// The memory bound of any import, in KiB (200 MB).
    static let peakLimitKiB = 200 * 1000
    static let staff = ["--staff", "Салон Лилия,Анна Смирнова,Анна,Ольга,A", "--bots", "LiliyaBot"]

    /// One hostile file: how to build it, the extra arguments, and a phrase its refusal must hold.
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var arguments: [String] = []
        var expect: String
        var build: @Sendable (_ path: (String) -> String) throws -> String
    }

    static let header = Array("04.03.2025, 10:02 - A: Здравствуйте\n".utf8)

    static let cases: [Case] = [
        Case(description: "1 GB zip bomb of zeros", expect: "--max-unzip-ratio") { path in
            let data = HostileInputs.deflated(prefix: header, repeating: [UInt8](repeating: 0, count: 1 << 20), times: 1024)
            return try write(path("bomb.zip"), HostileInputs.zip(entry: "WhatsApp Chat with Мария.txt", data: data, writtenSize: 1 << 30))
        },
        Case(description: "300 MB of continuation lines in a 0.7 MB zip", expect: "--max-unzip-ratio") { path in
            try write(path("lines.zip"), continuationZip())
        },
        Case(description: "the same with the ratio cap raised: one endless message", arguments: ["--max-unzip-ratio", "5000"], expect: "line 1: the message") { path in
            try write(path("lines.zip"), continuationZip())
        },
        Case(description: "an entry over --max-unzipped-size", arguments: ["--max-unzipped-size", "1M"], expect: "--max-unzipped-size") { path in
            let lines = (0..<40_000).map { "04.03.2025, 10:\(String(format: "%02d", $0 % 60)) - A: сообщение номер \($0)\n" }.joined()
            let data = HostileInputs.deflated(prefix: Array(lines.utf8), repeating: [], times: 0)
            return try write(path("big.zip"), HostileInputs.zip(entry: "chat.txt", data: data, writtenSize: 100))
        },
        Case(description: "a forged size over data cut short", expect: "damaged") { path in
            let data = HostileInputs.deflated(prefix: header, repeating: Array("текст\n".utf8), times: 100_000)
            return try write(path("cut.zip"), HostileInputs.zip(entry: "chat.txt", data: Array(data.prefix(data.count / 2)), writtenSize: 0xFFFF_FFF0))
        },
        Case(description: "a 16 MB multi-line WhatsApp message", expect: "line 2: the message") { path in
            var text = Array("04.03.2025, 10:01 - Мария: Добрый день\n04.03.2025, 10:02 - Мария: начало\n".utf8)
            text += Array(String(repeating: "строка очень длинного сообщения\n", count: 16 << 20 / 58).utf8)
            return try write(path("WhatsApp Chat with Мария.txt"), text)
        },
        Case(description: "a 2 MB one-line WhatsApp message", expect: "line 1: the line is over") { path in
            try write(path("chat.txt"), header.dropLast() + [UInt8](repeating: 0x61, count: 2 << 20) + [0x0A])
        },
        Case(description: "a 1.5 MB message in a JSONL line", expect: "line 2: the message") { path in
            let good = #"{"id":"h1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"x","text":"Привет"}]}"#
            let long = good.replacingOccurrences(of: "h1", with: "h2").replacingOccurrences(of: "Привет", with: String(repeating: "a", count: 3 << 19))
            return try write(path("long.jsonl"), Array((good + "\n" + long + "\n").utf8))
        },
        Case(description: "a 16 MB JSONL line of two million tiny objects", expect: "line 1: the line holds over 500000 JSON values") { path in
            let unit = Array(#"{"a":1},"#.utf8)
            var line = Array(#"{"id":"x","messages":["#.utf8)
            for _ in 0..<(16 << 20 - 100) / unit.count { line += unit }
            return try write(path("tiny.jsonl"), line + Array("1]}\n".utf8))
        },
        Case(description: "a Telegram message of half a million entities", expect: "line 2: the message starting here is over") { path in
            var text = Array(#"{"name":"x","type":"personal_chat","id":1,"messages":["#.utf8) + [0x0A]
            text += Array(#"{"id":1,"type":"message","date_unixtime":"1741071731","from":"x","text":["#.utf8)
            for _ in 0..<500_000 { text += Array(#"{"a":1},"#.utf8) }
            return try write(path("result.json"), text + Array("1]}]}\n".utf8))
        },
        Case(description: "a CSV dialogue of 300,000 empty rows", expect: "line 2: the dialogue starting here holds over 8 MiB") { path in
            let rows = String(repeating: "d1,2025-01-05T14:00:00+03:00,client,x,\n", count: 300_000)
            return try write(path("rows.csv"), Array(("dialogue_id,at,role,author,text\n" + rows).utf8))
        },
        Case(description: "a WhatsApp chat of 100,000 messages without a pause", expect: "line 1: the dialogue starting here holds over 8 MiB") { path in
            try write(path("chat.txt"), Array(String(repeating: "04.03.2025, 10:02 - Мария: да\n", count: 100_000).utf8))
        },
        Case(description: "a FIFO", expect: "FIFO") { path in
            try HostileInputs.fifo(at: path("chat.txt"))
            return path("chat.txt")
        },
        Case(description: "a character device", expect: "character device") { _ in "/dev/zero" },
        Case(description: "a socket", expect: "socket") { path in
            try HostileInputs.socket(at: path("chat.sock"))
            return path("chat.sock")
        },
        Case(description: "an 8 GB sparse file", expect: "line 1") { path in
            try HostileInputs.sparse(at: path("sparse.txt"), head: [], size: 8 << 30)
            return path("sparse.txt")
        },
        Case(description: "an 8 GB sparse WhatsApp file", expect: "line 1") { path in
            try HostileInputs.sparse(at: path("sparse.txt"), head: header.dropLast(), size: 8 << 30)
            return path("sparse.txt")
        },
        Case(description: "an 8 GB sparse file read as JSONL", arguments: ["--format", "jsonl"], expect: "line 1") { path in
            try HostileInputs.sparse(at: path("sparse.jsonl"), head: [], size: 8 << 30)
            return path("sparse.jsonl")
        },
        Case(description: "an 8 GB sparse file read as CSV", arguments: ["--format", "csv"], expect: "line 2") { path in
            try HostileInputs.sparse(at: path("sparse.csv"), head: Array("dialogue_id,at,role,author,text\n".utf8), size: 8 << 30)
            return path("sparse.csv")
        },
        Case(description: "an 8 GB sparse Telegram file", arguments: ["--format", "telegram"], expect: "line 1") { path in
            try HostileInputs.sparse(at: path("result.json"), head: Array(#"{"name":"x","type":"personal_chat","id":1,"messages":[{"text":""#.utf8), size: 8 << 30)
            return path("result.json")
        },
        Case(description: "a JSONL author given as a number", expect: "line 2: message 1 of the dialogue has \"author\" as a number") { path in
            let good = #"{"id":"n1","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"42","text":"Привет"}]}"#
            let number = good.replacingOccurrences(of: "n1", with: "n2").replacingOccurrences(of: #""author":"42""#, with: #""author":42"#)
            return try write(path("authors.jsonl"), Array((good + "\n" + number + "\n").utf8))
        },
        Case(description: "a Telegram author given as a number", expect: "line 3: the message's \"from\" is a number") { path in
            try write(path("result.json"), telegram([#""from":"Мария","from_id":"user5""#, #""from":5,"from_id":"user5""#]))
        },
        Case(description: "a Telegram date_unixtime before 2000", expect: "line 3: date_unixtime is before 2000-01-01") { path in
            try write(path("result.json"), telegram([#""from":"Мария""#, #""from":"Мария""#], times: ["1741071731", "946684799"]))
        },
        Case(description: "a Telegram date_unixtime far ahead", expect: "line 3: date_unixtime is before 2000-01-01 or more than a day in the future") { path in
            try write(path("result.json"), telegram([#""from":"Мария""#, #""from":"Мария""#], times: ["1741071731", "9223372036854775807"]))
        },
        Case(description: "a Telegram date_unixtime that is not a number", expect: "line 3: date_unixtime is not a whole number") { path in
            try write(path("result.json"), telegram([#""from":"Мария""#, #""from":"Мария""#], times: ["1741071731", "soon"]))
        },
        Case(description: "WhatsApp dates that read day-first and month-first", expect: "line 3: the date reads only month-first") { path in
            let chat = "25/03/2025, 10:02 - Мария: Здравствуйте\n25/03/2025, 10:05 - A: Добрый день\n03/26/2025, 10:07 - Мария: Спасибо\n"
            return try write(path("chat.txt"), Array(chat.utf8))
        },
    ]

    static func write(_ path: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func continuationZip() -> [UInt8] {
        let lines = [UInt8](String(repeating: "продолжение сообщения\n", count: 1 << 15).utf8)
        let data = HostileInputs.deflated(prefix: header, repeating: lines, times: 300 << 20 / lines.count)
        return HostileInputs.zip(entry: "WhatsApp Chat with Мария.txt", data: data, writtenSize: 300 << 20)
    }

    /// A single-chat Telegram export, one message a line, with the given `from` fields and times.
    static func telegram(_ authors: [String], times: [String]? = nil) -> [UInt8] {
        var lines = [#"{"name":"Мария","type":"personal_chat","id":5,"messages":["#]
        for (index, author) in authors.enumerated() {
            let time = times?[index] ?? String(1_741_071_731 + index * 60)
            lines.append(#"{"id":\#(index + 1),"type":"message","date_unixtime":"\#(time)",\#(author),"text":"Здравствуйте"}"# + (index + 1 < authors.count ? "," : ""))
        }
        lines.append("]}")
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// A database holding the fixtures' dialogues, and what it holds.
    static func seeded() throws -> (CLIRunner, String) {
        let cli = try CLIRunner()
        let seeded = try cli.run(["import"] + staff + [CLIRunner.exports.appendingPathComponent("dialogues.jsonl").path])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        return (cli, try cli.databaseDump())
    }

    @Test(arguments: cases) func isRefusedQuicklyInBoundedMemoryAndChangesNothing(_ hostile: Case) throws {
        let (cli, before) = try Self.seeded()
        let file = try hostile.build(cli.path)
        let run = try cli.runMeasured(["import"] + Self.staff + hostile.arguments + [file])
        #expect(run.result.status == 65, "\(hostile): exit \(run.result.status): \(run.result.stderr)")
        #expect(run.result.stderr.contains(hostile.expect), "\(hostile): \(run.result.stderr)")
        #expect(!run.result.stderr.contains("Fatal error") && !run.result.stderr.contains("Illegal instruction"), "\(hostile): \(run.result.stderr)")
        #expect(run.seconds < 60, "\(hostile): \(run.seconds) s")
        #expect(run.peakKiB > 0 && run.peakKiB <= Self.peakLimitKiB, "\(hostile): peak \(run.peakKiB) KiB")
        #expect(try cli.databaseDump() == before, "\(hostile) changed the database")
        let database = try Database(path: cli.path("chattag.db"))
        #expect(try database.rows("PRAGMA integrity_check").first?.values.first?.description == "ok")
        print("hostile import: \(hostile): exit \(run.result.status), \(String(format: "%.2f", run.seconds)) s, VmHWM \(run.peakKiB) KiB")
    }

    @Test func aForgedSizeIsNeverTrustedAndTheRealTextIsImported() throws {
        let cli = try CLIRunner()
        let text = Array("04.03.2025, 10:02 - Мария: Здравствуйте\n04.03.2025, 10:05 - A: Добрый день\n".utf8)
        let data = HostileInputs.deflated(prefix: text, repeating: [], times: 0)
        let file = try Self.write(cli.path("forged.zip"), HostileInputs.zip(entry: "chat.txt", data: data, writtenSize: 0xFFFF_FFF0))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)).count < 400)
        let run = try cli.runMeasured(["import", "--json"] + Self.staff + [file])
        #expect(run.result.status == 0, "\(run.result.stderr)")
        #expect(run.result.stdout.contains(#""messages":2"#), "\(run.result.stdout)")
        #expect(run.peakKiB > 0 && run.peakKiB <= Self.peakLimitKiB, "peak \(run.peakKiB) KiB")
        print("hostile import: forged 4 GB size: exit \(run.result.status), \(String(format: "%.2f", run.seconds)) s, VmHWM \(run.peakKiB) KiB")
    }

    @Test func manyLongMessagesImportInBoundedMemory() throws {
        let cli = try CLIRunner()
        let sentence = "Здравствуйте, хочу записаться на маникюр в субботу, мой номер +7 916 123-45-67, Мария. "
        let text = String(repeating: sentence, count: (900 << 10) / sentence.utf8.count)
        var lines: [String] = []
        for index in 0..<8 {
            lines.append(#"{"id":"long-\#(index)","channel":"site","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"c","text":"\#(text)"}]}"#)
        }
        let file = try Self.write(cli.path("long.jsonl"), Array(lines.joined(separator: "\n").utf8))
        let run = try cli.runMeasured(["import", "--json", file])
        #expect(run.result.status == 0, "\(run.result.stderr)")
        #expect(run.result.stdout.contains(#""dialogues":8"#), "\(run.result.stdout)")
        #expect(run.peakKiB > 0 && run.peakKiB <= Self.peakLimitKiB, "peak \(run.peakKiB) KiB")
        print("hostile import: 8 messages of 900 KiB: exit \(run.result.status), \(String(format: "%.2f", run.seconds)) s, VmHWM \(run.peakKiB) KiB")
    }
}
