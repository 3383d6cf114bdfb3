import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Benchmarks that print figures. `chattag-bench import` generates chat exports of a given
/// size (a WhatsApp chat and canonical JSONL, with phones, names, prices and times in the
/// text), imports each with the real `chattag` binary into a fresh database, and reports wall
/// time, messages per second, CPU seconds and the importer's peak resident memory.
///
///     swift build -c release --static-swift-stdlib
///     .build/release/chattag-bench import --messages 100000 --messages 1000000
///     .build/release/chattag-bench run --dialogues 5000 --latency-ms 50 --concurrency 64

struct ImportBench {
    var sizes: [Int] = []
    var formats = ["whatsapp", "jsonl"]
    var directory = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-bench").path
    var binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("chattag").path

    struct Measurement {
        var seconds: Double
        var cpuSeconds: Double
        var peakKiB: Int
        var status: Int32
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        print("chattag import benchmark (\(ProcessInfo.processInfo.activeProcessorCount) cores), binary \(binary)")
        print("format     messages   file MB   seconds   msg/s      CPU s   peak RSS MB")
        for format in formats {
            for size in sizes {
                let file = directory + "/bench-\(size).\(format == "jsonl" ? "jsonl" : "txt")"
                var generator = ExportGenerator(messages: size)
                let bytes = try generator.write(format: format, to: file)
                let database = directory + "/bench-\(format)-\(size).db"
                for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: database + suffix) }
                let result = try measure([
                    binary, "import", "--quiet", "--db", database, "--staff", "Салон Лилия,Анна", "--session-gap", "30m", "--reply-window", "30m", file,
                ])
                guard result.status == 0 else { throw BenchError.failed("chattag import exited \(result.status)") }
                print(
                    String(
                        format: "%-9@ %9d %9.1f %9.2f %9.0f %9.2f %9.1f", format as NSString, size, Double(bytes) / 1_048_576,
                        result.seconds, Double(size) / result.seconds, result.cpuSeconds, Double(result.peakKiB) / 1024))
                for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: database + suffix) }
                if ProcessInfo.processInfo.environment["CHATTAG_BENCH_KEEP"] == nil { try? FileManager.default.removeItem(atPath: file) }
            }
        }
    }

    /// Runs a command and reads its wall time and CPU time from wait4's rusage, and its peak
    /// RSS from /proc/PID/status (VmHWM, a high-water mark), read every 10 ms while it runs.
    /// The wall time ends when wait4 returns.
    /// (wait4's ru_maxrss cannot be used: on Linux a child started with posix_spawn's vfork
    /// inherits the spawning process's own high-water mark, so a bench holding 100,000
    /// generated dialogues would report its own memory as the child's.) The reading is a raw
    /// read into a fixed buffer: the bench shares the cores with what it measures.
    func measure(_ arguments: [String]) throws -> Measurement {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let start = Date()
        guard posix_spawn(&pid, arguments[0], nil, nil, argv, environ) == 0 else { throw BenchError.failed("cannot start \(arguments[0])") }
        // A thread blocks in wait4, so the end is seen the moment the child exits (a polling
        // loop would add up to its interval to the wall time).
        let exit = ChildExit()
        let child = pid
        Thread.detachNewThread {
            var status: Int32 = 0
            var usage = rusage()
            var waited = wait4(child, &status, 0, &usage)
            while waited < 0 && errno == EINTR { waited = wait4(child, &status, 0, &usage) }
            // A failed wait is reported as exit status 255, never as a success.
            exit.finish(at: Date(), status: waited == child ? status : 255 << 8, usage: usage)
        }
        var peakKiB = 0
        let statusFile = "/proc/\(pid)/status"
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !exit.isDone {
            peakKiB = max(peakKiB, Self.highWaterKiB(statusFile, buffer: &buffer))
            exit.wait(milliseconds: 10)
        }
        let (end, status, usage) = exit.result
        let seconds = end.timeIntervalSince(start)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return Measurement(seconds: seconds, cpuSeconds: cpu, peakKiB: peakKiB, status: (status >> 8) & 0xFF)
    }

    /// VmHWM in KiB from a /proc status file, or 0 when it cannot be read.
    static func highWaterKiB(_ path: String, buffer: inout [UInt8]) -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        let line = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
    }
}

/// The exit of a child process, as seen by the thread that waits for it.
final class ChildExit: Sendable {
    private let ended = Mutex<(Date, Int32, rusage)?>(nil)
    /// Signalled once, when the child has exited; only the measuring thread (a plain thread) waits on it.
    private let exited = DispatchSemaphore(value: 0)

    var isDone: Bool { ended.withLock { $0 != nil } }

    var result: (Date, Int32, rusage) { ended.withLock { $0! } }

