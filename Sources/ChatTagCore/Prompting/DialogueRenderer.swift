/// Turns a stored dialogue into the text the model reads: one line per message with the
/// time since the first message (so slow replies show), the role, and staff names:
///
/// ```
/// [+0:00] client: Здравствуйте, есть окно в субботу?
/// [+0:09] staff (Анна): Добрый день! Есть 12:00 и 15:30
/// [+1d 2:15] client: Уже не актуально
/// ```
///
/// A dialogue longer than the token budget keeps its opening and its latest turns and says
/// how many messages were left out between them.
public struct DialogueRenderer: Sendable {
    /// The most tokens the dialogue may take in the prompt.
    public var tokenBudget: Int

    public init(tokenBudget: Int = 3000) {
        self.tokenBudget = tokenBudget
    }

    /// The rendered text and whether messages were cut.
    public func render(_ dialogue: Dialogue) -> (text: String, truncated: Bool) {
        guard let start = dialogue.messages.first?.at else { return ("", false) }
        let lines = dialogue.messages.map { line(for: $0, start: start) }
        let costs = lines.map(Self.estimateTokens)
        if costs.reduce(0, +) <= tokenBudget { return (lines.joined(separator: "\n"), false) }
        let headBudget = tokenBudget / 3
        var head = 0
        var used = 0
        while head < lines.count, used + costs[head] <= headBudget {
            used += costs[head]
            head += 1
        }
        head = max(head, 1)
        used = costs[0..<head].reduce(0, +)
        var tail = lines.count
        while tail > head, used + costs[tail - 1] <= tokenBudget - 12 {
            used += costs[tail - 1]
            tail -= 1
        }
        var kept = Array(lines[0..<head])
        kept.append("[…\(tail - head) messages omitted…]")
        kept += lines[tail...]
        return (kept.joined(separator: "\n"), true)
    }

    func line(for message: Message, start: ChatTime) -> String {
        let minutes = max(0, Int(message.at.seconds(since: start) / 60))
        let days = minutes / 1440
        let clock = "\(minutes % 1440 / 60):" + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)"
        let stamp = days > 0 ? "+\(days)d \(clock)" : "+\(clock)"
        let who: String
        switch message.role {
        case .client: who = "client"
        case .staff: who = "staff (\(message.author))"
        case .bot: who = "bot (\(message.author))"
        case .system: who = "system"
        }
        return "[\(stamp)] \(who): \(message.text)"
    }

    /// A rough token count: about three UTF-8 bytes per token for mixed Russian and English
    /// (a Cyrillic letter takes two bytes, a token holds three to four letters).
    public static func estimateTokens(_ text: String) -> Int { text.utf8.count / 3 + 1 }
}
