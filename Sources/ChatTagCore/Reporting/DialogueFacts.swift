/// The operational facts of a dialogue that reports and exports join with its tags, by
/// The definitions of docs/weekly-job.md: the first response is the time from the first client message to
/// the first later staff or bot message; the dialogue counts for whoever replied first (a
/// bot's first reply counts for the bot); it is unanswered when its last client message has
/// no later staff or bot reply — unless the client closed the conversation: every client
/// message after the business's last reply is a closing one («Спасибо», «Ок», 👍, see
/// ``ClosingMessage``) and the business had replied to the client before.
public struct DialogueFacts: Sendable, Equatable {
    /// The staff member or bot who replied first, or nil when nobody did.
    public var firstResponder: String?
    /// `.staff` or `.bot` for the first reply, nil when nobody replied.
    public var firstResponderRole: Role?
    /// Seconds from the first client message to the first later business reply.
    public var firstResponseSeconds: Double?
    public var unanswered: Bool
    /// The client ended the conversation with closing messages after the business's reply.
    public var closedByClient: Bool
    /// A bot replied first and a person wrote later: the bot handed the client over.
    public var handedToStaff: Bool
    /// The dialogue has a client message.
    public var hasClient: Bool

    public init(_ dialogue: Dialogue) {
        let messages = dialogue.messages
        let firstClient = messages.firstIndex { $0.role == .client }
        hasClient = firstClient != nil
        firstResponder = nil
        firstResponderRole = nil
        firstResponseSeconds = nil
        handedToStaff = false
        if let firstClient, let replyIndex = messages[(firstClient + 1)...].firstIndex(where: { $0.role == .staff || $0.role == .bot }) {
            let reply = messages[replyIndex]
            firstResponder = reply.author
            firstResponderRole = reply.role
            firstResponseSeconds = reply.at.seconds(since: messages[firstClient].at)
            if reply.role == .bot {
                handedToStaff = messages[(replyIndex + 1)...].contains { $0.role == .staff }
            }
        }
        closedByClient = false
        if let lastClient = messages.lastIndex(where: { $0.role == .client }) {
            let waiting = !messages[(lastClient + 1)...].contains { $0.role == .staff || $0.role == .bot }
            if waiting, let lastReply = messages.lastIndex(where: { $0.role == .staff || $0.role == .bot }), let firstClient, lastReply > firstClient {
                closedByClient =
                    dialogue.closedByClient ?? messages[(lastReply + 1)...].filter { $0.role == .client }.allSatisfy { ClosingMessage.isClosing($0.text) }
            }
            unanswered = waiting && !closedByClient
        } else {
            unanswered = false
        }
    }
}
