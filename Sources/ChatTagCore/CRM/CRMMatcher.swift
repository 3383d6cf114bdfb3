/// Matches dialogues to CRM contacts by keyed phone, and picks the deal a dialogue led to.
///
/// The CRM's phones are normalized (``PhoneNumber``) and keyed with the pseudonym key in
/// memory; the dialogue side's keys were computed the same way when the chat was imported.
/// Of a contact's deals, the dialogue's is the first created at or after the day before the
/// dialogue began; when there is none, the latest created before it.
public struct CRMMatcher {
    /// Why a dialogue has no outcome from the CRM.
    public enum Miss: String, Sendable, CaseIterable {
        /// No phone was seen in the dialogue (nor as the client's name).
        case noPhone = "no_phone"
        /// No contact has any of the dialogue's phones.
        case noContact = "no_contact"
        /// A contact matched, but it has no deals.
        case noDeal = "no_deal"
    }

    /// The result for one dialogue: a link (with a deal, or only the contact), or why not.
    public enum Result: Sendable, Equatable {
        case matched(CRMLink, outcome: Outcome)
        case contactOnly(CRMLink)
        case missed(Miss)
    }

    let crm: String
    let contactsByPhone: [String: [CRMContact]]
    let dealsByContact: [Int: [CRMDeal]]
    let dealsByID: [Int: CRMDeal]
    let contactsByID: [Int: CRMContact]

    /// Keys every contact phone with `pseudonyms`; phones that are not whole numbers are skipped.
    public init(crm: String, contacts: [CRMContact], deals: [CRMDeal], pseudonyms: Pseudonymizer) {
        self.crm = crm
        var byPhone: [String: [CRMContact]] = [:]
        for contact in contacts {
            for key in Set(contact.phones.compactMap { PhoneNumber.key($0, with: pseudonyms) }) {
                byPhone[key, default: []].append(contact)
            }
        }
        contactsByPhone = byPhone
        var byContact: [Int: [CRMDeal]] = [:]
        for deal in deals {
            guard let contact = deal.contactID else { continue }
            byContact[contact, default: []].append(deal)
        }
        dealsByID = Dictionary(deals.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        contactsByID = Dictionary(contacts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        dealsByContact = byContact.mapValues { $0.sorted { ($0.createdAtUnixMillis, $0.id) < ($1.createdAtUnixMillis, $1.id) } }
    }

    /// The outcome a deal's stage semantics mean: `S` booked, `F` not booked, anything else
    /// (`P`, in progress) unknown.
    public static func outcome(stageSemantic: String) -> Outcome {
        switch stageSemantic.uppercased() {
        case "S": return .booked
        case "F": return .notBooked
        default: return .unknown
        }
    }

    /// An Open Lines session's binding decides first (its deal, or its contact's deals);
    /// otherwise the dialogue's keyed phones find the contacts.
    public func match(_ dialogue: CRMDialogue) -> Result {
        if let binding = dialogue.binding, binding.kind == .deal, let deal = dealsByID[binding.id] {
            let link = CRMLink(
                dialogueID: dialogue.id, crm: crm, contactID: deal.contactID, dealID: deal.id, responsibleID: deal.responsibleID, stageSemantic: deal.stageSemantic)
            return .matched(link, outcome: Self.outcome(stageSemantic: deal.stageSemantic))
        }
        var contacts: [CRMContact] = []
        if let binding = dialogue.binding, binding.kind == .contact, let contact = contactsByID[binding.id] {
            contacts = [contact]
        } else {
            guard !dialogue.phoneKeys.isEmpty else { return .missed(.noPhone) }
            for key in dialogue.phoneKeys.sorted() {
                for contact in contactsByPhone[key] ?? [] where !contacts.contains(where: { $0.id == contact.id }) { contacts.append(contact) }
            }
        }
        guard let first = contacts.min(by: { $0.id < $1.id }) else { return .missed(.noContact) }
        let deals = contacts.flatMap { dealsByContact[$0.id] ?? [] }.sorted { ($0.createdAtUnixMillis, $0.id) < ($1.createdAtUnixMillis, $1.id) }
        let dayBefore = dialogue.startedAtUnixMillis - 86_400_000
        guard let deal = deals.first(where: { $0.createdAtUnixMillis >= dayBefore }) ?? deals.last else {
            return .contactOnly(CRMLink(dialogueID: dialogue.id, crm: crm, contactID: first.id, dealID: nil, responsibleID: first.responsibleID, stageSemantic: nil))
        }
        let contact = contacts.first { $0.id == deal.contactID } ?? first
        let link = CRMLink(
            dialogueID: dialogue.id, crm: crm, contactID: contact.id, dealID: deal.id, responsibleID: deal.responsibleID ?? contact.responsibleID,
            stageSemantic: deal.stageSemantic)
        return .matched(link, outcome: Self.outcome(stageSemantic: deal.stageSemantic))
    }
}
