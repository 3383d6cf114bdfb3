import Foundation
import Testing

@testable import ChatTagCore

@Suite struct DemoSampleTests {
    @Test func bundledSampleMatchesLabeledSamplesFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("labeled-samples")
        let dialogues = try String(contentsOf: folder.appendingPathComponent("dialogues.jsonl"), encoding: .utf8)
        let labels = try String(contentsOf: folder.appendingPathComponent("labels.jsonl"), encoding: .utf8)
        #expect(DemoSample.dialoguesJSONL == dialogues, "run scripts/embed-resources.py")
        #expect(DemoSample.labelsJSONL == labels, "run scripts/embed-resources.py")
        let rubric = try String(contentsOf: folder.appendingPathComponent("rubric-labels.jsonl"), encoding: .utf8)
        #expect(DemoSample.rubricLabelsJSONL == rubric, "run scripts/embed-resources.py")
        let parsed = try HandLabel.parseJSONL(labels, file: "labels.jsonl")
        #expect(parsed.count == 100)
        #expect(parsed.filter { $0.values["missed_lead"] == "true" }.count >= 25)
    }
}
