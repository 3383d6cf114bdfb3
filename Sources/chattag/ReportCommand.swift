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
            Tags come from the production instrument declared with `chattag instrument set` (the one in effect in each week),
            or from the prompt and model named with --prompt and --model.
            Changes in tag figures are called a trend only when both weeks were tagged by the same prompt hash and model.

            Examples:
              chattag report --week last
              chattag report --week 2026-W47 -o week.html
              chattag report --week last -f csv -o week.csv
              chattag report --staff Анна --week 2026-W47 -o anna.html
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions
    @Option(help: "The ISO week, e.g. 2026-W47; `last` is the last full week, `current` the one in progress.") var week: String = "last"
    @Option(name: [.short, .long], help: "The template whose tags to read, NAME@VERSION (default: the declared instrument).", completion: PromptOptions.completion)
    var prompt: String?
    @Option(name: [.short, .long], help: "The model whose tags to read (default: the declared instrument).") var model: String?
    @Option(name: [.short, .long], help: "The report's format (default: from --out's extension, else table).") var format: PageFormat?
    @OptionGroup var output: OutputOptions
    @Option(help: "CSV delimiter: ; (Excel in Russian locales, with decimal commas) or , (decimal points).") var delimiter: String = ";"
    @Flag(name: .customLong("no-bom"), help: "Write the CSV without the UTF-8 byte-order mark Excel needs.") var noBOM = false
    @Option(
        name: .customLong("review-below"),
        help:
            "Tags with a field less sure than this (0…1, from `run --logprobs`) wait for review and are not counted as facts (env CHATTAG_REVIEW_BELOW, review_below in chattag.toml)."
    )
    var reviewBelow: Double?
    @Option(help: "One staff member's week for a coaching talk: each dialogue's rubric score, the points lost and why, the recommended action.")
    var staff: String?

    func validate() throws {
        if let reviewBelow, !(reviewBelow > 0 && reviewBelow <= 1) {
            throw ValidationError("--review-below takes a confidence between 0 and 1, such as 0.7 (got \(reviewBelow)).")
        }
        guard [",", ";", "\t"].contains(delimiter) else { throw ValidationError("--delimiter must be ; , or a tab.") }
        guard ["last", "current"].contains(week) || ReportWeek(parsing: week) != nil else {
            throw ValidationError("--week takes an ISO week such as 2026-W47, or last, or current (got '\(week)').")
        }
    }

    func run() throws {
        let zone = try global.zone()
        let store = try global.existingStore()
        let reporting = WeeklyReporting(store: store)
        guard let target = reporting.week(week, zone: zone) else { throw ValidationError("--week takes an ISO week such as 2026-W47.") }
        let template = try prompt.map { try source.library().template($0) }
        let instruments = try reporting.instruments(template: template, model: model, week: target)
        let report = try reporting.report(
            week: target, zone: zone, instruments: instruments, named: template != nil || model != nil, reviewBelow: try global.reviewBelow(reviewBelow))
        if let staff {
            let page = try reporting.coaching(report, name: staff)
            let language = global.language
            let body: String
            switch output.format(format, json: global.json) {
            case .md: body = page.markdown(language)
            case .html: body = page.html(language)
            case .table: body = page.table(language)
            case .csv, .json: throw ValidationError("--staff writes a page for people: --format table, md or html.")
            }
            try output.write(body, global: global, note: "\(staff), \(target): \(output.file ?? "")")
            return
        }
        let body = try reporting.render(
            report, format: output.format(format, json: global.json), instrument: instruments.current,
            csv: WeeklyReport.CSVStyle(delimiter: delimiter, byteOrderMark: !noBOM), language: global.language)
        try output.write(body, global: global, note: report.isEmpty ? report.emptyMessage(Wording(global.language)) : "report for \(target): \(output.file ?? "")")
    }
}
