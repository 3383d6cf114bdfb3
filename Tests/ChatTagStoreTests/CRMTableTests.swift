import Foundation
import Testing

@testable import ChatTagCore
@testable import ChatTagStore

/// The CRM tables on a real SQLite file: keyed phones follow a dialogue's content, links are
/// replaced per CRM, pushes are one row per dialogue, prompt hash, model and CRM.
@Suite final class CRMTableTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chattag-crm-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func dialogue(_ id: String, text: String, phoneKeys: [String]) -> Dialogue {
        var dialogue = Dialogue(
            id: id, source: "jsonl:test.jsonl", channel: "whatsapp",
            messages: [Message(at: ChatTime(unixMillis: 1_763_366_400_000, offsetSeconds: 10_800), role: .client, author: "c-1", text: text)])
        dialogue.phoneKeys = phoneKeys
        return dialogue
    }

    func write(_ store: ChatTagStore, _ dialogues: [Dialogue]) throws {
        _ = try store.importFile(name: "test.jsonl", zone: nil) { write in
            for dialogue in dialogues { try write(dialogue) }
            return FileImportReport(file: "test.jsonl", format: .jsonl, dialogues: dialogues.count)
        }
    }

    @Test func keyedPhonesFollowTheDialoguesContent() throws {
        let store = try ChatTagStore(path: directory + "/c.db")
        try write(store, [dialogue("a", text: "[PHONE_1]", phoneKeys: ["p-1", "p-2"]), dialogue("b", text: "нет", phoneKeys: [])])
        #expect(try store.crmDialogues().map(\.phoneKeys) == [["p-1", "p-2"], []])
        try write(store, [dialogue("a", text: "[PHONE_1] ещё", phoneKeys: ["p-3"])])
        #expect(try store.crmDialogues().first?.phoneKeys == ["p-3"])
        try write(store, [dialogue("a", text: "[PHONE_1] ещё", phoneKeys: ["p-3"])])
        #expect(try store.crmDialogues().first?.phoneKeys == ["p-3"])
    }

    @Test func linksAreReplacedPerCRMAndSessionBindingsKept() throws {
        let store = try ChatTagStore(path: directory + "/l.db")
        try write(store, [dialogue("a", text: "x", phoneKeys: []), dialogue("b", text: "y", phoneKeys: [])])
        try store.addLinks([CRMLink(dialogueID: "b", crm: OpenLinesImport.linkSource, contactID: nil, dealID: nil, leadID: 44, responsibleID: nil, stageSemantic: nil)])
        let first = CRMLink(dialogueID: "a", crm: "bitrix24", contactID: 1, dealID: 10, responsibleID: 7, stageSemantic: "S")
        let totals = try store.saveLinks([first], crm: "bitrix24", outcomes: [OutcomeRow(dialogueID: "a", outcome: .booked, line: 0)])
        #expect(totals.updated == 1)
        #expect(try store.link(dialogueID: "a", crm: "bitrix24") == first)
        _ = try store.saveLinks([], crm: "bitrix24", outcomes: [])
        #expect(try store.link(dialogueID: "a", crm: "bitrix24") == nil)
        #expect(try store.link(dialogueID: "b", crm: OpenLinesImport.linkSource)?.leadID == 44)
        #expect(try store.crmDialogues().map(\.binding) == [nil, CRMOwner(kind: .lead, id: 44)])
    }

    @Test func aPushIsOneRowFromPendingToDone() throws {
        let store = try ChatTagStore(path: directory + "/p.db")
        var record = CRMPushRecord(
            dialogueID: "a", promptHash: "h", model: "m", crm: "bitrix24", week: "2026-W47", correlationID: "chattag-1", entityType: "todo", status: .pending)
        try store.savePush(record)
        #expect(try store.push(dialogueID: "a", promptHash: "h", model: "m", crm: "bitrix24")?.status == .pending)
        record.status = .done
        record.entityID = 1001
        try store.savePush(record)
        #expect(try store.push(dialogueID: "a", promptHash: "h", model: "m", crm: "bitrix24") == record)
        #expect(try store.database.rows("SELECT COUNT(*) AS n FROM crm_pushes").first?["n"]?.integer == 1)
        #expect(try store.push(dialogueID: "a", promptHash: "other", model: "m", crm: "bitrix24") == nil)
        try store.record(CRMEvent(crm: "bitrix24", action: "push", correlationID: "chattag-1", dialogueID: "a", status: "created", detail: "todo 1001"))
        #expect(try store.database.rows("SELECT correlation_id FROM crm_events").first?["correlation_id"]?.text == "chattag-1")
    }
}
