import Foundation
import Testing

@testable import ChatTagCore

/// Every machine output's keys, as its `Encodable` type writes them, are exactly the keys
/// docs/json.md lists for it: a key added to a type without documenting it, or documented
/// without existing, fails here.
@Suite struct JSONKeysTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/json.md")

    /// The documented key paths of each `### id` section of docs/json.md.
    static func documented() throws -> [String: Set<String>] {
        var sections: [String: Set<String>] = [:]
        var current: String?
        for line in try String(contentsOf: docs, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("### ") {
                current = String(line.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                sections[current!] = []
            } else if let current, line.hasPrefix("| `") {
                let key = line.dropFirst(3).prefix { $0 != "`" }
                sections[current]?.insert(String(key))
            }
        }
        return sections
    }

    /// The key paths of encoded JSON: dots for objects, `[]` for arrays of objects, and `*`
    /// for the keys of an object the docs list as a map.
    static func paths(of value: Any, prefix: String, documented: Set<String>, into result: inout Set<String>) {
        func join(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }
        if let object = value as? [String: Any] {
            let isMap = documented.contains { $0.hasPrefix(join("*")) }
            for (key, child) in object {
                let path = join(isMap ? "*" : key)
                result.insert(path)
                paths(of: child, prefix: path, documented: documented, into: &result)
            }
        } else if let array = value as? [Any] {
            for element in array where element is [String: Any] {
                let path = prefix + "[]"
                paths(of: element, prefix: path, documented: documented, into: &result)
            }
        }
    }

    static func encodedPaths<T: Encodable>(_ value: T, documented: Set<String>) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: Data(try JSONOutput.text(value).utf8))
        var result: Set<String> = []
        paths(of: object, prefix: "", documented: documented, into: &result)
        return result
    }

    static func template() throws -> PromptTemplate { try PromptLibrary(directories: []).template("tagging@1") }

    /// One value of each output, with every optional part present.
    static func samples() throws -> [String: any Encodable] {
        let template = try template()
        var summary = RunSummary()
        summary.costUSD = 0.01
        summary.latencyP50Ms = 10
        summary.latencyP95Ms = 20
        summary.modelVersions = ["m-1"]
        var comparison = ComparisonReportTests.report()
        let error = ValidationReport.ValidationError(dialogueID: "d4", field: "intent", gold: "question", predicted: nil, excerpt: "four")
        comparison.a.validation.errors = [error]
        comparison.b.validation.errors = [error]
        var calibrated = comparison.a.validation
        for index in calibrated.fields.indices { calibrated.fields[index].calibration = Calibration([(0.9, true), (0.6, false)]) }
        let validation = calibrated.json
        let chat = FileImportOutcome(
            file: "a.txt", format: "whatsapp", dialogues: 1, new: 1, updated: 0, unchanged: 0, superseded: 0, messages: 2, skipped: 1, fingerprint: "f", seconds: 0.1)
        let outcomes = FileImportOutcome(file: "o.csv", format: "outcomes", updated: 1, unchanged: 0, outcomes: 1, unknown: 1, unknownIDs: ["x"])
        let refused = FileImportOutcome(file: "b.txt", error: "b.txt: line 1: …")
        return [
            "import": ImportOutput(database: "chattag.db", files: [chat, outcomes, refused], failed: 1),
            "run": RunOutput(runID: 1, summary: summary, template: template, model: "m"),
            "prompts-list": [PromptListing(template)],
            "validate": validation,
            "compare": comparison.json,
            "report": try RubricWeekTests.report().json,
            "export-jsonl": ExportRow(
                dialogueID: "d", intent: "booking", sentiment: "neutral", missedLead: false, status: "ok", error: "e", promptName: "tagging",
                promptVersion: "1", promptHash: "h", modelRequested: "m", modelVersion: "m-1", runID: 1, channel: "whatsapp", startedAt: "2026-01-01T10:00:00+03:00",
                staff: "Анна", firstResponseS: 60, unanswered: false, outcome: "booked"),
            "batch-ingest": BatchIngestOutput(tagged: 1, failed: 0),
            "prune": PruneOutput(
                dryRun: true, cutoff: "2026-01-01T03:00:00+03:00", dialogues: 1, messages: 2, textBytes: 3, rawReplies: 4, replyBytes: 5, reports: 6, keptLabeled: 9,
                fileBytesBefore: 7, fileBytesAfter: 8),
            "instrument-show": [
                InstrumentListing(
                    DeclaredInstrument(
                        instrument: Instrument(promptName: "tagging", promptVersion: "1", promptHash: "h", model: "m"), countsFrom: "2026-01-01",
                        declaredAt: "2026-01-01T00:00:00Z"))
            ],
            "demo": DemoOutput(validation: comparison.a.validation.json, database: "chattag-demo.db", report: "r.md", weekReport: "w.html"),
            "crm-outcomes": CRMOutcomeSummary(
                contacts: 120, deals: 61, dialogues: 9, matched: 2, outcomes: ["booked": 1], unmatched: ["no_phone": 6], updated: 2, unchanged: 0),
            "crm-import": OpenLinesImportSummary(sessions: 2, new: 2, updated: 0, unchanged: 0, messages: 5, bound: 2),
            "crm-push": CRMPushSummary(
                week: "2026-W47", dryRun: false,
                items: [
                    CRMPushItem(
                        dialogueID: "d2", correlationID: "chattag-1", entity: "todo", owner: "deal 5077", entityID: 1001, status: "failed", error: "e", title: "t")
                ]),
        ]
    }

    @Test func docsListEveryOutputAndEveryKeyOfIt() throws {
        let documented = try Self.documented()
        let samples = try Self.samples()
        #expect(Set(documented.keys) == Set(samples.keys), "docs/json.md sections vs outputs")
        for (id, sample) in samples.sorted(by: { $0.key < $1.key }) {
            let listed = documented[id] ?? []
            let actual = try Self.encodedPaths(sample, documented: listed)
            #expect(actual.subtracting(listed).sorted() == [], "\(id): keys the output has but docs/json.md does not list")
            #expect(listed.subtracting(actual).sorted() == [], "\(id): keys docs/json.md lists but the output does not have")
        }
    }
}
