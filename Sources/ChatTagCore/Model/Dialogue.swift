/// What the CRM says happened after a dialogue.
public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
    case booked
    case notBooked = "not_booked"
    case unknown
}

/// One conversation with a client, anonymized, ready to store and tag.
public struct Dialogue: Sendable, Hashable {
    /// Stable id: given by the export (JSONL/CSV) or derived from the source and the first message.
    public var id: String
    /// Where it came from, without personal data: `whatsapp:chat-1a2b3c4d`, `jsonl:export.jsonl`.
    public var source: String
    public var channel: String
    public var business: String?
    public var messages: [Message]
    public var outcome: Outcome?
    /// Whether the client closed the conversation after the business's reply, as decided when
    /// the text was at hand (it stays true once retention removes the text); nil: decide from
    /// the messages (see ``DialogueFacts``).
    public var closedByClient: Bool?
    /// The keyed forms of the phones seen in the dialogue (``PhoneNumber/key(_:with:)``),
    /// sorted; the phones themselves are never kept. CRM matching compares them.
    public var phoneKeys: [String] = []

    public init(
        id: String, source: String, channel: String, business: String? = nil, messages: [Message], outcome: Outcome? = nil, closedByClient: Bool? = nil
    ) {
        self.id = id
        self.source = source
        self.channel = channel
        self.business = business
        self.messages = messages
        self.outcome = outcome
        self.closedByClient = closedByClient
    }

    public var startedAt: ChatTime? { messages.first?.at }
    public var endedAt: ChatTime? { messages.last?.at }

    /// SHA-256 (hex) of the anonymized content: messages' times, roles, authors and texts.
    /// The tagging cache keys on it, so a dialogue that grew in a later export is tagged again.
    public var contentHash: String {
        var hasher = ContentHasher()
        hasher.add(channel)
        for message in messages {
            hasher.add(String(message.at.unixMillis))
            hasher.add(message.role.rawValue)
            hasher.add(message.author)
            hasher.add(message.text)
        }
        return hasher.hexDigest()
    }
}
