/// A message as an export wrote it, before anonymization. Lives only in memory, only until
/// its dialogue has been anonymized.
public struct RawMessage: Sendable {
    public var at: ChatTime
    /// The author's display name as the export wrote it (a client's real name, or a phone).
    public var author: String
    /// A stable account id where the export has one (Telegram's `from_id`).
    public var authorID: String?
    /// The role when the export says it (JSONL, CSV, service lines); nil means "decide from
    /// the staff and bot lists".
    public var role: Role?
    public var text: String
    /// Spans the export itself marks as personal (Telegram's `text_entities`).
    public var knownPII: [KnownPII]
    /// The line of the file where the message starts, for error messages.
    public var line: Int

    public init(at: ChatTime, author: String, authorID: String? = nil, role: Role? = nil, text: String, knownPII: [KnownPII] = [], line: Int) {
        self.at = at
        self.author = author
        self.authorID = authorID
        self.role = role
        self.text = text
        self.knownPII = knownPII
        self.line = line
    }
}

/// A piece of text the export marks as personal data, masked with certainty.
public struct KnownPII: Sendable, Hashable {
    public var kind: PIIKind
    public var text: String

    public init(kind: PIIKind, text: String) {
        self.kind = kind
        self.text = text
    }
}

/// A dialogue as read from an export, before anonymization.
public struct RawDialogue: Sendable {
    /// The export's own id (JSONL, CSV); nil for chat exports, whose ids are derived.
    public var id: String?
    public var channel: String
    public var business: String?
    /// A stable key of the chat the dialogue came from (Telegram chat id, WhatsApp file name).
    public var chatKey: String
    public var messages: [RawMessage]
    public var outcome: Outcome?
    /// Authors the export names as the business's own (Telegram account owner).
    public var ownerIDs: Set<String>

    public init(id: String?, channel: String, business: String? = nil, chatKey: String, messages: [RawMessage], outcome: Outcome? = nil, ownerIDs: Set<String> = []) {
        self.id = id
        self.channel = channel
        self.business = business
        self.chatKey = chatKey
        self.messages = messages
        self.outcome = outcome
        self.ownerIDs = ownerIDs
    }
}
