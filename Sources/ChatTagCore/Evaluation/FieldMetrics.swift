import Foundation

/// Agreement of predicted values with hand labels for one field: the numbers docs/json.md's
/// validation report holds. A prediction that is missing (the reply failed to parse, or
/// the value is outside the taxonomy) counts as wrong, never as skipped.
public struct FieldMetrics: Sendable, Equatable {
    public struct ClassMetrics: Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
        /// Dialogues of this class the tags got right.
        public var truePositives: Int
        /// Dialogues the tags put in this class (valid replies only).
        public var predicted: Int

        /// Wilson 95% interval of the precision (over `predicted`).
        public var precisionCI: (low: Double, high: Double) { FieldMetrics.wilson(successes: truePositives, trials: predicted) }
        /// Wilson 95% interval of the recall (over `support`).
        public var recallCI: (low: Double, high: Double) { FieldMetrics.wilson(successes: truePositives, trials: support) }

        public static func == (lhs: ClassMetrics, rhs: ClassMetrics) -> Bool {
            (lhs.truePositives, lhs.predicted, lhs.support) == (rhs.truePositives, rhs.predicted, rhs.support)
        }
    }

    public var field: String
    public var labels: [String]
    /// Labeled dialogues compared.
    public var n: Int
    /// Share of them with a valid prediction.
    public var coverage: Double
    public var accuracy: Double
    /// Wilson 95% interval of the accuracy.
    public var accuracyCI: (low: Double, high: Double)
    public var perClass: [String: ClassMetrics]
    /// Unweighted mean F1 over the whole taxonomy (a class never predicted counts with 0).
    public var macroF1: Double
    /// F1 weighted by each class's support.
    public var weightedF1: Double
    /// Cohen's kappa between labels and predictions (missing predictions as their own category).
    public var kappa: Double
    /// `matrix[gold][predicted]`, with a last column for missing predictions.
    public var confusion: [[Int]]
    /// How well the model's confidence matches its accuracy; nil without confidences.
    public var calibration: Calibration?

    public static func == (lhs: FieldMetrics, rhs: FieldMetrics) -> Bool {
        lhs.field == rhs.field && lhs.n == rhs.n && lhs.confusion == rhs.confusion && lhs.accuracy == rhs.accuracy
    }

    /// Computes every figure from (gold, predicted) pairs; `predicted` nil means no valid reply.
    public init(field: String, labels: [String], pairs: [(gold: String, predicted: String?)]) {
        self.field = field
        self.labels = labels
        n = pairs.count
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: labels.count + 1), count: labels.count)
        var correct = 0
        var covered = 0
        for pair in pairs {
            guard let gold = index[pair.gold] else { continue }
            if let predicted = pair.predicted, let column = index[predicted] {
                covered += 1
                matrix[gold][column] += 1
                if column == gold { correct += 1 }
            } else {
                matrix[gold][labels.count] += 1
            }
        }
        confusion = matrix
        coverage = n == 0 ? 0 : Double(covered) / Double(n)
        accuracy = n == 0 ? 0 : Double(correct) / Double(n)
        accuracyCI = Self.wilson(successes: correct, trials: n)
        var perClass: [String: ClassMetrics] = [:]
        var macro = 0.0
        var weighted = 0.0
        for (row, label) in labels.enumerated() {
            let truePositive = matrix[row][row]
            let predicted = (0..<labels.count).reduce(0) { $0 + matrix[$1][row] }
            let support = matrix[row].reduce(0, +)
            let precision = predicted == 0 ? 0 : Double(truePositive) / Double(predicted)
            let recall = support == 0 ? 0 : Double(truePositive) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            perClass[label] = ClassMetrics(precision: precision, recall: recall, f1: f1, support: support, truePositives: truePositive, predicted: predicted)
            macro += f1
            weighted += f1 * Double(support)
        }
        self.perClass = perClass
        macroF1 = labels.isEmpty ? 0 : macro / Double(labels.count)
        weightedF1 = n == 0 ? 0 : weighted / Double(n)
        kappa = Self.cohenKappa(matrix, categories: labels.count + 1)
    }

    /// Wilson score interval at 95% (z = 1.96).
    public static func wilson(successes: Int, trials: Int, z: Double = 1.959964) -> (low: Double, high: Double) {
        guard trials > 0 else { return (0, 0) }
        let n = Double(trials)
        let p = Double(successes) / n
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let margin = z * ((p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()) / denominator
        return (max(0, centre - margin), min(1, centre + margin))
    }

    /// Cohen's kappa of a rater-by-rater matrix (rows: gold, columns: predicted; a trailing
    /// column with no matching row is a category only the second rater used).
    public static func cohenKappa(_ rows: [[Int]], categories: Int) -> Double {
        let total = rows.reduce(0) { $0 + $1.reduce(0, +) }
        guard total > 0 else { return 0 }
        var observed = 0
        for (index, row) in rows.enumerated() where index < row.count { observed += row[index] }
        var expected = 0.0
        for category in 0..<categories {
            let rowTotal = category < rows.count ? rows[category].reduce(0, +) : 0
            let columnTotal = rows.reduce(0) { $0 + (category < $1.count ? $1[category] : 0) }
            expected += Double(rowTotal) * Double(columnTotal)
        }
        let po = Double(observed) / Double(total)
        let pe = expected / Double(total * total)
        return pe >= 1 ? 1 : (po - pe) / (1 - pe)
    }
}
