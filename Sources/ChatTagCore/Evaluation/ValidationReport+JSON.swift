/// `validate --format json`: the keys listed in docs/json.md under `validate`.
public struct ValidationJSON: Encodable, Sendable, Equatable {
    public struct ClassJSON: Encodable, Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public struct ConfusionJSON: Encodable, Sendable, Equatable {
        /// The taxonomy's values, then `no_reply`.
        public var labels: [String]
        /// Rows: gold label; columns: prediction (last: no valid reply).
        public var matrix: [[Int]]
    }

    public struct FieldJSON: Encodable, Sendable, Equatable {
        public var n: Int
        public var excludedTies: Int
        public var coverage: Double
        public var accuracy: Double
        public var accuracyCI: [Double]
        public var macroF1: Double
        public var weightedF1: Double
        public var kappa: Double
        public var perClass: [String: ClassJSON]
        public var confusion: ConfusionJSON
        /// Null when the tags carry no confidence.
        @NullWhenAbsent public var calibration: CalibrationJSON?

        enum CodingKeys: String, CodingKey {
            case n, coverage, accuracy, kappa, confusion, calibration
            case accuracyCI = "accuracy_ci"
            case macroF1 = "macro_f1"
            case weightedF1 = "weighted_f1"
            case perClass = "per_class"
            case excludedTies = "excluded_ties"
        }
    }

    public struct ErrorJSON: Encodable, Sendable, Equatable {
        public var dialogueID: String
        public var field: String
        public var gold: String
        @NullWhenAbsent public var predicted: String?
        public var excerpt: String

        enum CodingKeys: String, CodingKey {
            case field, gold, predicted, excerpt
            case dialogueID = "dialogue_id"
        }
    }

    public var prompt: PromptIdentity
    public var model: String
    public var n: Int
    /// Mean tokens per labeled dialogue's tag; null when unknown.
    @NullWhenAbsent public var tokensInPerDialogue: Double?
    @NullWhenAbsent public var tokensOutPerDialogue: Double?
    public var fields: [String: FieldJSON]
    public var errors: [ErrorJSON]

    enum CodingKeys: String, CodingKey {
        case prompt, model, n, fields, errors
        case tokensInPerDialogue = "tokens_in_per_dialogue"
        case tokensOutPerDialogue = "tokens_out_per_dialogue"
    }
}

extension ValidationReport {
    /// The report as machine output.
    public var json: ValidationJSON {
        var fieldsJSON: [String: ValidationJSON.FieldJSON] = [:]
        for metrics in fields {
            fieldsJSON[metrics.field] = ValidationJSON.FieldJSON(
                n: metrics.n, excludedTies: excludedTies[metrics.field] ?? 0, coverage: metrics.coverage, accuracy: metrics.accuracy,
                accuracyCI: [metrics.accuracyCI.low, metrics.accuracyCI.high],
                macroF1: metrics.macroF1, weightedF1: metrics.weightedF1, kappa: metrics.kappa,
                perClass: metrics.perClass.mapValues { .init(precision: $0.precision, recall: $0.recall, f1: $0.f1, support: $0.support) },
                confusion: .init(labels: metrics.labels + ["no_reply"], matrix: metrics.confusion), calibration: metrics.calibration.map(CalibrationJSON.init))
        }
        return ValidationJSON(
            prompt: PromptIdentity(name: promptName, version: promptVersion, hash: promptHash), model: model, n: n,
            tokensInPerDialogue: JSONOutput.rounded(tokensPerDialogue?.input), tokensOutPerDialogue: JSONOutput.rounded(tokensPerDialogue?.output), fields: fieldsJSON,
            errors: errors.map { .init(dialogueID: $0.dialogueID, field: $0.field, gold: $0.gold, predicted: $0.predicted, excerpt: $0.excerpt) })
    }
}
