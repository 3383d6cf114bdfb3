import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The whole loop on the bundled labeled sample, offline: import, tag with the baseline, validate against the hand labels.",
        discussion: """
            Examples:
              chattag demo
              chattag demo --db /tmp/demo.db --week-report week.html
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Where to write the validation report (Markdown).")
    var report: String = "chattag-demo-report.md"

    @Option(name: .customLong("week-report"), help: "Where to write the weekly report of the sample's busiest week (HTML).")
    var weekReport: String = "chattag-demo-week.html"

    func run() async throws {
        let databasePath = global.db ?? global.environment["CHATTAG_DB"] ?? "chattag-demo.db"
        let lock = try RunLock(databasePath: databasePath)
        defer { withExtendedLifetime(lock) {} }
        let pseudonyms = try Pseudonymizer.load(environment: global.environment, keyFile: global.environment["CHATTAG_PSEUDONYM_KEY_FILE"] ?? databasePath + ".key")
        let store = try ChatTagStore(path: databasePath)
        let demo = DemoLoop(store: store, runs: try RunStore(path: databasePath), pseudonyms: pseudonyms, zone: try global.zone(), language: global.language)
        let result = try await demo.run()
        global.note("imported \(result.imported.dialogues ?? 0) dialogues (\(result.imported.new ?? 0) new, \(result.imported.unchanged ?? 0) unchanged)")
        global.note("loaded \(result.labels) hand labels")
        global.note(
            "tagged with the offline baseline (run \(result.runID)): \(result.summary.tagged) new, \(result.summary.cached) cached, \(result.summary.failed) failed")
        try OutputOptions(out: report).write(result.validationMarkdown, global: global)
        if let html = result.weekHTML { try OutputOptions(out: weekReport).write(html, global: global) }
        if global.json {
            let output = DemoOutput(
                validation: result.validation.json, database: databasePath, report: report, weekReport: result.weekHTML == nil ? nil : weekReport)
            try OutputOptions.print(try JSONOutput.text(output))
            return
        }
        let w = Wording(global.language)
        var lines = [
            "",
            w.t(
                "Базовые правила (\(result.template.id) × baseline) против \(result.validation.n) ручных меток:",
                "Baseline (\(result.template.id) × baseline) against \(result.validation.n) hand labels:"),
            "", result.validation.table(global.language), "",
            w.t(
                "Рубрика менеджеров базовыми правилами (rubric@1 × baseline) против \(result.rubricValidation.n) ручных меток:",
                "The manager rubric by the baseline (rubric@1 × baseline) against \(result.rubricValidation.n) hand labels:"),
            "", result.rubricValidation.table(global.language),
        ]
        lines.append(w.t("\nбаза данных:      \(databasePath)\nпроверка:         \(report)", "\ndatabase:    \(databasePath)\nvalidation:  \(report)"))
        if let busiest = result.busiestWeek {
            lines.append(
                w.t(
                    "отчёт за неделю:  \(weekReport) (\(busiest), самая загруженная неделя примера; попробуйте `chattag report --db \(databasePath) --week \(busiest)`)",
                    "week report: \(weekReport) (\(busiest), the sample's busiest week; try `chattag report --db \(databasePath) --week \(busiest)`)"))
        }
        try OutputOptions.print(lines.joined(separator: "\n"))
    }
}
