/// A stored dialogue as CRM matching sees it: its start and the keyed forms of the phones
/// seen in it (never the phones).
public struct CRMDialogue: Sendable, Equatable {
    public var id: String
    public var startedAtUnixMillis: Int64
    public var phoneKeys: [String]
    /// The CRM record an Open Lines session was bound to, if the dialogue came from one.
    public var binding: CRMOwner?

    public init(id: String, startedAtUnixMillis: Int64, phoneKeys: [String], binding: CRMOwner? = nil) {
        self.id = id
        self.startedAtUnixMillis = startedAtUnixMillis
        self.phoneKeys = phoneKeys
        self.binding = binding
    }
}

/// A dialogue's link to CRM records: the matched contact, the chosen deal (or the lead an
/// Open Lines session was bound to) and the person responsible.
public struct CRMLink: Sendable, Equatable {
    public var dialogueID: String
    public var crm: String
    public var contactID: Int?
    public var dealID: Int?
    public var leadID: Int?
    public var responsibleID: Int?
    public var stageSemantic: String?

    public init(dialogueID: String, crm: String, contactID: Int?, dealID: Int?, leadID: Int? = nil, responsibleID: Int?, stageSemantic: String?) {
        self.dialogueID = dialogueID
        self.crm = crm
        self.contactID = contactID
        self.dealID = dealID
        self.leadID = leadID
        self.responsibleID = responsibleID
        self.stageSemantic = stageSemantic
    }
}

/// One push of a missed lead to the CRM, as `crm_pushes` keeps it.
public struct CRMPushRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Written before the CRM call: a crash leaves it, and the next push looks it up first.
        case pending
        case done
        case failed
    }

    public var dialogueID: String
    public var promptHash: String
    public var model: String
    public var crm: String
    public var week: String
    public var correlationID: String
    public var entityType: String?
    public var entityID: Int?
    public var status: Status
    public var error: String?

    public init(
        dialogueID: String, promptHash: String, model: String, crm: String, week: String, correlationID: String, entityType: String? = nil,
        entityID: Int? = nil, status: Status, error: String? = nil
    ) {
        self.dialogueID = dialogueID
        self.promptHash = promptHash
        self.model = model
        self.crm = crm
        self.week = week
        self.correlationID = correlationID
        self.entityType = entityType
        self.entityID = entityID
        self.status = status
        self.error = error
    }
}

/// One audit event of a CRM command (`crm_events`).
public struct CRMEvent: Sendable, Equatable {
    public var crm: String
    /// `push`, `resume`, `skip`, `outcomes`.
    public var action: String
    public var correlationID: String?
    public var dialogueID: String?
    /// `created`, `found`, `failed`, `done`.
    public var status: String
    public var detail: String

    public init(crm: String, action: String, correlationID: String?, dialogueID: String?, status: String, detail: String) {
        self.crm = crm
        self.action = action
        self.correlationID = correlationID
        self.dialogueID = dialogueID
        self.status = status
        self.detail = detail
    }
}

/// Where CRM links, pushes and their audit events live. Implemented on SQLite by `ChatTagStore`.
public protocol CRMStore {
    /// Every stored dialogue with its keyed phones.
    func crmDialogues() throws -> [CRMDialogue]
    /// Replaces the links of `crm` with `links` and sets the outcomes, all or none.
    func saveLinks(_ links: [CRMLink], crm: String, outcomes: [OutcomeRow]) throws -> OutcomeTotals
    /// Adds (or replaces) the links of these dialogues, leaving others alone.
    func addLinks(_ links: [CRMLink]) throws
    /// The link of one dialogue, if it has one.
    func link(dialogueID: String, crm: String) throws -> CRMLink?
    /// The push of a dialogue's tag (prompt hash and model) to `crm`, if one was started.
    func push(dialogueID: String, promptHash: String, model: String, crm: String) throws -> CRMPushRecord?
    /// Inserts or replaces the push of the record's dialogue, prompt hash, model and CRM.
    func savePush(_ record: CRMPushRecord) throws
    /// Appends an audit event.
    func record(_ event: CRMEvent) throws
}
