import Foundation

/// `demo --json`: the validation report's keys (docs/json.md, `validate`) plus where the
/// database and the reports were written.
public struct DemoOutput: Encodable, Sendable, Equatable {
    public var validation: ValidationJSON
    public var database: String
    public var report: String
    @NullWhenAbsent public var weekReport: String?

    enum CodingKeys: String, CodingKey {
        case database, report
        case weekReport = "week_report"
    }

    public init(validation: ValidationJSON, database: String, report: String, weekReport: String?) {
        self.validation = validation
        self.database = database
        self.report = report
        self.weekReport = weekReport
    }

    public func encode(to encoder: Encoder) throws {
        try validation.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(database, forKey: .database)
        try container.encode(report, forKey: .report)
        try container.encode(_weekReport, forKey: .weekReport)
    }
}

/// The whole loop on the bundled labeled sample, offline: import, load the hand labels,
/// tag with the baseline, validate, and render the sample's busiest week.
public struct DemoLoop {
    /// What the demo made, for the command to write and print.
    public struct Result: Sendable {
        public var imported: FileImportOutcome
        public var labels: Int
        public var runID: Int64
        public var summary: RunSummary
        public var template: PromptTemplate
        public var validation: ValidationReport
        /// The baseline's rubric (`rubric@1`) against the rubric labels.
        public var rubricValidation: ValidationReport
        /// The validation report as Markdown.
        public var validationMarkdown: String
        public var busiestWeek: ReportWeek?
        /// The busiest week's page as HTML.
        public var weekHTML: String?
    }

    let store: DialogueStore & LabelStore & ReportStore & InstrumentStore
    let runs: TaggingStore
    let pseudonyms: Pseudonymizer
    let zone: ZoneResolver
    let clock: Clock
    let language: OutputLanguage

    public init(
        store: DialogueStore & LabelStore & ReportStore & InstrumentStore, runs: TaggingStore, pseudonyms: Pseudonymizer, zone: ZoneResolver,
        clock: Clock = SystemClock(), language: OutputLanguage = .ru
    ) {
        self.language = language
        self.store = store
        self.runs = runs
        self.pseudonyms = pseudonyms
        self.zone = zone
        self.clock = clock
    }

    public func run() async throws -> Result {
        let sample = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-demo-\(UUID().uuidString).jsonl")
        try DemoSample.dialoguesJSONL.write(to: sample, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: sample) }
        // Imported exactly as `chattag import labeled-samples/dialogues.jsonl` does: the staff
        // and bot names the file's roles give are kept by the importer itself.
        let anonymizer = Anonymizer(names: try NameDictionary.bundled(), pseudonyms: pseudonyms)
        let importer = ChatImport(store: store, options: ImportOptions(format: .jsonl, zone: zone), anonymizer: anonymizer, clock: clock)
        var imported = try importer.importChat(sample.path)
        imported.file = "labeled-samples/dialogues.jsonl"

        let labels = try HandLabel.parseJSONL(DemoSample.labelsJSONL, file: "labeled-samples/labels.jsonl")
        try store.write(labels, source: "labeled-samples/labels.jsonl")

        let template = try PromptLibrary(directories: []).template("tagging@1")
        let (runID, summary) = try await TaggingSetup.offline(store: runs).withRun(template: template, model: BaselineTagger.modelName) { try await $0.run() }

        let validation = try LabelEvaluation(labels: store).validation(template: template, model: BaselineTagger.modelName)
        let markdown = validation.markdown(language)
        let instrument = Instrument(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: BaselineTagger.modelName)
        try store.save(StoredReport(kind: "validate", instrument: instrument, format: "md", body: markdown))
        // The sample's weekly figures read the baseline from the start of its first week.
        try ProductionInstrument(store: store, clock: clock).set(template: template, model: BaselineTagger.modelName, countsFrom: "2000-01-01", zone: zone)

        // The manager rubric, the same way: its labels, the baseline's rubric, its instrument.
        let rubricLabels = try HandLabel.parseJSONL(DemoSample.rubricLabelsJSONL, file: "labeled-samples/rubric-labels.jsonl", taxonomy: .rubric)
        try store.write(rubricLabels, source: "labeled-samples/rubric-labels.jsonl")
        let rubric = try PromptLibrary(directories: []).template("rubric@1")
        _ = try await TaggingSetup.offline(store: runs).withRun(template: rubric, model: BaselineTagger.modelName) { try await $0.run() }
        let rubricValidation = try LabelEvaluation(labels: store).validation(template: rubric, model: BaselineTagger.modelName)
        try ProductionInstrument(store: store, clock: clock, role: .rubric).set(template: rubric, model: BaselineTagger.modelName, countsFrom: "2000-01-01", zone: zone)
        var weekHTML: String?
        let busiest = try store.busiestWeek()
        if let busiest {
            let reporting = WeeklyReporting(store: store, clock: clock)
            let report = try reporting.report(week: busiest, zone: zone, instruments: try reporting.instruments(template: nil, model: nil, week: busiest))
            weekHTML = try reporting.render(report, format: .html, instrument: instrument, language: language)
        }
        return Result(
            imported: imported, labels: labels.count, runID: runID, summary: summary, template: template, validation: validation, rubricValidation: rubricValidation,
            validationMarkdown: markdown + "\n" + rubricValidation.markdown(language),
            busiestWeek: busiest, weekHTML: weekHTML)
    }
}
