import ChatTagStore
import Foundation

/// Runs the built `chattag` binary in a temporary folder, as a user would. The folder is
/// removed when the runner goes.
final class CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let exports = repository.appendingPathComponent("Tests/Fixtures/exports")

    static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["CHATTAG_BIN"] { return explicit }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("chattag").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return repository.appendingPathComponent(".build/debug/chattag").path
    }

    let directory: String
    /// Where a run's stdout and stderr go: files, not pipes, so a child that writes much to
    /// both never blocks on a pipe nobody reads.
    private let outputs: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-cli-\(UUID().uuidString)").path
        directory = base + "/work"
        outputs = base + "/out"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent)
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// A run with its wall time and the peak resident memory of the chattag process.
    struct Measured {
        var result: Result
        var seconds: Double
        /// The chattag process's high-water resident set (VmHWM), in KiB; -1 if it was killed.
        var peakKiB: Int
    }

    /// Runs chattag under GNU `time`, which forks a small process that execs chattag and reads
    /// its `ru_maxrss` from `wait4`: the kernel's high-water mark of the process's resident set
    /// (what /proc/PID/status shows as VmHWM), taken after it exits, so no peak is missed
    /// between polls. (Spawned straight from the test process, a child would report the test
    /// process's own peak, inherited at exec.) `timeout` kills the whole group after
    /// `timeoutSeconds`, so a hang fails the test instead of stalling it.
    func runMeasured(_ arguments: [String], timeoutSeconds: Int = 60) throws -> Measured {
        let peakFile = outputs + "/\(UUID().uuidString).peak"
        let started = Date()
        let result = try run(
            ["-s", "KILL", String(timeoutSeconds), "/usr/bin/time", "-f", "%M", "-o", peakFile, Self.binary] + arguments, executable: "/usr/bin/timeout")
        let seconds = Date().timeIntervalSince(started)
        let report = (try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: peakFile)
        let peak = report.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? -1
        return Measured(result: result, seconds: seconds, peakKiB: peak)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], executable: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CHATTAG_DB")
        env.removeValue(forKey: "CHATTAG_PSEUDONYM_KEY")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let id = UUID().uuidString
        let outPath = outputs + "/\(id).out", errPath = outputs + "/\(id).err", inPath = outputs + "/\(id).in"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        defer {
            try? output.close()
            try? errors.close()
            try? input.close()
        }
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        process.waitUntilExit()
        let out = FileManager.default.contents(atPath: outPath) ?? Data()
        let err = FileManager.default.contents(atPath: errPath) ?? Data()
        for file in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: file) }
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Every row of the import tables, to prove a refused import changed nothing.
    func databaseDump(_ name: String = "chattag.db") throws -> String {
        let database = try Database(path: path(name))
        var lines: [String] = []
        for sql in ["SELECT * FROM dialogues ORDER BY id", "SELECT * FROM messages ORDER BY dialogue_id, seq", "SELECT * FROM imports ORDER BY id"] {
            for row in try database.rows(sql) {
                lines.append(row.keys.sorted().map { "\($0)=\(row[$0]!)" }.joined(separator: "|"))
            }
        }
        return lines.joined(separator: "\n")
    }
}
