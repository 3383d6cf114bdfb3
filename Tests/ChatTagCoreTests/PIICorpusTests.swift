import Foundation
import Testing

@testable import ChatTagCore

/// Runs the anonymizer over `Tests/Fixtures/pii-corpus.jsonl` (hand-written positives of every PII
/// kind and hard negatives), prints recall per kind and the share of negatives kept, and
/// fails below the recall targets listed below.
@Suite struct PIICorpusTests {
    struct Case: Decodable {
        var id: String
        var kind: String
        var text: String
        var pii: [String]
        var keep: [String]
    }

    static let targets: [String: Double] = [
        "phone": 1, "email": 1, "card": 1, "inn": 1, "snils": 1, "passport": 1, "oms": 1, "account": 1,
        "name": 0.95, "handle": 0.90, "url": 0.90, "birthdate": 0.90, "address": 0.80,
    ]
    static let negativeTarget = 0.95

    static func loadCorpus() throws -> [Case] {
        let text = try String(contentsOf: TestSupport.fixtures.appendingPathComponent("pii-corpus.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }

    @Test func corpusHasAtLeastThreeHundredCasesOfEveryKind() throws {
        let corpus = try Self.loadCorpus()
        #expect(corpus.count >= 300)
        let kinds = Set(corpus.map(\.kind))
        for kind in Self.targets.keys { #expect(kinds.contains(kind), "no \(kind) cases") }
    }

    @Test func recallPerKindAndNegativesKeptMeetTheTargets() throws {
        let corpus = try Self.loadCorpus()
        let anonymizer = TestSupport.anonymizer()
        var found: [String: Int] = [:]
        var total: [String: Int] = [:]
        var kept = 0
        var keepTotal = 0
        var misses: [String] = []
        for item in corpus {
            let masked = anonymizer.mask(item.text)
            for value in item.pii {
                total[item.kind, default: 0] += 1
                if masked.contains(value) {
                    misses.append("missed \(item.kind) \(item.id): «\(value)» in «\(masked)»")
                } else {
                    found[item.kind, default: 0] += 1
                }
            }
            if Self.targets[item.kind] == nil {
                for value in item.keep {
                    keepTotal += 1
                    if masked.contains(value) { kept += 1 } else { misses.append("masked negative \(item.id): «\(value)» in «\(masked)»") }
                }
            }
        }
        var lines = ["PII corpus: \(corpus.count) cases", "kind        found/total  recall  target"]
        var failures: [String] = []
        for kind in Self.targets.keys.sorted() {
            let count = total[kind, default: 0]
            let recall = count == 0 ? 0 : Double(found[kind, default: 0]) / Double(count)
            let target = Self.targets[kind] ?? 1
            lines.append(String(format: "%-11@ %5d/%-5d  %6.1f%%  %5.0f%%", kind as NSString, found[kind, default: 0], count, recall * 100, target * 100))
            if recall < target { failures.append(kind) }
        }
        let keptShare = keepTotal == 0 ? 0 : Double(kept) / Double(keepTotal)
        lines.append(String(format: "negatives kept %d/%d = %.1f%% (target %.0f%%)", kept, keepTotal, keptShare * 100, Self.negativeTarget * 100))
        print(lines.joined(separator: "\n"))
        print(misses.joined(separator: "\n"))
        #expect(failures.isEmpty, "below target: \(failures)")
        #expect(keptShare >= Self.negativeTarget)
    }
}
