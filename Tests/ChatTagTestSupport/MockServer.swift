import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts the `chattag-mock-llm` binary on an ephemeral loopback port for one test and stops
/// it afterwards.
public final class MockServer: Sendable {
    let process = Process()
    public let port: Int
    public let recordPath: String

    public static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["CHATTAG_MOCK_BIN"] { return explicit }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("chattag-mock-llm").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/chattag-mock-llm").path
    }

    public init(_ arguments: [String] = []) throws {
        recordPath = FileManager.default.temporaryDirectory.appendingPathComponent("mock-\(UUID().uuidString).jsonl").path
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--port", "0", "--record", recordPath, "--lifetime-seconds", "300"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = Int(text.split(separator: ":").last ?? "") else {
            process.terminate()
            throw NSError(domain: "MockServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "mock did not start: \(text)"])
        }
        self.port = port
    }

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    /// The requests the server received, as recorded (authorization redacted).
    public func recorded() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: recordPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Stops the server at once; `waitUntilExit` is avoided because Foundation's run-loop
    /// wait can spin while the test process shuts down.
    deinit {
        let pid = process.processIdentifier
        if pid > 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(atPath: recordPath)
    }
}
