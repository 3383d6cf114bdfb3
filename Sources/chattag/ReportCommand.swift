import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "The week's KPIs: dialogues by channel and intent, sentiment, missed leads, the bot, conversion, and per staff member first response times, unanswered dialogues and missed leads — beside the previous week.",
        discussion: """
            A dialogue counts in the ISO week (in --tz) of its first message, and for whoever replied first.
            Tags come from one prompt and model (--prompt, --model; default: those that tagged most of the week, the latest run's on a tie).
            Changes in tag figures are called a trend only when both weeks were tagged by the same prompt hash and model.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @Option(help: "The ISO week, e.g. 2026-W47; `last` is the last full week, `current` the one in progress.") var week: String = "last"
    @Option(help: "The template whose tags to read, NAME@VERSION (default: the one that tagged most of the week).") var prompt: String?
    @Option(help: "The model whose tags to read (default: the one that tagged most of the week).") var model: String?
    @Option(help: "table, md, json, csv or html.") var format: String = "table"
    @Option(help: "Write the report to this file instead of stdout.") var out: String?

    func validate() throws {
        guard ["table", "md", "json", "csv", "html"].contains(format) else { throw ValidationError("--format must be table, md, json, csv or html (got '\(format)').") }
        guard ["last", "current"].contains(week) || ReportWeek(parsing: week) != nil else {
            throw ValidationError("--week takes an ISO week such as 2026-W47, or last, or current (got '\(week)').")
        }
    }

    func run() throws {
        let zone = try global.zone()
        let target: ReportWeek
        switch week {
        case "last", "current":
            let current = ReportWeek(at: Int64(Date().timeIntervalSince1970 * 1000), in: zone)
            target = week == "last" ? current.previous : current
        default:
            target = ReportWeek(parsing: week)!
        }
        let store = try global.openStore()
        let table = ReportTable(database: store.database)
        var instrument: Instrument?
        if prompt != nil || model != nil {
            let template = try prompt.map { try source.library().template($0) }
            instrument = try table.instrument(prompt: template.map { ($0.name, $0.version) }, model: model)
            if instrument == nil, let template, let model {
                instrument = Instrument(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: model)
            }
            guard instrument != nil else {
                throw CommandFailure(
                    message:
                        "no run used \([prompt, model].compactMap { $0 }.joined(separator: " × ")). Run `chattag run --prompt … --model …` first, or leave --prompt/--model out to use the tags that cover the week.",
                    code: ExitCodes.usage)
            }
        } else {
            // The prompt and model that tagged most of the week (the latest run's on a tie), so a
            // `compare` or a `run --limit` since the weekly run does not hollow out the report.
            let latest = try table.latestInstrument()
            instrument = try table.dominantInstrument(in: target.interval(in: zone), preferred: latest) ?? latest
        }
        let report = try table.weeklyReport(week: target, zone: zone, instrument: instrument)
        let chosen = global.json ? "json" : format
        let body: String
        switch chosen {
        case "json": body = try report.json()
        case "md": body = report.markdown()
        case "csv": body = report.csv()
        case "html": body = report.html()
        default: body = report.table()
        }
        if !report.isEmpty {
            try table.save(kind: "week", instrument: instrument, format: chosen, params: ["week": target.description, "zone": zone.identifier], body: body)
        }
        if let out {
            try body.write(toFile: out, atomically: true, encoding: .utf8)
            global.note(report.isEmpty ? report.emptyMessage : "report for \(target): \(out)")
        } else {
            print(body, terminator: body.hasSuffix("\n") ? "" : "\n")
        }
    }
}
