import Synchronization
import Testing

@testable import ChatTagCore

/// A CRM in memory: what was created, and a switch that makes the next creation "crash"
/// after the record exists (the reply never arrives), as a `kill -9` mid-call would.
final class MemoryCRM: CRMGateway {
    struct Contents {
        var todos: [(id: Int, todo: CRMTodo)] = []
        var leads: [(id: Int, lead: CRMLeadDraft)] = []
        var nextID = 100
        var crashAfterCreating = false
        var refuse = false
    }

    struct Crash: Error {}

    let contents = Mutex(Contents())

    func contacts() async throws -> [CRMContact] { [] }
    func deals() async throws -> [CRMDeal] { [] }

    func findTodo(on owner: CRMOwner, marker: String) async throws -> Int? {
        contents.withLock { $0.todos.first { $0.todo.owner == owner && $0.todo.title.contains(marker) }?.id }
    }

    func addTodo(_ todo: CRMTodo) async throws -> Int {
        let (id, crash, refuse) = contents.withLock { box -> (Int, Bool, Bool) in
            if box.refuse { return (0, false, true) }
            box.nextID += 1
            box.todos.append((box.nextID, todo))
            return (box.nextID, box.crashAfterCreating, false)
        }
        if refuse { throw CRMError.refused(webhook: "https://p/rest/1/••••/", method: "crm.activity.todo.add", code: "expired_token", status: 401) }
        if crash { throw Crash() }
        return id
    }

    func findLead(correlationID: String) async throws -> Int? {
        contents.withLock { $0.leads.first { $0.lead.correlationID == correlationID }?.id }
    }

    func addLead(_ lead: CRMLeadDraft) async throws -> Int {
        contents.withLock { box in
            box.nextID += 1
            box.leads.append((box.nextID, lead))
            return box.nextID
        }
    }
}

final class MemoryCRMStore: CRMStore {
    struct Contents {
        var links: [String: CRMLink] = [:]
        var pushes: [String: CRMPushRecord] = [:]
        var events: [CRMEvent] = []
    }

    let contents = Mutex(Contents())

    func crmDialogues() throws -> [CRMDialogue] { [] }
    func saveLinks(_ links: [CRMLink], crm: String, outcomes: [OutcomeRow]) throws -> OutcomeTotals { OutcomeTotals() }
    func addLinks(_ links: [CRMLink]) throws { contents.withLock { for link in links { $0.links[link.dialogueID + link.crm] = link } } }
    func link(dialogueID: String, crm: String) throws -> CRMLink? { contents.withLock { $0.links[dialogueID + crm] } }
    func push(dialogueID: String, promptHash: String, model: String, crm: String) throws -> CRMPushRecord? {
        contents.withLock { $0.pushes[dialogueID + promptHash + model + crm] }
    }
    func savePush(_ record: CRMPushRecord) throws {
        contents.withLock { $0.pushes[record.dialogueID + record.promptHash + record.model + record.crm] = record }
    }
    func record(_ event: CRMEvent) throws { contents.withLock { $0.events.append(event) } }
}

@Suite struct CRMPushTests {
    let instrument = Instrument(promptName: "tagging", promptVersion: "2", promptHash: "h2", model: "m")

    func lead(_ id: String, staff: String? = "Анна") -> WeekFigures.MissedLead {
        WeekFigures.MissedLead(
            dialogueID: id, channel: "whatsapp", startedAt: "2026-11-17T12:00:00+03:00", staff: staff, firstResponseSeconds: 1200,
            excerpt: "Сколько стоит кератин? [PHONE_1]", outcome: nil)
    }

    func setUp() throws -> (MemoryCRM, MemoryCRMStore, CRMPush) {
        let crm = MemoryCRM()
        let store = MemoryCRMStore()
        try store.addLinks([CRMLink(dialogueID: "d2", crm: "bitrix24", contactID: 77, dealID: 5077, responsibleID: 7, stageSemantic: "F")])
        return (crm, store, CRMPush(gateway: crm, store: store, clock: TestClock()))
    }

    @Test func createsATodoOnTheDealOrANewLeadOnceEach() async throws {
        let (crm, store, push) = try setUp()
        let first = try await push.run(week: "2026-W47", instrument: instrument, missedLeads: [lead("d2"), lead("d4", staff: nil)], dryRun: false)
        #expect(first.items.map(\.status) == ["created", "created"])
        let todo = try #require(crm.contents.withLock { $0.todos.first?.todo })
        #expect(todo.owner == CRMOwner(kind: .deal, id: 5077) && todo.responsibleID == 7)
        #expect(todo.title.contains(first.items[0].correlationID) && todo.description.contains("Сотрудник: Анна"))
        #expect(crm.contents.withLock { $0.leads.first?.lead.comments.contains("никто не ответил") } == true)
        let second = try await push.run(week: "2026-W47", instrument: instrument, missedLeads: [lead("d2"), lead("d4", staff: nil)], dryRun: false)
        #expect(second.items.map(\.status) == ["already", "already"])
        #expect(crm.contents.withLock { ($0.todos.count, $0.leads.count) } == (1, 1))
        #expect(store.contents.withLock { $0.events.map(\.action) } == ["push", "push", "skip", "skip"])
    }

    @Test func aDryRunWritesNothing() async throws {
        let (crm, store, push) = try setUp()
        let planned = try await push.run(week: "2026-W47", instrument: instrument, missedLeads: [lead("d2")], dryRun: true)
        #expect(planned.items.map(\.status) == ["planned"] && planned.items[0].owner == "deal 5077")
        #expect(crm.contents.withLock { $0.todos.isEmpty } && store.contents.withLock { $0.pushes.isEmpty })
    }

    @Test func aPushCutShortAfterTheCRMCreatedTheRecordIsFoundNotMadeAgain() async throws {
        let (crm, store, push) = try setUp()
        crm.contents.withLock { $0.crashAfterCreating = true }
        await #expect(throws: MemoryCRM.Crash.self) {
            _ = try await push.run(week: "2026-W47", instrument: instrument, missedLeads: [lead("d2")], dryRun: false)
        }
        #expect(store.contents.withLock { $0.pushes.values.map(\.status) } == [.pending])
        crm.contents.withLock { $0.crashAfterCreating = false }
        let resumed = try await push.run(week: "2026-W47", instrument: instrument, missedLeads: [lead("d2")], dryRun: false)
        #expect(resumed.items.map(\.status) == ["found"])
        #expect(crm.contents.withLock { $0.todos.count } == 1)
        #expect(store.contents.withLock { $0.pushes.values.map(\.status) } == [.done])
    }

    @Test func aRefusalIsRecordedThenStopsThePush() async throws {
        let (crm, store, push) = try setUp()
        crm.contents.withLock { $0.refuse = true }
        await #expect(throws: CRMError.self) {
            _ = try await push.run(week: "2026-W47", instrument: instrument, missedLeads: [lead("d2"), lead("d4")], dryRun: false)
        }
        #expect(store.contents.withLock { $0.pushes.values.map(\.status) } == [.failed])
        #expect(store.contents.withLock { $0.events.map(\.status) } == ["failed"])
        #expect(crm.contents.withLock { $0.leads.isEmpty })
    }
}
