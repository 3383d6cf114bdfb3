/// `crm bitrix24 outcomes --json`: what matching found (keys in docs/json.md).
public struct CRMOutcomeSummary: Encodable, Sendable, Equatable {
    public var contacts: Int
    public var deals: Int
    public var dialogues: Int
    public var matched: Int
    /// Matched dialogues by outcome (`booked`, `not_booked`, `unknown`).
    public var outcomes: [String: Int]
    /// Dialogues without an outcome by reason (`no_phone`, `no_contact`, `no_deal`).
    public var unmatched: [String: Int]
    /// Dialogues whose stored outcome changed, and those already as the CRM says.
    public var updated: Int
    public var unchanged: Int

    /// Lines for people.
    public var summary: String {
        func count(_ key: String) -> Int { unmatched[key] ?? 0 }
        return """
            \(matched) of \(dialogues) dialogues matched a deal (\(outcomes["booked"] ?? 0) booked, \(outcomes["not_booked"] ?? 0) not booked, \(outcomes["unknown"] ?? 0) in progress); \(updated) outcomes changed
            not matched: \(count("no_phone")) without a phone in the dialogue, \(count("no_contact")) with no contact having that phone, \(count("no_deal")) with a contact that has no deals
            read from the CRM: \(contacts) contacts, \(deals) deals
            """
    }
}

/// Pulls deal outcomes from the CRM: contacts and deals are read, contact phones keyed in
/// memory and compared with the keyed phones of stored dialogues; each matched dialogue
/// gets its deal's outcome (as an outcome sheet would set it) and a link to the contact and
/// deal. Only keyed phones and CRM ids are stored.
public struct CRMOutcomes {
    let gateway: CRMGateway
    let store: CRMStore
    let pseudonyms: Pseudonymizer
    let crm: String

    public init(gateway: CRMGateway, store: CRMStore, pseudonyms: Pseudonymizer, crm: String = "bitrix24") {
        self.gateway = gateway
        self.store = store
        self.pseudonyms = pseudonyms
        self.crm = crm
    }

    public func run() async throws -> CRMOutcomeSummary {
        let contacts = try await gateway.contacts()
        let deals = try await gateway.deals()
        let matcher = CRMMatcher(crm: crm, contacts: contacts, deals: deals, pseudonyms: pseudonyms)
        let dialogues = try store.crmDialogues()
        var links: [CRMLink] = []
        var rows: [OutcomeRow] = []
        var outcomes: [String: Int] = [:]
        var unmatched: [String: Int] = [:]
        for miss in CRMMatcher.Miss.allCases { unmatched[miss.rawValue] = 0 }
        for dialogue in dialogues {
            switch matcher.match(dialogue) {
            case let .matched(link, outcome):
                links.append(link)
                rows.append(OutcomeRow(dialogueID: dialogue.id, outcome: outcome, line: 0))
                outcomes[outcome.rawValue, default: 0] += 1
            case let .contactOnly(link):
                links.append(link)
                unmatched[CRMMatcher.Miss.noDeal.rawValue, default: 0] += 1
            case let .missed(miss):
                unmatched[miss.rawValue, default: 0] += 1
            }
        }
        let totals = try store.saveLinks(links, crm: crm, outcomes: rows)
        try store.record(
            CRMEvent(crm: crm, action: "outcomes", correlationID: nil, dialogueID: nil, status: "done", detail: "\(rows.count) of \(dialogues.count) matched"))
        return CRMOutcomeSummary(
            contacts: contacts.count, deals: deals.count, dialogues: dialogues.count, matched: rows.count, outcomes: outcomes, unmatched: unmatched,
            updated: totals.updated, unchanged: totals.unchanged)
    }
}
