/// Cuts one long chat (a Telegram or WhatsApp export) into dialogues, following the
/// conversation rather than the clock alone:
///
/// - while a client's message waits for the business's reply, nothing cuts it off from that
///   reply, however late (overnight, after a weekend), within the reply window counted from
///   the first message still waiting; a later message starts a new dialogue and the old one
///   stays unanswered;
/// - once the business has replied, or the client closed the conversation («Спасибо», «Ок»,
///   👍), a gap longer than the session gap starts a new dialogue.
///
/// Who is the business comes from the export (a role it states, the Telegram account owner)
/// or from the staff and bot names of the import, as the anonymizer decides it later.
struct SessionSplitter {
    let gapMillis: Int64
    let replyWindowMillis: Int64
    let channel: String
    let chatKey: String
    let ownerIDs: Set<String>
    let businessNames: Set<String>
    /// How the file is named in messages.
    let file: String
    private var current: [RawMessage] = []
    /// Bytes of text in `current`, bounded by ``ImportLimits/maxDialogueBytes``.
    private var currentBytes = 0
    /// When the oldest client message still waiting for a reply was written, if one is.
    private var waitingSince: Int64?
    /// Whether the business has written in the dialogue in progress: a client's «Ок» closes
    /// only a conversation the business took part in.
    private var businessReplied = false

    init(options: ImportOptions, channel: String, chatKey: String, ownerIDs: Set<String> = [], file: String = "") {
        self.file = file
        gapMillis = Int64(options.sessionGapSeconds * 1000)
        // A waiting message is never cut off sooner than an answered conversation would be.
        replyWindowMillis = Int64(max(options.replyWindowSeconds, options.sessionGapSeconds) * 1000)
        self.channel = channel
        self.chatKey = chatKey
        self.ownerIDs = ownerIDs
        businessNames = Set((options.staff + options.bots).map(Anonymizer.normalizeAuthor))
    }

    /// Adds a message; returns the finished dialogue when this message opens a new one.
    /// Throws when the dialogue in progress grows past ``ImportLimits/maxDialogueBytes``.
    mutating func add(_ message: RawMessage) throws -> RawDialogue? {
        var finished: RawDialogue?
        if let last = current.last {
            let now = message.at.unixMillis
            let cut: Bool
            if let waitingSince {
                cut = now - waitingSince > replyWindowMillis
            } else {
                cut = now - last.at.unixMillis > gapMillis
            }
            if cut { finished = flush() }
        }
        current.append(message)
        currentBytes += ImportLimits.weight(of: message)
        if currentBytes > ImportLimits.maxDialogueBytes {
            throw ImportError.dialogueTooLarge(file: file, line: current[0].line, limit: ImportLimits.maxDialogueBytes)
        }
        switch role(of: message) {
        case .staff, .bot:
            waitingSince = nil
            businessReplied = true
        case .client:
            if businessReplied, ClosingMessage.isClosing(message.text) {
                waitingSince = nil
            } else if waitingSince == nil {
                waitingSince = message.at.unixMillis
            }
        case .system: break
        }
        return finished
    }

    /// The dialogue in progress, if any; call at the end of the chat.
    mutating func flush() -> RawDialogue? {
        guard !current.isEmpty else { return nil }
        defer {
            current = []
            currentBytes = 0
            waitingSince = nil
            businessReplied = false
        }
        return RawDialogue(id: nil, channel: channel, chatKey: chatKey, messages: current, ownerIDs: ownerIDs)
    }

    private func role(of message: RawMessage) -> Role {
        if let role = message.role { return role }
        if let id = message.authorID, ownerIDs.contains(id) { return .staff }
        return businessNames.contains(Anonymizer.normalizeAuthor(message.author)) ? .staff : .client
    }
}
