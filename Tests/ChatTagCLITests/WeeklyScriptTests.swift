import ChatTagStore
import Foundation
import Testing

/// `scripts/weekly.sh`, the job the README schedules with cron or systemd.
@Suite struct WeeklyScriptTests {
    @Test func theWeeklyJobImportsTagsAndWritesTheReports() throws {
        let cli = try CLIRunner()
        let exports = cli.path("exports")
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ReportCommandTests.fixture.appendingPathComponent("dialogues.jsonl").path, toPath: exports + "/CRM week 47.jsonl")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [CLIRunner.repository.appendingPathComponent("scripts/weekly.sh").path]
        var environment = ProcessInfo.processInfo.environment
        environment["CHATTAG"] = CLIRunner.binary
        environment["CHATTAG_DB"] = cli.path("weekly.db")
        environment["CHATTAG_EXPORTS"] = exports
        environment["CHATTAG_REPORTS"] = cli.path("reports")
        environment["CHATTAG_PROMPT"] = "tagging@2"
        environment["CHATTAG_MODEL"] = "baseline"
        environment["CHATTAG_WEEK"] = "2026-W47"
        environment.removeValue(forKey: "CHATTAG_PSEUDONYM_KEY")
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
        // The raw export is deleted once imported: chattag keeps only the anonymized dialogues.
        #expect(!FileManager.default.fileExists(atPath: exports + "/CRM week 47.jsonl"), "\(output)")
        for format in ["html", "md", "csv"] {
            #expect(FileManager.default.fileExists(atPath: cli.path("reports/chattag-2026-W47.\(format)")), "\(format)")
        }
        let markdown = try String(contentsOfFile: cli.path("reports/chattag-2026-W47.md"), encoding: .utf8)
        #expect(markdown.contains("Диалогов: 7 (неделей раньше 3, +4)"))
        #expect(markdown.contains("шаблон tagging v2"))
    }
}
