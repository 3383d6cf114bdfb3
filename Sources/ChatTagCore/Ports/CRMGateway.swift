/// A CRM contact as chattag needs it: its id, its phones as written in the CRM, and who is
/// responsible for it. Phones live only in memory, only until they are keyed.
public struct CRMContact: Sendable, Equatable {
    public var id: Int
    public var phones: [String]
    public var responsibleID: Int?

    public init(id: Int, phones: [String], responsibleID: Int? = nil) {
        self.id = id
        self.phones = phones
        self.responsibleID = responsibleID
    }
}

/// A CRM deal: its contact, its stage's semantics (`S` success, `F` failure, `P` in
/// progress) and when it was created (unix ms).
public struct CRMDeal: Sendable, Equatable {
    public var id: Int
    public var contactID: Int?
    public var stageSemantic: String
    public var createdAtUnixMillis: Int64
    public var responsibleID: Int?

    public init(id: Int, contactID: Int?, stageSemantic: String, createdAtUnixMillis: Int64, responsibleID: Int? = nil) {
        self.id = id
        self.contactID = contactID
        self.stageSemantic = stageSemantic
        self.createdAtUnixMillis = createdAtUnixMillis
        self.responsibleID = responsibleID
    }
}

/// The CRM record an activity belongs to (Bitrix24's `ownerTypeId`: 1 lead, 2 deal, 3 contact).
public struct CRMOwner: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case lead, deal, contact

        /// Bitrix24's numeric CRM object type.
        public var typeID: Int {
            switch self {
            case .lead: return 1
            case .deal: return 2
            case .contact: return 3
            }
        }
    }

    public var kind: Kind
    public var id: Int

    public init(kind: Kind, id: Int) {
        self.kind = kind
        self.id = id
    }
}

/// A to-do to create on a CRM record for its responsible person.
public struct CRMTodo: Sendable, Equatable {
    public var owner: CRMOwner
    /// Holds the correlation id, by which a resumed push finds it again.
    public var title: String
    public var description: String
    public var responsibleID: Int?
    /// ISO-8601 with offset.
    public var deadline: String
}

/// A new CRM lead, for a missed lead no contact matched.
public struct CRMLeadDraft: Sendable, Equatable {
    public var title: String
    public var comments: String
    /// Stored in the lead's `ORIGIN_ID` (with `ORIGINATOR_ID` `chattag`), by which a resumed push finds it again.
    public var correlationID: String
}

/// What chattag asks of a CRM. Implemented for Bitrix24's REST API by `ChatTagCRM`; the
/// paging, batching and rate-limit handling live behind it.
public protocol CRMGateway: Sendable {
    /// Every contact with its phones.
    func contacts() async throws -> [CRMContact]
    /// Every deal with its contact and stage semantics.
    func deals() async throws -> [CRMDeal]
    /// The id of a to-do on `owner` whose title contains `marker`, if one exists.
    func findTodo(on owner: CRMOwner, marker: String) async throws -> Int?
    /// Creates a to-do; returns its id.
    func addTodo(_ todo: CRMTodo) async throws -> Int
    /// The id of a lead created with this correlation id, if one exists.
    func findLead(correlationID: String) async throws -> Int?
    /// Creates a lead; returns its id.
    func addLead(_ lead: CRMLeadDraft) async throws -> Int
}

/// An Open Lines session: its id, when it began (unix ms) and the CRM record it is bound to.
public struct OpenLineSession: Sendable, Equatable {
    public var id: Int
    public var startedAtUnixMillis: Int64
    public var binding: CRMOwner?

    public init(id: Int, startedAtUnixMillis: Int64, binding: CRMOwner?) {
        self.id = id
        self.startedAtUnixMillis = startedAtUnixMillis
        self.binding = binding
    }
}

/// A participant of an Open Lines chat: the client (an external `connector` user), an
/// operator, or a bot.
public struct OpenLineUser: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var isBot: Bool
    public var isClient: Bool

    public init(id: Int, name: String, isBot: Bool, isClient: Bool) {
        self.id = id
        self.name = name
        self.isBot = isBot
        self.isClient = isClient
    }
}

/// One message of a session (`senderID` 0 is the system).
public struct OpenLineMessage: Sendable, Equatable {
    public var id: Int
    public var senderID: Int
    public var at: ChatTime
    public var text: String

    public init(id: Int, senderID: Int, at: ChatTime, text: String) {
        self.id = id
        self.senderID = senderID
        self.at = at
        self.text = text
    }
}

/// A session's messages (raw: they live only until anonymized) and its participants.
public struct OpenLineHistory: Sendable, Equatable {
    public var messages: [OpenLineMessage]
    public var users: [Int: OpenLineUser]

    public init(messages: [OpenLineMessage], users: [Int: OpenLineUser]) {
        self.messages = messages
        self.users = users
    }
}

/// What chattag asks of a CRM's chat channels (Bitrix24 Open Lines).
public protocol OpenLinesGateway: Sendable {
    /// Sessions that began at or after `since` (unix ms), oldest first.
    func openLineSessions(since: Int64?) async throws -> [OpenLineSession]
    /// Sessions' messages and participants, by session id.
    func sessionHistories(_ sessionIDs: [Int]) async throws -> [Int: OpenLineHistory]
}
