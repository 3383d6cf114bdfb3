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
        let metrics = FieldMetrics(
            field: "intent", labels: ["a", "b", "c"],
            pairs: [
                ("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("c", nil),
            ])
        #expect(metrics.n == 5)
        #expect(close(metrics.coverage, 0.8))
        #expect(close(metrics.accuracy, 0.6))
        #expect(metrics.confusion == [[1, 1, 0, 0], [0, 2, 0, 0], [0, 0, 0, 1]])
        #expect(metrics.perClass["a"] == .init(precision: 1, recall: 0.5, f1: 2.0 / 3.0, support: 2, truePositives: 1, predicted: 1))
        #expect(close(metrics.perClass["b"]!.precision, 2.0 / 3.0) && metrics.perClass["b"]!.recall == 1)
        #expect(metrics.perClass["c"] == .init(precision: 0, recall: 0, f1: 0, support: 1, truePositives: 0, predicted: 0))
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

@Suite struct LabelingSampleTests {
    @Test func sampleIsStratifiedProportionalAndReproducible() {
        var candidates: [LabelingSample.Candidate] = []
        for index in 0..<300 { candidates.append(.init(dialogueID: "a\(index)", stratum: "whatsapp|2025-W10|booking")) }
        for index in 0..<100 { candidates.append(.init(dialogueID: "b\(index)", stratum: "site|2025-W11|question")) }
        for index in 0..<3 { candidates.append(.init(dialogueID: "c\(index)", stratum: "telegram|2025-W12|complaint")) }
        let chosen = LabelingSample.select(candidates, n: 40, seed: 7)
        #expect(chosen.count == 40)
        #expect(chosen.filter { $0.hasPrefix("a") }.count == 29 || chosen.filter { $0.hasPrefix("a") }.count == 30)
        #expect(chosen.filter { $0.hasPrefix("c") }.count >= 1)
        #expect(LabelingSample.select(candidates, n: 40, seed: 7) == chosen)
        #expect(LabelingSample.select(candidates, n: 40, seed: 8) != chosen)
    }

    @Test func filledSheetsAreReadBackWithSynonymsAndBadValuesNamedByLine() throws {
        let header = "\u{FEFF}dialogue_id,dialogue,intent (booking|question|complaint|other),sentiment (positive|neutral|negative),missed_lead (true|false),annotator,note\r\n"
        let filled = "d1,\"[+0:00] client: a\nb\",Запись,neutral,да,ops-2,\r\nd2,x,,,,,\r\n"
        let good = try HandLabel.parseCSV(header + filled, file: "sheet.csv")
        #expect(good == [HandLabel(dialogueID: "d1", values: ["intent": "booking", "sentiment": "neutral", "missed_lead": "true"], annotator: "ops-2", note: "")])
        #expect {
            try HandLabel.parseCSV(header + filled + "d3,y,purchase,neutral,false,ops-2,\r\n", file: "sheet.csv")
        } throws: { error in
            guard case let ImportError.malformed(file, line, problem, fix) = error else { return false }
            return file == "sheet.csv" && line == 5 && problem.contains("purchase") && problem.contains("booking, question") && fix.contains("Correct every row")
        }
        // Every bad row at once, not only the first.
        #expect {
            try HandLabel.parseCSV(header + filled + "d3,y,purchase,neutral,false,ops-2,\r\nd4,z,booking,angry,false,ops-2,\r\n", file: "sheet.csv")
        } throws: { error in
            guard case let ImportError.malformed(_, line, problem, _) = error else { return false }
            return line == 5 && problem.hasPrefix("2 rows are wrong — line 5: intent is \"purchase\" for d3") && problem.contains("line 6: sentiment is \"angry\" for d4")
        }
        // A sheet nobody filled in is bad input naming the columns to fill, never "0 labels loaded".
        #expect {
            try HandLabel.parseCSV(header + "d1,x,,,,,\r\nd2,y,,,,,\r\n", file: "sheet.csv")
        } throws: { error in
            guard case let ImportError.malformed(_, _, problem, fix) = error else { return false }
            return problem == "nobody filled in the sheet: intent, sentiment, missed_lead are empty in all 2 rows" && fix.hasPrefix("Fill in intent, sentiment, missed_lead")
        }
        #expect {
            try HandLabel.parseJSONL(#"{"dialogue_id":"a","intent":"booking","sentiment":"neutral","missed_lead":1}"# + "\n" + #"{"intent":"booking"}"#, file: "l.jsonl")
        } throws: { error in
            guard case let ImportError.malformed(_, line, problem, _) = error else { return false }
            return line == 1 && problem.contains("line 1: \"missed_lead\" is a number") && problem.contains("line 2: no \"dialogue_id\"")
        }
    }
}
