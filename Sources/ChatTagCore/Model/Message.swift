/// Who wrote a message: the business's client, its staff, its bot, or the messenger itself.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case client, staff, bot, system
}

/// One anonymized message of a dialogue, as stored in `messages`.
public struct Message: Sendable, Hashable {
    public var at: ChatTime
    public var role: Role
    /// A staff or bot name as written, or a client's keyed pseudonym (`c-3fa2b1`).
    public var author: String
    /// Anonymized text: personal data replaced by placeholders such as `[PHONE_1]`.
    public var text: String

    public init(at: ChatTime, role: Role, author: String, text: String) {
        self.at = at
        self.role = role
        self.author = author
        self.text = text
    }
}
