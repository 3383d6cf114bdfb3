/// The operational facts of a dialogue that reports and exports join with its tags, by
/// PRODUCT.md's definitions: the first response is the time from the first client message to
/// the first later staff or bot message; the dialogue counts for whoever replied first (a
/// bot's first reply counts for the bot); it is unanswered when its last client message has
/// no later staff or bot reply.
public struct DialogueFacts: Sendable, Equatable {
    /// The staff member or bot who replied first, or nil when nobody did.
    public var firstResponder: String?
    /// Seconds from the first client message to the first later business reply.
    public var firstResponseSeconds: Double?
    public var unanswered: Bool

    public init(_ dialogue: Dialogue) {
        let firstClient = dialogue.messages.firstIndex { $0.role == .client }
        var responder: String?
        var seconds: Double?
        if let firstClient {
            if let reply = dialogue.messages[(firstClient + 1)...].first(where: { $0.role == .staff || $0.role == .bot }) {
                responder = reply.author
                seconds = reply.at.seconds(since: dialogue.messages[firstClient].at)
            }
        }
        firstResponder = responder
        firstResponseSeconds = seconds
        if let lastClient = dialogue.messages.lastIndex(where: { $0.role == .client }) {
            unanswered = !dialogue.messages[(lastClient + 1)...].contains { $0.role == .staff || $0.role == .bot }
        } else {
            unanswered = false
        }
    }
}
