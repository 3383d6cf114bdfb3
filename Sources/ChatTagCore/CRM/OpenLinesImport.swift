/// `crm bitrix24 import --json` (keys in docs/json.md).
public struct OpenLinesImportSummary: Encodable, Sendable, Equatable {
    public var sessions: Int
    public var new: Int
    public var updated: Int
    public var unchanged: Int
    public var messages: Int
    /// Sessions bound to a lead, deal or contact, kept as the dialogue's CRM link.
    public var bound: Int

    public var summary: String {
        "Bitrix24 Open Lines: \(sessions) sessions (\(new) new, \(updated) updated, \(unchanged) unchanged), \(messages) messages, \(bound) bound to a CRM record"
    }
}

/// Imports Bitrix24 Open Lines sessions as dialogues, through the same door as every
/// export: each session becomes a ``RawDialogue`` (operators are staff, bots are bots, the
/// external user is the client) and is anonymized by the ``Anonymizer`` before it is
/// stored, in one transaction. A session's id makes its dialogue's id, so a re-import
/// changes nothing; its CRM binding becomes the dialogue's link for `outcomes` and `push`.
public struct OpenLinesImport {
    /// The `crm_links.crm` of session bindings.
    public static let linkSource = "bitrix24:openlines"

    let gateway: OpenLinesGateway
    let store: DialogueStore & CRMStore
    let names: NameDictionary
    let pseudonyms: Pseudonymizer
    let zone: ZoneResolver

    /// Operators and bots keep their names, as `--staff` and `--bots` do for an export.
    public init(gateway: OpenLinesGateway, store: DialogueStore & CRMStore, names: NameDictionary, pseudonyms: Pseudonymizer, zone: ZoneResolver) {
        self.gateway = gateway
        self.store = store
        self.names = names
        self.pseudonyms = pseudonyms
        self.zone = zone
    }

    public func run(since: Int64?) async throws -> OpenLinesImportSummary {
        let sessions = try await gateway.openLineSessions(since: since)
        var raws: [(RawDialogue, OpenLineSession)] = []
        var staff: Set<String> = []
        var bots: Set<String> = []
        let histories = try await gateway.sessionHistories(sessions.map(\.id))
        for session in sessions {
            guard let history = histories[session.id] else { continue }
            for user in history.users.values where !user.isClient {
                if user.isBot { bots.insert(user.name) } else { staff.insert(user.name) }
            }
            let raw = Self.rawDialogue(session, history)
            if !raw.messages.isEmpty { raws.append((raw, session)) }
        }
        let anonymizer = Anonymizer(names: names, pseudonyms: pseudonyms, staff: staff.sorted(), bots: bots.sorted())
        let dialogues = raws.map { raw, session in (anonymizer.anonymize(raw, source: "bitrix24:openlines", idPrefix: "b24"), session) }
        var messages = 0
        let (_, totals) = try store.importFile(name: "bitrix24:openlines", zone: zone) { write in
            for (dialogue, _) in dialogues {
                try write(dialogue)
                messages += dialogue.messages.count
            }
            return FileImportReport(file: "bitrix24:openlines", format: .jsonl, dialogues: dialogues.count, messages: messages)
        }
        let links = dialogues.compactMap { dialogue, session -> CRMLink? in
            guard let binding = session.binding else { return nil }
            return CRMLink(
                dialogueID: dialogue.id, crm: Self.linkSource, contactID: binding.kind == .contact ? binding.id : nil, dealID: binding.kind == .deal ? binding.id : nil,
                leadID: binding.kind == .lead ? binding.id : nil, responsibleID: nil, stageSemantic: nil)
        }
        try store.addLinks(links)
        return OpenLinesImportSummary(
            sessions: dialogues.count, new: totals.inserted, updated: totals.updated, unchanged: totals.unchanged, messages: totals.messages, bound: links.count)
    }

    /// A session as an export would have it: roles from the participants, the session id as
    /// the dialogue id.
    static func rawDialogue(_ session: OpenLineSession, _ history: OpenLineHistory) -> RawDialogue {
        let messages = history.messages.sorted { ($0.at.unixMillis, $0.id) < ($1.at.unixMillis, $1.id) }.enumerated().map { index, message -> RawMessage in
            guard message.senderID != 0, let user = history.users[message.senderID] else {
                return RawMessage(at: message.at, author: "system", role: .system, text: message.text, line: index + 1)
            }
            let role: Role = user.isClient ? .client : (user.isBot ? .bot : .staff)
            return RawMessage(at: message.at, author: user.name, authorID: "b24-user-\(user.id)", role: role, text: message.text, line: index + 1)
        }
        return RawDialogue(id: "b24-ol-\(session.id)", channel: "bitrix24", chatKey: "bitrix24:session:\(session.id)", messages: messages)
    }
}
