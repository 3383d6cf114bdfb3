/// Sends a week's missed leads to the CRM: a to-do for the responsible person on the matched
/// deal (or contact), or a new lead when no contact matched. Idempotent and crash-safe:
/// each push is written `pending` with its correlation id before the CRM call and `done`
/// after; a push found `pending` or `failed` is looked up in the CRM by its correlation id
/// before anything is created again. Every push is an audit event in `crm_events`.
public struct CRMPush {
    let gateway: CRMGateway
    let store: CRMStore
    let clock: Clock
    let crm: String

    public init(gateway: CRMGateway, store: CRMStore, clock: Clock = SystemClock(), crm: String = "bitrix24") {
        self.gateway = gateway
        self.store = store
        self.clock = clock
        self.crm = crm
    }

    /// Pushes (or with `dryRun`, plans) every missed lead of `week`, read with `instrument`.
    /// Errors that stop all calls (a refused webhook, overload) are recorded and rethrown;
    /// others fail only their item.
    public func run(week: String, instrument: Instrument, missedLeads: [WeekFigures.MissedLead], dryRun: Bool) async throws -> CRMPushSummary {
        var items: [CRMPushItem] = []
        for lead in missedLeads {
            let correlationID = CRMPushPlan.correlationID(dialogueID: lead.dialogueID, promptHash: instrument.promptHash, model: instrument.model)
            let link = try store.link(dialogueID: lead.dialogueID, crm: crm) ?? store.link(dialogueID: lead.dialogueID, crm: OpenLinesImport.linkSource)
            let content = CRMPushContent(lead: lead, instrument: instrument, correlationID: correlationID)
            let owner = link.flatMap { link in
                link.dealID.map { CRMOwner(kind: .deal, id: $0) } ?? link.contactID.map { CRMOwner(kind: .contact, id: $0) } ?? link.leadID.map { CRMOwner(kind: .lead, id: $0) }
            }
            var item = CRMPushItem(
                dialogueID: lead.dialogueID, correlationID: correlationID, entity: owner == nil ? "lead" : "todo", owner: owner.map { "\($0.kind.rawValue) \($0.id)" },
                entityID: nil, status: "planned", error: nil, title: content.title)
            let existing = try store.push(dialogueID: lead.dialogueID, promptHash: instrument.promptHash, model: instrument.model, crm: crm)
            let plan = CRMPushPlan.decide(existing)
            if case let .skip(_, entityID) = plan {
                item.status = "already"
                item.entityID = entityID
                items.append(item)
                if !dryRun {
                    try store.record(CRMEvent(crm: crm, action: "skip", correlationID: correlationID, dialogueID: lead.dialogueID, status: "done", detail: "pushed before"))
                }
                continue
            }
            if dryRun {
                items.append(item)
                continue
            }
            var record = CRMPushRecord(
                dialogueID: lead.dialogueID, promptHash: instrument.promptHash, model: instrument.model, crm: crm, week: week, correlationID: correlationID,
                entityType: item.entity, status: .pending)
            if plan == .create { try store.savePush(record) }
            do {
                var found: Int?
                if plan == .lookUpThenCreate {
                    if let owner {
                        found = try await gateway.findTodo(on: owner, marker: correlationID)
                    } else {
                        found = try await gateway.findLead(correlationID: correlationID)
                    }
                }
                let id: Int
                if let found {
                    id = found
                    item.status = "found"
                } else if let owner {
                    id = try await gateway.addTodo(
                        CRMTodo(owner: owner, title: content.title, description: content.body, responsibleID: link?.responsibleID, deadline: deadline()))
                    item.status = "created"
                } else {
                    id = try await gateway.addLead(CRMLeadDraft(title: content.title, comments: content.body, correlationID: correlationID))
                    item.status = "created"
                }
                item.entityID = id
                record.entityID = id
                record.status = .done
                try store.savePush(record)
                try store.record(
                    CRMEvent(
                        crm: crm, action: plan == .create ? "push" : "resume", correlationID: correlationID, dialogueID: lead.dialogueID, status: item.status,
                        detail: "\(item.entity) \(id)" + (item.owner.map { " on \($0)" } ?? "")))
            } catch let error as CRMError {
                record.status = .failed
                record.error = error.description
                try store.savePush(record)
                try store.record(
                    CRMEvent(
                        crm: crm, action: plan == .create ? "push" : "resume", correlationID: correlationID, dialogueID: lead.dialogueID, status: "failed",
                        detail: error.description))
                if case .methodFailed = error {
                    item.status = "failed"
                    item.error = error.description
                } else {
                    throw error
                }
            }
            items.append(item)
        }
        return CRMPushSummary(week: week, dryRun: dryRun, items: items)
    }

    /// Tomorrow at this time, UTC, ISO-8601: the to-do's deadline.
    func deadline() -> String {
        ChatTime(unixMillis: clock.nowUnixMillis() + 86_400_000, offsetSeconds: 0).iso8601
    }
}
