import Foundation
import Testing

@testable import ChatTagCore

/// A four-dialogue A/B worked out by hand.
@Suite struct ComparisonReportTests {
    static let taxonomy = Taxonomy(fields: [TaxonomyField(name: "intent", values: ["booking", "question"])])
    static let gold = [("d1", "booking"), ("d2", "booking"), ("d3", "question"), ("d4", "question")]

    static func side(_ name: String, _ predicted: [String?]) -> (ComparisonReport.Side, [(dialogueID: String, gold: String, predicted: String?)]) {
        let pairs = zip(gold, predicted).map { (dialogueID: $0.0, gold: $0.1, predicted: $1) }
        let metrics = FieldMetrics(field: "intent", labels: ["booking", "question"], pairs: pairs.map { ($0.gold, $0.predicted) })
        let validation = ValidationReport(promptName: "tagging", promptVersion: name, promptHash: name + "hash", model: "m", fields: [metrics])
        let usage = SideUsage(
            dialogues: 4, failed: predicted.filter { $0 == nil }.count, tokensInPerDialogue: 900, tokensOutPerDialogue: 20,
            latencyMsPerDialogue: 350, costPerDialogue: 0.000_392)
        return (.init(validation: validation, usage: usage), pairs)
    }

    static func report() -> ComparisonReport {
        let (a, pairsA) = side("1", ["booking", "question", "question", nil])
        let (b, pairsB) = side("2", ["booking", "booking", "booking", "question"])
        return ComparisonReport(
            a: a, b: b, taxonomy: taxonomy, pairsA: ["intent": pairsA], pairsB: ["intent": pairsB],
            excerpts: ["d1": "one", "d2": "two", "d3": "three", "d4": "four"])
    }

    @Test func perClassF1DifferencesFailureRatesAndPairedCountsMatchTheHandFigures() throws {
        let row = try #require(Self.report().fields.first)
        #expect(row.accuracyA == 0.5 && row.accuracyB == 0.75)
        // A: booking P 1, R 1/2 → F1 2/3; question P 1/2, R 1/2 → 1/2. B: booking P 2/3, R 1 → 4/5; question P 1, R 1/2 → 2/3.
        #expect(row.perClassF1Diff.map(\.label) == ["booking", "question"])
        #expect(abs(row.perClassF1Diff[0].diff - (0.8 - 2.0 / 3.0)) < 1e-9)
        #expect(abs(row.perClassF1Diff[1].diff - (2.0 / 3.0 - 0.5)) < 1e-9)
        #expect(abs(row.macroF1Diff - 0.15) < 1e-9)
        #expect(row.failureRateA == 0.25 && row.failureRateB == 0)
        #expect(row.comparison.onlyA == 1 && row.comparison.onlyB == 2)
        #expect(row.comparison.mcnemarP == 1)
        #expect(row.comparison.verdict.hasPrefix("no significant difference"))
    }

    @Test func disagreementsListEveryDialogueWhereTheSidesDiffer() {
        let items = Self.report().disagreements
        #expect(items.map(\.dialogueID) == ["d2", "d3", "d4"])
        #expect(items[2] == .init(dialogueID: "d4", field: "intent", gold: "question", a: nil, b: "question", excerpt: "four"))
    }

    @Test func everyFormatCarriesTheFigures() throws {
        let report = Self.report()
        let json = jsonDictionary(report.json)
        let intent = try #require((json["fields"] as? [String: Any])?["intent"] as? [String: Any])
        #expect(intent["failure_rate_a"] as? Double == 0.25)
        #expect(intent["winner"] is NSNull)
        #expect(((json["a"] as? [String: Any])?["usage"] as? [String: Any])?["latency_ms_per_dialogue"] as? Double == 350)
        #expect((json["disagreements"] as? [[String: Any]])?.count == 3)
        #expect(report.table(.en).contains("A and B disagree on 3 field values:"))
        #expect(report.markdown(.en).contains("| cost per 1,000 dialogues | $0.39 | $0.39 |"))
        #expect(report.markdown(.en).contains("| intent | booking | 0.67 | 0.80 | +0.13 |"))
        #expect(report.table().contains("A и B расходятся в 3 значениях:"))
        #expect(report.markdown().contains("| стоимость 1000 диалогов | $0,39 | $0,39 |"))
        #expect(report.markdown().contains("| intent | booking | 0,67 | 0,80 | +0,13 |"))
        let html = report.html()
        #expect(html.hasPrefix("<!doctype html>") && html.contains("<svg") && !html.contains("<script") && !html.contains("http"))
        // B − A is drawn against zero; each side's disagreement cell says whether it matched the label.
        #expect(html.contains("B − A: разница в доле верных") && html.contains("stroke=\"#888\" stroke-width=\"1.5\""))
        #expect(html.contains("class=\"t hit\"") && html.contains("class=\"t miss\""))
    }
}
