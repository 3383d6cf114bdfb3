/// `compare --format json`: the keys listed in docs/json.md under `compare`.
public struct ComparisonJSON: Encodable, Sendable, Equatable {
    public struct UsageJSON: Encodable, Sendable, Equatable {
        public var dialogues: Int
        public var failed: Int
        @NullWhenAbsent public var tokensInPerDialogue: Double?
        @NullWhenAbsent public var tokensOutPerDialogue: Double?
        @NullWhenAbsent public var latencyMsPerDialogue: Double?
        @NullWhenAbsent public var costPerDialogue: Double?

        enum CodingKeys: String, CodingKey {
            case dialogues, failed
            case tokensInPerDialogue = "tokens_in_per_dialogue"
            case tokensOutPerDialogue = "tokens_out_per_dialogue"
            case latencyMsPerDialogue = "latency_ms_per_dialogue"
            case costPerDialogue = "cost_per_dialogue"
        }
    }

    /// One side: its validation report's keys, plus `usage`.
    public struct SideJSON: Encodable, Sendable, Equatable {
        public var validation: ValidationJSON
        public var usage: UsageJSON

        enum CodingKeys: String, CodingKey { case usage }

        public func encode(to encoder: Encoder) throws {
            try validation.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(usage, forKey: .usage)
        }
    }

    public struct FieldJSON: Encodable, Sendable, Equatable {
        public var mcnemarP: Double
        public var diff: Double
        public var diffCI: [Double]
        public var macroF1Diff: Double
        public var perClassF1Diff: [String: Double]
        public var failureRateA: Double
        public var failureRateB: Double
        public var accuracyA: Double
        public var accuracyB: Double
        public var onlyARight: Int
        public var onlyBRight: Int
        public var n: Int
        @NullWhenAbsent public var labelsNeeded: Int?
        public var verdict: String
        /// `a` or `b` at p < 0.05, otherwise null.
        @NullWhenAbsent public var winner: String?

        enum CodingKeys: String, CodingKey {
            case diff, n, verdict, winner
            case mcnemarP = "mcnemar_p"
            case diffCI = "diff_ci"
            case macroF1Diff = "macro_f1_diff"
            case perClassF1Diff = "per_class_f1_diff"
            case failureRateA = "failure_rate_a"
            case failureRateB = "failure_rate_b"
            case accuracyA = "accuracy_a"
            case accuracyB = "accuracy_b"
            case onlyARight = "only_a_right"
            case onlyBRight = "only_b_right"
            case labelsNeeded = "labels_needed"
        }
    }

    public struct DisagreementJSON: Encodable, Sendable, Equatable {
        public var dialogueID: String
        public var field: String
        public var gold: String
        @NullWhenAbsent public var a: String?
        @NullWhenAbsent public var b: String?
        public var excerpt: String

        enum CodingKeys: String, CodingKey {
            case field, gold, a, b, excerpt
            case dialogueID = "dialogue_id"
        }
    }

    public var a: SideJSON
    public var b: SideJSON
    public var n: Int
    public var fields: [String: FieldJSON]
    public var disagreements: [DisagreementJSON]
}

extension ComparisonReport {
    /// The comparison as machine output.
    public var json: ComparisonJSON {
        func usage(_ side: SideUsage) -> ComparisonJSON.UsageJSON {
            .init(
                dialogues: side.dialogues, failed: side.failed, tokensInPerDialogue: side.tokensInPerDialogue, tokensOutPerDialogue: side.tokensOutPerDialogue,
                latencyMsPerDialogue: side.latencyMsPerDialogue, costPerDialogue: side.costPerDialogue)
        }
        var fieldsJSON: [String: ComparisonJSON.FieldJSON] = [:]
        for row in fields {
            let paired = row.comparison
            fieldsJSON[row.field] = .init(
                mcnemarP: paired.mcnemarP, diff: paired.difference, diffCI: [paired.differenceCI.low, paired.differenceCI.high],
                macroF1Diff: row.macroF1Diff, perClassF1Diff: Dictionary(uniqueKeysWithValues: row.perClassF1Diff.map { ($0.label, $0.diff) }),
                failureRateA: row.failureRateA, failureRateB: row.failureRateB, accuracyA: row.accuracyA, accuracyB: row.accuracyB,
                onlyARight: paired.onlyA, onlyBRight: paired.onlyB, n: paired.n, labelsNeeded: paired.labelsNeeded, verdict: paired.verdict,
                winner: paired.mcnemarP < 0.05 ? (paired.difference > 0 ? "b" : "a") : nil)
        }
        return ComparisonJSON(
            a: .init(validation: a.validation.json, usage: usage(a.usage)), b: .init(validation: b.validation.json, usage: usage(b.usage)), n: n,
            fields: fieldsJSON,
            disagreements: disagreements.map { .init(dialogueID: $0.dialogueID, field: $0.field, gold: $0.gold, a: $0.a, b: $0.b, excerpt: $0.excerpt) })
    }
}
