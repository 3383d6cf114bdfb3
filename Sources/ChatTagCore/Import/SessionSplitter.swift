/// Cuts one long chat (a Telegram or WhatsApp export) into dialogues wherever two
/// consecutive messages are further apart than the session gap.
struct SessionSplitter {
    let gapMillis: Int64
    let channel: String
    let chatKey: String
    let ownerIDs: Set<String>
    private var current: [RawMessage] = []

    init(gapSeconds: Double, channel: String, chatKey: String, ownerIDs: Set<String> = []) {
        gapMillis = Int64(gapSeconds * 1000)
        self.channel = channel
        self.chatKey = chatKey
        self.ownerIDs = ownerIDs
    }

    /// Adds a message; returns the finished dialogue when this message opens a new one.
    mutating func add(_ message: RawMessage) -> RawDialogue? {
        var finished: RawDialogue?
        if let last = current.last, message.at.unixMillis - last.at.unixMillis > gapMillis {
            finished = flush()
        }
        current.append(message)
        return finished
    }

    /// The dialogue in progress, if any; call at the end of the chat.
    mutating func flush() -> RawDialogue? {
        guard !current.isEmpty else { return nil }
        defer { current = [] }
        return RawDialogue(id: nil, channel: channel, chatKey: chatKey, messages: current, ownerIDs: ownerIDs)
    }
}
