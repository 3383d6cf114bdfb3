/// `validate` and `compare` as use cases: the report built from the stored labels and tags,
/// rendered, and kept in `reports`.
public struct TagValidation {
    let store: LabelStore & ReportStore

    public init(store: LabelStore & ReportStore) {
        self.store = store
    }

    /// The validation report of `template` × `model`, rendered as `format`. No label on an
    /// imported dialogue is an error saying what to load, never a report of zeros.
    public func validate(template: PromptTemplate, model: String, format: PageFormat, language: OutputLanguage = .ru) throws -> (report: ValidationReport, body: String) {
        let report = try LabelEvaluation(labels: store).validation(template: template, model: model)
        guard report.n > 0 else { throw UseCaseError.noHandLabels }
        try requireTags(template: template, model: model)
        let body = try Self.render(report, format: format, language: language)
        let instrument = Instrument(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: model)
        try store.save(StoredReport(kind: "validate", instrument: instrument, format: format.rawValue, body: body))
        return (report, body)
    }

    /// A against B on the labeled dialogues, each side tagged first where tags are missing
    /// (through `setup`); `onSide` hears how each side's tagging went.
    /// With `setup` nil, only stored tags are compared and no endpoint is reached.
    public func compare(
        a: (template: PromptTemplate, model: String), b: (template: PromptTemplate, model: String), setup: TaggingSetup?, prices: PriceTable,
        format: PageFormat, language: OutputLanguage = .ru, onSide: (PromptTemplate, String, RunSummary) -> Void = { _, _, _ in }
    ) async throws -> (report: ComparisonReport, body: String, failed: Int) {
        var failed = 0
        if let setup {
            for (template, model) in [a, b] {
                let (_, summary) = try await setup.withRun(template: template, model: model) { try await $0.run() }
                failed += summary.failed
                onSide(template, model, summary)
            }
        }
        let report = try LabelEvaluation(labels: store).comparison(a: a, b: b, prices: prices)
        guard report.n > 0 else { throw UseCaseError.noHandLabels }
        for side in [a, b] { try requireTags(template: side.template, model: side.model) }
        let body = try Self.render(report, format: format, language: language)
        let instrumentA = Instrument(promptName: a.template.name, promptVersion: a.template.version, promptHash: a.template.hash, model: a.model)
        try store.save(
            StoredReport(
                kind: "compare", instrument: instrumentA, format: format.rawValue,
                params: [
                    "a": "\(a.template.id) × \(a.model)", "b": "\(b.template.id) × \(b.model)", "b_prompt_hash": b.template.hash, "b_model": b.model,
                ], body: body))
        return (report, body, failed)
    }

    /// A report page in `format` (a table where CSV is asked: these reports have no CSV).
    static func render<Report: RenderedReport>(_ report: Report, format: PageFormat, language: OutputLanguage) throws -> String {
        switch format {
        case .json: return try JSONOutput.text(report.json)
        case .md: return report.markdown(language)
        case .html: return report.html(language)
        case .table, .csv: return report.table(language)
        }
    }

    /// A measurement of tags that do not exist is refused, never a report of zeros.
    func requireTags(template: PromptTemplate, model: String) throws {
        guard try store.tagUsage(promptHash: template.hash, model: model).dialogues > 0 else {
            throw UseCaseError.noTags(prompt: template.id, model: model)
        }
    }

    /// Why a comparison with the offline baseline on one side compares the rules, not a template.
    public static func baselineWarning(a: (template: PromptTemplate, model: String), b: (template: PromptTemplate, model: String)) -> String? {
        let sides = [a, b].filter { $0.model == BaselineTagger.modelName }
        guard !sides.isEmpty else { return nil }
        return "the offline baseline ignores the template: its side measures the rules, whatever \(sides.map(\.template.id).joined(separator: " and ")) says."
    }
}

/// A report with the renderings `validate` and `compare` offer.
protocol RenderedReport {
    associatedtype JSON: Encodable
    var json: JSON { get }
    func markdown(_ language: OutputLanguage) -> String
    func html(_ language: OutputLanguage) -> String
    func table(_ language: OutputLanguage) -> String
}

extension ValidationReport: RenderedReport {}
extension ComparisonReport: RenderedReport {}
