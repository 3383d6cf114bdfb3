import Testing

@testable import ChatTagCore

@Suite struct TagExportTests {
    static let row = ExportRow(
        dialogueID: "d-1", intent: "booking", sentiment: nil, missedLead: true, status: "ok", error: nil, promptName: "tagging", promptVersion: "1",
        promptHash: "h", modelRequested: "m", modelVersion: nil, runID: 3, channel: "whatsapp", startedAt: "2026-01-01T10:00:00+03:00",
        staff: "Анна; Ольга", firstResponseS: 75, unanswered: false, outcome: nil)

    @Test func csvHasTheHeaderQuotesTheDelimiterAndLeavesNoneEmpty() throws {
        let text = try TagExport.render([Self.row], format: .csv, delimiter: ";", bom: true)
        let lines = text.components(separatedBy: "\r\n")
        #expect(text.hasPrefix("\u{FEFF}dialogue_id;intent;"))
        #expect(lines[1] == "d-1;booking;;true;ok;;tagging;1;h;m;;3;whatsapp;2026-01-01T10:00:00+03:00;\"Анна; Ольга\";75;false;")
        #expect(lines.count == 3 && lines[2].isEmpty)
    }

    @Test func jsonlWritesNullForWhatIsUnknown() throws {
        let line = try TagExport.render([Self.row], format: .jsonl)
        #expect(line.hasSuffix("}\n"))
        #expect(line.contains("\"sentiment\":null") && line.contains("\"missed_lead\":true") && line.contains("\"first_response_s\":75"))
        #expect(try TagExport.render([], format: .jsonl).isEmpty)
    }
}
