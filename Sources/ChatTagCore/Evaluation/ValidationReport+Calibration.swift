import Foundation

extension ValidationReport {
    /// One line per field with confidences: the expected calibration error and the accuracy
    /// of the surest 80%, 90% and 100%; or a plain sentence when there are none.
    func calibrationLines(_ w: Wording) -> [String] {
        let calibrated = fields.compactMap { metrics in metrics.calibration.map { (metrics.field, $0) } }
        guard !calibrated.isEmpty else {
            return [
                w.t(
                    "Уверенности нет: теги сделаны без log-probabilities (run --logprobs, если сервер их даёт).",
                    "No confidence: the tags were made without log-probabilities (run --logprobs where the server gives them).")
            ]
        }
        return calibrated.map { field, calibration in
            let coverage = calibration.coverage.map { "\(w.t("при покрытии", "at")) \(w.percent($0.share)): \(w.decimal($0.accuracy))" }.joined(separator: ", ")
            return "\(field): ECE \(w.decimal(calibration.expectedCalibrationError, digits: 3)); \(w.t("доля верных", "accuracy")) \(coverage) (n = \(calibration.n))"
        }
    }

    /// The reliability diagram of one field: accuracy against mean confidence per bucket, with the diagonal.
    func reliabilitySVG(_ field: String, _ calibration: Calibration, _ w: Wording) -> String {
        let h = ReportText.html
        let size = 200.0, pad = 28.0
        func x(_ value: Double) -> Double { pad + value * size }
        func y(_ value: Double) -> Double { pad + (1 - value) * size }
        var out =
            "<svg viewBox=\"0 0 \(Int(size + 2 * pad)) \(Int(size + 2 * pad))\" width=\"\(Int(size + 2 * pad))\" height=\"\(Int(size + 2 * pad))\" role=\"img\" aria-label=\"\(h(field))\">"
        out += "<rect x=\"\(pad)\" y=\"\(pad)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#ccc\"/>"
        out += "<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\" stroke=\"#aaa\" stroke-dasharray=\"4 3\"/>"
        for bucket in calibration.buckets {
            let width = (bucket.high - bucket.low) * size
            out +=
                "<rect x=\"\(x(bucket.low) + 1)\" y=\"\(y(bucket.accuracy))\" width=\"\(max(1, width - 2))\" height=\"\(bucket.accuracy * size)\" fill=\"#4c78a8\" fill-opacity=\"0.75\">"
            out +=
                "<title>\(h(w.decimal(bucket.low, digits: 1)))–\(h(w.decimal(bucket.high, digits: 1))): \(h(w.t("доля верных", "accuracy"))) \(h(w.decimal(bucket.accuracy))), n = \(bucket.n)</title></rect>"
        }
        out += "<text x=\"\(x(0.5))\" y=\"\(size + 2 * pad - 6)\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">\(h(w.t("уверенность", "confidence")))</text>"
        out +=
            "<text x=\"10\" y=\"\(y(0.5))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\" transform=\"rotate(-90 10 \(y(0.5)))\">\(h(w.t("доля верных", "accuracy")))</text>"
        let ece = "ECE \(w.decimal(calibration.expectedCalibrationError, digits: 3))"
        return "<div><h3>\(h(field)) · \(h(ece))</h3>" + out + "</svg></div>"
    }
}

/// One field's calibration in `validate --json` (`fields.*.calibration`).
public struct CalibrationJSON: Encodable, Sendable, Equatable {
    public struct BucketJSON: Encodable, Sendable, Equatable {
        public var low: Double
        public var high: Double
        public var n: Int
        public var accuracy: Double
        public var meanConfidence: Double

        enum CodingKeys: String, CodingKey {
            case low, high, n, accuracy
            case meanConfidence = "mean_confidence"
        }
    }

    public struct CoverageJSON: Encodable, Sendable, Equatable {
        public var share: Double
        public var n: Int
        public var accuracy: Double
    }

    public var n: Int
    public var ece: Double
    public var buckets: [BucketJSON]
    public var coverage: [CoverageJSON]

    init(_ calibration: Calibration) {
        let value = { (number: Double) in JSONOutput.rounded(number) ?? number }
        n = calibration.n
        ece = value(calibration.expectedCalibrationError)
        buckets = calibration.buckets.map { .init(low: value($0.low), high: value($0.high), n: $0.n, accuracy: value($0.accuracy), meanConfidence: value($0.meanConfidence)) }
        coverage = calibration.coverage.map { .init(share: $0.share, n: $0.n, accuracy: value($0.accuracy)) }
    }
}
