import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The whole loop on the bundled labeled sample, offline: import, tag with the baseline, validate against the hand labels.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Where to write the validation report (Markdown).")
    var report: String = "chattag-demo-report.md"

    @Option(name: .customLong("week-report"), help: "Where to write the weekly report of the sample's busiest week (HTML).")
    var weekReport: String = "chattag-demo-week.html"

    func run() async throws {
        let databasePath = global.db ?? global.environment["CHATTAG_DB"] ?? "chattag-demo.db"
        let lock = try RunLock(databasePath: databasePath)
        defer { withExtendedLifetime(lock) {} }
        let sample = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-demo-\(UUID().uuidString).jsonl")
        try DemoSample.dialoguesJSONL.write(to: sample, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: sample) }

        let staff = Self.businessAuthors(in: DemoSample.dialoguesJSONL)
        let pseudonyms = try Pseudonymizer.load(environment: global.environment, keyFile: global.environment["CHATTAG_PSEUDONYM_KEY_FILE"] ?? databasePath + ".key")
        let anonymizer = Anonymizer(names: try NameDictionary.bundled(), pseudonyms: pseudonyms, staff: staff)
        let importer = DialogueImporter(options: ImportOptions(format: .jsonl, staff: staff, zone: try global.zone()), anonymizer: anonymizer)
        let store = try ChatTagStore(path: databasePath)
        let (imported, totals) = try store.importFile(name: "labeled-samples/dialogues.jsonl", zone: try global.zone()) { write in try importer.importFile(sample.path, emit: write)
        }
        global.note("imported \(imported.dialogues) dialogues (\(totals.inserted) new, \(totals.unchanged) unchanged)")
        let labels = try HandLabel.parseJSONL(DemoSample.labelsJSONL, file: "labeled-samples/labels.jsonl")
        try LabelTable(database: store.database).write(labels, source: "labeled-samples/labels.jsonl")
        global.note("loaded \(labels.count) hand labels")

        let template = try PromptLibrary(directories: []).template("tagging@1")
        let runStore = try RunStore(path: databasePath)
        let run = TaggingRun(
            template: template, model: BaselineTagger.modelName, tagger: BaselineTagger(), store: runStore,
            options: TaggingOptions(), endpoint: "offline:\(BaselineTagger.version)")
        let (runID, summary) = try await run.run()
        global.note("tagged with the offline baseline (run \(runID)): \(summary.tagged) new, \(summary.cached) cached, \(summary.failed) failed")

        let labelTable = LabelTable(database: store.database)
        let validation = try labelTable.validationReport(template: template, model: BaselineTagger.modelName)
        let markdown = validation.markdown()
        try markdown.write(toFile: report, atomically: true, encoding: .utf8)
        try labelTable.store(validation, format: "md", body: markdown)
        let reports = ReportTable(database: store.database)
        let busiest = try reports.busiestWeek()
        if let busiest {
            let instrument = Instrument(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: BaselineTagger.modelName)
            let html = try reports.weeklyReport(week: busiest, zone: try global.zone(), instrument: instrument).html()
            try html.write(toFile: weekReport, atomically: true, encoding: .utf8)
            try reports.save(kind: "week", instrument: instrument, format: "html", params: ["week": busiest.description, "zone": global.zoneName], body: html)
        }
        if global.json {
            var object = validation.jsonObject()
            object["database"] = databasePath
            object["report"] = report
            object["week_report"] = busiest == nil ? NSNull() : weekReport
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            return
        }
        print("\nBaseline (\(template.id) × baseline) against \(validation.n) hand labels:\n")
        print(validation.table())
        print("\ndatabase:    \(databasePath)\nvalidation:  \(report)")
        if let busiest { print("week report: \(weekReport) (\(busiest), the sample's busiest week; try `chattag report --db \(databasePath) --week \(busiest)`)") }
    }

    /// The staff and bot names of a canonical JSONL text, kept unmasked on import.
    static func businessAuthors(in jsonl: String) -> [String] {
        var names: Set<String> = []
        for line in jsonl.split(separator: "\n") {
            guard let messages = JSONValue.parse(Array(line.utf8))?["messages"]?.array else { continue }
            for message in messages where message["role"]?.string == "staff" || message["role"]?.string == "bot" {
                if let author = message["author"]?.string { names.insert(author) }
            }
        }
        return names.sorted()
    }
}
