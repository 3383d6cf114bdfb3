import Foundation

/// Tags measured against hand labels: the validation report of one prompt and model, the
/// A/B comparison of two, and the annotators' agreement. Reads through a ``LabelStore``;
/// every figure is computed here.
public struct LabelEvaluation {
    let labels: LabelStore

    public init(labels: LabelStore) {
        self.labels = labels
    }

    /// The tags of `model` with `template` against the hand labels, field by field.
    public func validation(template: PromptTemplate, model: String) throws -> ValidationReport {
        var excerpts: [String: String] = [:]
        let (pairs, ties) = try gold(template: template, model: model)
        var report = try validation(template: template, model: model, pairs: pairs, excerpts: &excerpts)
        report.excludedTies = ties
        let usage = try labels.tagUsage(promptHash: template.hash, model: model)
        if let input = usage.tokensIn, let output = usage.tokensOut { report.tokensPerDialogue = (input, output) }
        return report
    }

    /// A against B on the same hand labels, tagged beforehand.
    public func comparison(a: (template: PromptTemplate, model: String), b: (template: PromptTemplate, model: String), prices: PriceTable) throws
        -> ComparisonReport
    {
        let (pairsA, tiesA) = try gold(template: a.template, model: a.model)
        let (pairsB, tiesB) = try gold(template: b.template, model: b.model)
        var excerpts: [String: String] = [:]
        var validationA = try validation(template: a.template, model: a.model, pairs: pairsA, excerpts: &excerpts)
        var validationB = try validation(template: b.template, model: b.model, pairs: pairsB, excerpts: &excerpts)
        validationA.excludedTies = tiesA
        validationB.excludedTies = tiesB
        for pair in pairsA.values.joined() { _ = try excerpt(of: pair.dialogueID, cache: &excerpts) }
        return ComparisonReport(
            a: .init(validation: validationA, usage: try usage(promptHash: a.template.hash, model: a.model, prices: prices)),
            b: .init(validation: validationB, usage: try usage(promptHash: b.template.hash, model: b.model, prices: prices)),
            taxonomy: a.template.taxonomy, pairsA: pairsA, pairsB: pairsB, excerpts: excerpts)
    }

    /// Cohen's kappa between the two annotators who labeled the most dialogues in common,
    /// per field, as lines for people (empty when no dialogue has two annotators).
    public func agreement(taxonomy: Taxonomy = .default) throws -> [String] {
        guard let (first, second) = try labels.annotatorsWithMostOverlap() else { return [] }
        var lines: [String] = []
        for field in taxonomy.fields {
            let rows = try labels.pairedLabels(field: field.name, first: first, second: second)
            let values = field.values
            var matrix = [[Int]](repeating: [Int](repeating: 0, count: values.count), count: values.count)
            for row in rows {
                if let x = row.first.flatMap(values.firstIndex(of:)), let y = row.second.flatMap(values.firstIndex(of:)) { matrix[x][y] += 1 }
            }
            let kappa = FieldMetrics.cohenKappa(matrix, categories: values.count)
            lines.append(String(format: "agreement of %@ and %@ on %@: Cohen's kappa %.2f over %d dialogues", first, second, field.name, kappa, rows.count))
        }
        return lines
    }

    /// Tokens, latency, failures and cost per labeled dialogue of one prompt and model.
    func usage(promptHash: String, model: String, prices: PriceTable) throws -> SideUsage {
        let totals = try labels.tagUsage(promptHash: promptHash, model: model)
        let cost = prices.cost(model: model, tokensIn: Int((totals.tokensIn ?? 0) * 1000), tokensOut: Int((totals.tokensOut ?? 0) * 1000)).map { $0 / 1000 }
        return SideUsage(
            dialogues: totals.dialogues, failed: totals.failed, tokensInPerDialogue: totals.tokensIn, tokensOutPerDialogue: totals.tokensOut,
            latencyMsPerDialogue: totals.latencyMs, costPerDialogue: cost)
    }

    /// Per field, gold and prediction of each labeled dialogue (see ``GoldLabels``), and how
    /// many dialogues a tie between annotators left out.
    func gold(template: PromptTemplate, model: String) throws -> (pairs: [String: [LabelPair]], ties: [String: Int]) {
        var byField: [String: [LabelPair]] = [:]
        var ties: [String: Int] = [:]
        for field in template.taxonomy.measured {
            let resolved = GoldLabels.resolve(try labels.labelVotes(field: field.name, promptHash: template.hash, model: model))
            byField[field.name] = resolved.pairs
            ties[field.name] = resolved.ties.count
        }
        return (byField, ties)
    }

    func validation(template: PromptTemplate, model: String, pairs byField: [String: [LabelPair]], excerpts: inout [String: String]) throws
        -> ValidationReport
    {
        var errors: [ValidationReport.ValidationError] = []
        var fields: [FieldMetrics] = []
        // Every field with hand labels: the asked ones and the derived ones. Evidence fields
        // nobody labels are kept with the tags, not measured.
        for field in template.taxonomy.measured where !(byField[field.name] ?? []).isEmpty {
            let rows = byField[field.name] ?? []
            var metrics = FieldMetrics(field: field.name, labels: field.values, pairs: rows.map { ($0.gold, $0.predicted) })
            let confidences = try labels.tagConfidences(field: field.name, promptHash: template.hash, model: model)
            metrics.calibration = Calibration(rows.compactMap { row in confidences[row.dialogueID].map { ($0, row.gold == row.predicted) } })
            fields.append(metrics)
            for row in rows where row.gold != row.predicted {
                errors.append(
                    .init(dialogueID: row.dialogueID, field: field.name, gold: row.gold, predicted: row.predicted, excerpt: try excerpt(of: row.dialogueID, cache: &excerpts)))
            }
        }
        var report = ValidationReport(promptName: template.name, promptVersion: template.version, promptHash: template.hash, model: model, fields: fields)
        report.errors = errors.sorted { ($0.dialogueID, $0.field) < ($1.dialogueID, $1.field) }
        return report
    }

    /// The first client message on one line, cut to about 120 characters (already anonymized).
    func excerpt(of dialogueID: String, cache: inout [String: String]) throws -> String {
        if let known = cache[dialogueID] { return known }
        let text = Excerpt.of(try labels.firstClientText(of: dialogueID), limit: 120)
        cache[dialogueID] = text
        return text
    }
}
