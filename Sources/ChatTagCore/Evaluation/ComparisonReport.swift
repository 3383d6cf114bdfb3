import Foundation

/// What one side of an A/B cost per labeled dialogue, from its tags.
public struct SideUsage: Sendable, Equatable {
    /// Labeled dialogues with a tag of this side (ok or failed).
    public var dialogues: Int
    /// Of them, tags that failed (no valid reply after the repair request, or an endpoint error).
    public var failed: Int
    public var tokensInPerDialogue: Double?
    public var tokensOutPerDialogue: Double?
    /// Mean time per tag in milliseconds: every attempt and the repair request included.
    public var latencyMsPerDialogue: Double?
    /// USD per dialogue from the price table; nil when the model has no price.
    public var costPerDialogue: Double?

    public init(dialogues: Int, failed: Int, tokensInPerDialogue: Double?, tokensOutPerDialogue: Double?, latencyMsPerDialogue: Double?, costPerDialogue: Double?) {
        self.dialogues = dialogues
        self.failed = failed
        self.tokensInPerDialogue = tokensInPerDialogue
        self.tokensOutPerDialogue = tokensOutPerDialogue
        self.latencyMsPerDialogue = latencyMsPerDialogue
        self.costPerDialogue = costPerDialogue
    }
}

/// Prompt A vs prompt B (or model A vs B) on the same hand-labeled dialogues: both
/// validation reports, per field the paired statistics (McNemar's exact p, the bootstrap
/// interval of the accuracy difference), macro and per-class F1 differences, failure
/// rates, cost and latency per dialogue, and the dialogues where A and B disagree.
public struct ComparisonReport: Sendable {
    public struct Side: Sendable {
        public var validation: ValidationReport
        public var usage: SideUsage

        public init(validation: ValidationReport, usage: SideUsage) {
            self.validation = validation
            self.usage = usage
        }

        /// `tagging@2 × gpt-4.1-mini`.
        public var title: String { "\(validation.promptName)@\(validation.promptVersion) × \(validation.model)" }
    }

    public struct FieldComparison: Sendable {
        public var field: String
        public var comparison: PairedComparison
        public var accuracyA: Double
        public var accuracyB: Double
        /// Macro F1 of B minus macro F1 of A.
        public var macroF1Diff: Double
        /// Per class, F1 of B minus F1 of A, in taxonomy order.
        public var perClassF1Diff: [(label: String, diff: Double)]
        /// Share of the labeled dialogues with no valid value for this field, per side.
        public var failureRateA: Double
        public var failureRateB: Double
    }

    /// A labeled dialogue on which A and B answered differently for a field.
    public struct Disagreement: Sendable, Equatable {
        public var dialogueID: String
        public var field: String
        public var gold: String
        /// nil: no valid reply.
        public var a: String?
        public var b: String?
        public var excerpt: String
    }

    public var a: Side
    public var b: Side
    public var fields: [FieldComparison]
    public var disagreements: [Disagreement]

    /// `pairsA[field]` and `pairsB[field]` are (dialogue, gold, predicted) for every labeled
    /// dialogue; only dialogues present on both sides are paired. `excerpts` gives the text
    /// shown beside a disagreement.
    public init(
        a: Side, b: Side, taxonomy: Taxonomy, pairsA: [String: [(dialogueID: String, gold: String, predicted: String?)]],
        pairsB: [String: [(dialogueID: String, gold: String, predicted: String?)]], excerpts: [String: String]
    ) {
        self.a = a
        self.b = b
        var fields: [FieldComparison] = []
        var disagreements: [Disagreement] = []
        for field in taxonomy.measured {
            let sideB = Dictionary((pairsB[field.name] ?? []).map { ($0.dialogueID, $0) }, uniquingKeysWith: { first, _ in first })
            let aligned = (pairsA[field.name] ?? []).compactMap { pair in sideB[pair.dialogueID].map { (pair, $0) } }
            if aligned.isEmpty { continue }
            let comparison = PairedComparison(correctA: aligned.map { $0.0.gold == $0.0.predicted }, correctB: aligned.map { $0.1.gold == $0.1.predicted })
            let metricsA = a.validation.fields.first { $0.field == field.name }
            let metricsB = b.validation.fields.first { $0.field == field.name }
            let perClass = field.values.map { label in
                (label, (metricsB?.perClass[label]?.f1 ?? 0) - (metricsA?.perClass[label]?.f1 ?? 0))
            }
            fields.append(
                FieldComparison(
                    field: field.name, comparison: comparison, accuracyA: metricsA?.accuracy ?? 0, accuracyB: metricsB?.accuracy ?? 0,
                    macroF1Diff: (metricsB?.macroF1 ?? 0) - (metricsA?.macroF1 ?? 0), perClassF1Diff: perClass,
                    failureRateA: 1 - (metricsA?.coverage ?? 1), failureRateB: 1 - (metricsB?.coverage ?? 1)))
            for (left, right) in aligned where left.predicted != right.predicted {
                disagreements.append(
                    Disagreement(
                        dialogueID: left.dialogueID, field: field.name, gold: left.gold, a: left.predicted, b: right.predicted,
                        excerpt: excerpts[left.dialogueID] ?? ""))
            }
        }
        self.fields = fields
        self.disagreements = disagreements.sorted { ($0.dialogueID, $0.field) < ($1.dialogueID, $1.field) }
    }

    /// Labeled dialogues compared.
    public var n: Int { a.validation.n }
}
