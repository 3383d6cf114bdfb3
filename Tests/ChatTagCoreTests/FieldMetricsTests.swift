import Testing
@testable import ChatTagCore

/// Metrics against values worked out by hand and textbook examples.
@Suite struct FieldMetricsTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-4) -> Bool { abs(a - b) < tolerance }

    @Test func wilsonIntervalMatchesTheTextbook() {
        let five = FieldMetrics.wilson(successes: 5, trials: 10)
        #expect(close(five.low, 0.2366) && close(five.high, 0.7634))
        let all = FieldMetrics.wilson(successes: 10, trials: 10)
        #expect(close(all.low, 0.7225) && close(all.high, 1))
        let none = FieldMetrics.wilson(successes: 0, trials: 10)
        #expect(close(none.low, 0) && close(none.high, 0.2775))
    }

    @Test func cohensKappaMatchesTheTextbookExample() {
        #expect(close(FieldMetrics.cohenKappa([[20, 5], [10, 15]], categories: 2), 0.4))
        #expect(close(FieldMetrics.cohenKappa([[10, 0], [0, 10]], categories: 2), 1))
    }

    @Test func perClassFiguresCountUnparsedRepliesAsWrongAndNeverPredictedClassesAsZero() {
        let metrics = FieldMetrics(field: "intent", labels: ["a", "b", "c"], pairs: [
            ("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("c", nil),
        ])
        #expect(metrics.n == 5)
        #expect(close(metrics.coverage, 0.8))
        #expect(close(metrics.accuracy, 0.6))
        #expect(metrics.confusion == [[1, 1, 0, 0], [0, 2, 0, 0], [0, 0, 0, 1]])
        #expect(metrics.perClass["a"] == .init(precision: 1, recall: 0.5, f1: 2.0 / 3.0, support: 2))
        #expect(close(metrics.perClass["b"]!.precision, 2.0 / 3.0) && metrics.perClass["b"]!.recall == 1)
        #expect(metrics.perClass["c"] == .init(precision: 0, recall: 0, f1: 0, support: 1))
        #expect(close(metrics.macroF1, (2.0 / 3.0 + 0.8 + 0) / 3))
        #expect(close(metrics.weightedF1, (2.0 / 3.0 * 2 + 0.8 * 2) / 5))
    }

    @Test func allRightAndAllWrong() {
        let right = FieldMetrics(field: "f", labels: ["x", "y"], pairs: [("x", "x"), ("y", "y")])
        #expect(right.accuracy == 1 && right.macroF1 == 1 && close(right.kappa, 1))
        let wrong = FieldMetrics(field: "f", labels: ["x", "y"], pairs: [("x", "y"), ("y", "x")])
        #expect(wrong.accuracy == 0 && wrong.macroF1 == 0 && wrong.kappa < 0)
        let empty = FieldMetrics(field: "f", labels: ["x"], pairs: [])
        #expect(empty.n == 0 && empty.accuracy == 0 && empty.accuracyCI.low == 0)
    }
}
