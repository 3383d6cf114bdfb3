/// Whether a model's confidence means what it says, for one field on the hand labels: the
/// reliability diagram's buckets, the expected calibration error, and the accuracy when only
/// the surest 80%, 90% or 100% of the tags are kept (the rest go to review).
public struct Calibration: Sendable, Equatable {
    /// Tags whose confidence falls in `low..<high` (the last bucket includes 1).
    public struct Bucket: Sendable, Equatable {
        public var low: Double
        public var high: Double
        public var n: Int
        public var accuracy: Double
        public var meanConfidence: Double
    }

    /// Accuracy over the surest `share` of the tags.
    public struct Coverage: Sendable, Equatable {
        public var share: Double
        public var n: Int
        public var accuracy: Double
    }

    public var n: Int
    public var buckets: [Bucket]
    /// Σ over buckets of n_b / n × |accuracy_b − mean confidence_b| (10 equal buckets).
    public var expectedCalibrationError: Double
    public var coverage: [Coverage]

    /// From (confidence, right) per tag with a confidence; nil when none has one.
    public init?(_ scored: [(confidence: Double, correct: Bool)], bucketCount: Int = 10) {
        guard !scored.isEmpty else { return nil }
        n = scored.count
        var buckets: [Bucket] = []
        var ece = 0.0
        for index in 0..<bucketCount {
            let low = Double(index) / Double(bucketCount), high = Double(index + 1) / Double(bucketCount)
            let inside = scored.filter { $0.confidence >= low && ($0.confidence < high || (index == bucketCount - 1 && $0.confidence <= high)) }
            guard !inside.isEmpty else { continue }
            let accuracy = Double(inside.filter(\.correct).count) / Double(inside.count)
            let mean = inside.map(\.confidence).reduce(0, +) / Double(inside.count)
            buckets.append(Bucket(low: low, high: high, n: inside.count, accuracy: accuracy, meanConfidence: mean))
            ece += Double(inside.count) / Double(scored.count) * abs(accuracy - mean)
        }
        self.buckets = buckets
        expectedCalibrationError = ece
        let sorted = scored.sorted { $0.confidence > $1.confidence }
        coverage = [0.8, 0.9, 1.0].map { share in
            let kept = max(1, Int((Double(sorted.count) * share).rounded()))
            let slice = sorted.prefix(kept)
            return Coverage(share: share, n: kept, accuracy: Double(slice.filter(\.correct).count) / Double(kept))
        }
    }
}