    func finish(at end: Date, status: Int32, usage: rusage) {
        ended.withLock { $0 = (end, status, usage) }
        exited.signal()
    }

    /// Returns when the child has exited or after `milliseconds`, whichever is first.
    func wait(milliseconds: Int) {
        if isDone { return }
        _ = exited.wait(timeout: .now() + .milliseconds(milliseconds))
    }
}

enum BenchError: Error, CustomStringConvertible {
    case failed(String)
    case usage(String)

    var description: String {
        switch self {
        case let .failed(text): return text
        case let .usage(text): return text
        }
    }
}

/// Writes deterministic, realistic exports: a salon's WhatsApp chat or canonical JSONL.
struct ExportGenerator {
    var messages: Int
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(messages: Int) {
        self.messages = messages
    }

    static let clientLines = [
        "Здравствуйте! Есть окно на маникюр в субботу?", "Сколько стоит окрашивание на средние волосы?",
        "Меня зовут Ольга Петрова, мой номер +7 916 %07d", "Можно перенести запись на 15:30?", "Спасибо, до встречи!",
        "Пишите на почту olga.%d@mail.ru", "Запишите, пожалуйста, Марию к мастеру на 12.03", "А в воскресенье работаете?",
        "Дорого, подумаю", "Оплачу картой 4276 3800 1234 5679", "Я уже третий раз пишу, ответьте пожалуйста",
        "Мой адрес ул. Ленина, д. 5, кв. %d", "Хорошо 👍", "Промокод SPRING25 действует?",
    ]
    static let staffLines = [
        "Добрый день! Есть 12:00 и 15:30", "Стоимость 2 500 ₽, длится 2 часа", "Записали вас, ждём!",
        "К сожалению, на субботу всё занято", "Ваш заказ №%d готов", "Перезвоните нам по номеру 8 (495) 123-45-67",
        "Да, работаем с 10:00 до 21:00 без выходных",
    ]

    private mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    private mutating func line(client: Bool) -> String {
        let pool = client ? Self.clientLines : Self.staffLines
        let template = pool[Int(next() % UInt64(pool.count))]
        return template.contains("%") ? String(format: template, Int(next() % 9_000_000)) : template
    }

    /// Writes the export and returns its size in bytes.
    mutating func write(format: String, to path: String) throws -> Int {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError.failed("cannot write \(path)") }
        defer { try? handle.close() }
        var buffer = ""
        var written = 0
        func flush(force: Bool = false) {
            if force || buffer.utf8.count > 1 << 20 {
                let data = Data(buffer.utf8)
                handle.write(data)
                written += data.count
                buffer = ""
            }
        }
        var minute = 0
        var produced = 0
        var dialogue = 0
        while produced < messages {
            dialogue += 1
            let length = min(4 + Int(next() % 9), messages - produced)
            // 35 minutes between dialogues (the import runs with a 30-minute session gap and
            // reply window) and 1–4 between messages keep a million messages within 2010–2022:
            // the importer refuses times more than a day ahead.
            minute += 35
            var parts: [String] = []
            for index in 0..<length {
                minute += 1 + Int(next() % 4)
                let client = index % 2 == 0
                let text = line(client: client)
                let author = client ? "Клиент \(dialogue % 997)" : (next() % 2 == 0 ? "Салон Лилия" : "Анна")
                if format == "jsonl" {
                    let at = Self.iso(minute: minute)
                    let escaped = text.replacingOccurrences(of: "\"", with: "\\\"")
                    parts.append(#"{"at":"\#(at)","role":"\#(client ? "client" : "staff")","author":"\#(author)","text":"\#(escaped)"}"#)
                } else {
                    buffer += Self.whatsAppStamp(minute: minute) + " - " + author + ": " + text + "\n"
                }
            }
            if format == "jsonl" {
                buffer += #"{"id":"bench-\#(dialogue)","channel":"whatsapp","messages":[\#(parts.joined(separator: ","))]}"# + "\n"
            }
            produced += length
            flush()
        }
        flush(force: true)
        return written
    }

    static func civil(minute: Int) -> (Int, Int, Int, Int, Int) {
        let days = 14_610 + minute / 1440  // 2010-01-01
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, minute % 1440 / 60, minute % 60)
    }

    static func whatsAppStamp(minute: Int) -> String {
        let (year, month, day, hour, min) = civil(minute: minute)
        return String(format: "%02d.%02d.%04d, %02d:%02d", day, month, year, hour, min)
    }

    static func iso(minute: Int) -> String {
        let (year, month, day, hour, min) = civil(minute: minute)
        return String(format: "%04d-%02d-%02dT%02d:%02d:00+03:00", year, month, day, hour, min)
    }
}

