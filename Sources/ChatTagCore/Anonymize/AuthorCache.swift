/// What the anonymizer works out once per author of an import: the role, the client
/// pseudonym (an HMAC) and the forms of the display name. Chats repeat the same few authors
/// in every dialogue, so this keeps per-message work to the text itself.
struct AuthorCache {
    private var index = HashMap64<Int>(capacity: 256)
    private var ids: [String?] = []
    private var authors: [String] = []
    private(set) var roles: [Role] = []
    private(set) var pseudonyms: [String] = []
    private(set) var displayNames: [String] = []
    private(set) var nameForms: [WordSet] = []
    private var lastHit = -1

    private static func key(_ message: RawMessage) -> UInt64 {
        let author = TextTokens.hash(message.author)
        guard let id = message.authorID else { return author }
        return author ^ (TextTokens.hash(id) &* 0x9E37_79B9_7F4A_7C15)
    }

    private func matches(_ slot: Int, _ message: RawMessage) -> Bool {
        ids[slot] == message.authorID && authors[slot].utf8.elementsEqual(message.author.utf8)
    }

    /// The slot of the message's author, working its facts out on first sight.
    mutating func slot(for message: RawMessage, anonymizer: Anonymizer, ownerIDs: Set<String>) -> Int {
        if lastHit >= 0, matches(lastHit, message) { return lastHit }
        let key = Self.key(message)
        if let slot = index[key], matches(slot, message) {
            lastHit = slot
            return slot
        }
        if roles.count >= 4096 {
            index = HashMap64<Int>(capacity: 256)
            ids.removeAll(keepingCapacity: true)
            authors.removeAll(keepingCapacity: true)
            roles.removeAll(keepingCapacity: true)
            pseudonyms.removeAll(keepingCapacity: true)
            displayNames.removeAll(keepingCapacity: true)
            nameForms.removeAll(keepingCapacity: true)
            lastHit = -1
        }
        let role = anonymizer.role(of: RawMessage(at: message.at, author: message.author, authorID: message.authorID, text: "", line: 0), ownerIDs: ownerIDs)
        let isClient = role == .client
        let slot = roles.count
        index[key] = slot
        ids.append(message.authorID)
        authors.append(message.author)
        roles.append(role)
        pseudonyms.append(isClient ? anonymizer.pseudonyms.client(message.authorID ?? Anonymizer.identity(of: message.author)) : "")
        displayNames.append(ByteSearch.trimSpaces(message.author))
        nameForms.append(isClient ? anonymizer.nameForms(of: message.author) : WordSet([String]()))
        lastHit = slot
        return slot
    }
}
