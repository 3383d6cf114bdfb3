import Testing

@testable import ChatTagCore

@Suite struct AnswerSpreadTests {
    static func answers(_ count: Int, missedTrue: Int) -> [TagValues] {
        (0..<count).map { index in
            ["intent": ["booking", "question", "complaint", "other"][index % 4], "sentiment": "neutral", "missed_lead": index < missedTrue ? "true" : "false"]
        }
    }

    @Test func aFieldAnsweredTheSameInNinetyPercentOfFiftyIsCalledOut() {
        var spread = AnswerSpread()
        for values in Self.answers(50, missedTrue: 4) { spread.add(values) }  // false in 46 of 50 = 92%; sentiment neutral in all 50
        let warnings = spread.warnings(taxonomy: .default)
        #expect(warnings.count == 2)
        #expect(warnings[0].hasPrefix("the model answers almost the same for every dialogue: sentiment is neutral in 50 of 50 (neutral 100%)"))
        #expect(warnings[1].contains("missed_lead is false in 46 of 50 (false 92%, true 8%)") && warnings[1].contains("may be too small for this template"))
        #expect(spread.warnings(taxonomy: .default, Wording(.ru))[1].hasPrefix("модель отвечает почти одно и то же на каждый диалог: missed_lead = false в 46 из 50"))
    }

    @Test func tooFewAnswersOrAVariedFieldSayNothing() {
        var few = AnswerSpread()
        for values in Self.answers(49, missedTrue: 0) { few.add(values) }
        #expect(few.warnings(taxonomy: .default).isEmpty)
        var varied = AnswerSpread()
        for (index, var values) in Self.answers(60, missedTrue: 30).enumerated() {
            values["sentiment"] = index % 3 == 0 ? "negative" : "neutral"
            varied.add(values)
        }
        #expect(varied.warnings(taxonomy: .default).isEmpty)
    }

    @Test func aRunEndsWithTheWarningAndValidateShowsIt() {
        var tally = RunTally(model: "m", options: TaggingOptions())
        for (index, values) in Self.answers(60, missedTrue: 0).enumerated() {
            tally.absorb(
                TagResult(
                    dialogueID: "d\(index)", contentHash: "h", values: values, error: nil, modelVersion: "m-1", systemFingerprint: nil, tokensIn: 1, tokensOut: 1,
                    latencyMs: 1, truncated: false, calls: []))
        }
        #expect(tally.warnings(previous: nil).contains { $0.contains("missed_lead is false in 60 of 60") })
        let pairs = (0..<60).map { index in (gold: index % 2 == 0 ? "true" : "false", predicted: Optional("false")) }
        let report = ValidationReport(
            promptName: "tagging", promptVersion: "1", promptHash: "h", model: "m", fields: [FieldMetrics(field: "missed_lead", labels: ["true", "false"], pairs: pairs)])
        #expect(report.table(.en).contains("⚠ the model answers almost the same for every dialogue: missed_lead is false in 60 of 60"))
        #expect(report.html().contains("модель отвечает почти одно и то же"))
    }
}