/// `chattag-bench run`: tags N dialogues against the mock endpoint at latency L and
/// concurrency C and prints wall time as a ratio to the limit N·L/C, CPU seconds and peak
/// memory of `chattag run`; then runs again with everything cached and times the check.
struct RunBench {
    var dialogues = 5_000
    var latencyMs = 50
    var concurrency = 64
    var directory = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-bench-run").path
    var tools = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    func run() throws {
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let chattag = tools.appendingPathComponent("chattag").path
        let database = directory + "/bench.db"
        let export = directory + "/dialogues.jsonl"
        var lines: [String] = []
        lines.reserveCapacity(dialogues)
        for index in 0..<dialogues {
            lines.append(
                #"{"id":"b\#(index)","channel":"whatsapp","messages":[{"at":"2025-03-01T10:00:00+03:00","role":"client","author":"Клиент \#(index % 997)","text":"Здравствуйте! Сколько стоит маникюр с покрытием и есть ли окно в субботу?"},{"at":"2025-03-01T10:09:00+03:00","role":"staff","author":"Анна","text":"Добрый день! 2500 ₽, в субботу есть 12:00 и 15:30"}]}"#
            )
        }
        try lines.joined(separator: "\n").write(toFile: export, atomically: true, encoding: .utf8)
        let importer = ImportBench()
        let imported = try importer.measure([chattag, "import", "--quiet", "--db", database, export])
        guard imported.status == 0 else { throw BenchError.failed("import failed") }
        let mock = Process()
        mock.executableURL = tools.appendingPathComponent("chattag-mock-llm")
        mock.arguments = ["--port", "0", "--latency-ms", String(latencyMs), "--lifetime-seconds", "3600"]
        let pipe = Pipe()
        mock.standardOutput = pipe
        try mock.run()
        defer { mock.terminate() }
        var line = Data()
        while true {
            let byte = pipe.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = String(decoding: line, as: UTF8.self).split(separator: ":").last else { throw BenchError.failed("mock did not start") }
        let arguments = [
            chattag, "run", "--quiet", "--db", database, "--prompt", "tagging@1", "--model", "gpt-bench",
            "--base-url", "http://127.0.0.1:\(port)/v1", "--concurrency", String(concurrency),
        ]
        let tagging = try importer.measure(arguments)
        guard tagging.status == 0 else { throw BenchError.failed("chattag run exited \(tagging.status)") }
        let limit = Double(dialogues) * Double(latencyMs) / 1000 / Double(concurrency)
        print("chattag run benchmark: N=\(dialogues) dialogues, L=\(latencyMs) ms, C=\(concurrency)")
        print(
            String(
                format: "tagging:  %.2f s wall, limit N·L/C = %.2f s, ratio %.3f, CPU %.2f s (%.2f ms/dialogue), peak RSS %.1f MB",
                tagging.seconds, limit, tagging.seconds / limit, tagging.cpuSeconds, tagging.cpuSeconds * 1000 / Double(dialogues),
                Double(tagging.peakKiB) / 1024))
        let cached = try importer.measure(arguments)
        guard cached.status == 0 else { throw BenchError.failed("cached re-run exited \(cached.status)") }
        print(
            String(
                format: "re-run, all cached: %.2f s wall for %d dialogues, CPU %.2f s, peak RSS %.1f MB",
                cached.seconds, dialogues, cached.cpuSeconds, Double(cached.peakKiB) / 1024))
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: chattag-bench import [--messages N]… [--format whatsapp|jsonl]… [--dir DIR] [--chattag PATH]
           chattag-bench run [--dialogues N] [--latency-ms L] [--concurrency C]
    """
guard let mode = arguments.first, mode == "import" || mode == "run" else {
    print(usage)
    exit(2)
}
arguments.removeFirst()
var bench = ImportBench()
var runBench = RunBench()
var formats: [String] = []
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    guard let value = arguments.first else { print("\(flag) needs a value"); exit(2) }
    arguments.removeFirst()
    switch flag {
    case "--messages": bench.sizes.append(Int(value) ?? 0)
    case "--format": formats.append(value)
    case "--dir": bench.directory = value
    case "--chattag": bench.binary = value
    case "--dialogues": runBench.dialogues = Int(value) ?? runBench.dialogues
    case "--latency-ms": runBench.latencyMs = Int(value) ?? runBench.latencyMs
    case "--concurrency": runBench.concurrency = Int(value) ?? runBench.concurrency
    default: print("unknown option \(flag)"); exit(2)
    }
}
if bench.sizes.isEmpty { bench.sizes = [100_000, 1_000_000] }
if !formats.isEmpty { bench.formats = formats }
do {
    if mode == "run" { try runBench.run() } else { try bench.run() }
} catch {
    print("chattag-bench: \(error)")
    exit(1)
}
