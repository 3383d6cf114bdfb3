/// Turns a stored dialogue into the text the model reads: exactly one line per message with
/// the time since the first message (so slow replies show), the role, staff names, and the
/// text as a JSON string:
///
/// ```
/// [+0:00] client: "Здравствуйте, есть окно в субботу?\nИ сколько стоит?"
/// [+0:09] staff (Анна): "Добрый день! Есть 12:00 и 15:30"
/// [+1d 2:15] client: "Уже не актуально"
/// ```
///
/// A message's text can therefore never start a line of its own: its line breaks (LF, CR,
/// VT, FF, NEL, U+2028, U+2029) are written `\n`, `\r`, `\u2028`…, its quotes `\"`, and the
/// invisible characters that can hide or reorder text (zero-width spaces, bidi controls, the
/// BOM) `\u200b`, `\u202e`…, so the model sees them. The text is exact: a JSON parser reads
/// it back unchanged. See ``DialogueFraming`` for what surrounds the lines.
///
/// A dialogue longer than the token budget keeps its opening and its latest turns and says
/// how many messages were left out between them.
///
/// A labeling sheet uses ``Style/reading`` instead: the same lines with the text as written,
/// its line breaks shown as ` ⏎ `, so a person reads the dialogue, not JSON.
public struct DialogueRenderer: Sendable {
    /// How a message's text is written on its line.
    public enum Style: Sendable {
        /// A JSON string, for the model (the default).
        case wire
        /// The text as written, line breaks shown as ` ⏎ ` and invisible characters escaped
        /// as on the wire, for a person (labeling sheets).
        case reading
    }

    /// The most tokens the dialogue may take in the prompt.
    public var tokenBudget: Int
    /// How a message's text is written.
    public var style: Style

    public init(tokenBudget: Int = 3000, style: Style = .wire) {
        self.tokenBudget = tokenBudget
        self.style = style
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
        var line = "[\(stamp)] "
        switch message.role {
        case .client: line += "client"
        case .staff: line += "staff (" + Self.inline(message.author) + ")"
        case .bot: line += "bot (" + Self.inline(message.author) + ")"
        case .system: line += "system"
        }
        line += ": "
        switch style {
        case .wire: Self.appendQuoted(message.text, to: &line)
        case .reading: Self.appendReadable(message.text, to: &line)
        }
        return line
    }

    /// `text` for a person: as written, each line break (CRLF counting once) shown as ` ⏎ `
    /// so one message stays one line, other invisible characters escaped as on the wire.
    static func appendReadable(_ text: String, to out: inout String) {
        guard text.unicodeScalars.contains(where: needsEscape) else {
            out.append(text)
            return
        }
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\n" where afterCR: continue
            case "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out.append(" ⏎ ")
            case "\t": out.append(" ")
            default: appendEscaped(scalar, to: &out)
            }
        }
    }

    /// `text` as a JSON string literal: `"`, `\\`, control characters and the characters of
    /// ``needsEscape(_:)`` escaped, everything else (Cyrillic, emoji) as it is.
    static func quoted(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }

    static func appendQuoted(_ text: String, to out: inout String) {
        out.reserveCapacity(out.utf8.count + text.utf8.count + 2)
        out.append("\"")
        // Most messages need no escape at all: one scan, one append.
        if !text.unicodeScalars.contains(where: { $0 == "\"" || $0 == "\\" || needsEscape($0) }) {
            out.append(text)
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                default: appendEscaped(scalar, to: &out)
                }
            }
        }
        out.append("\"")
    }

    /// A name on a turn's line (a staff member's, a bot's): its line breaks and invisible
    /// characters escaped as in a message's text, so a name cannot start a line either.
    static func inline(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { appendEscaped(scalar, to: &out) }
        return out
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to out: inout String) {
        guard needsEscape(scalar) else {
            out.unicodeScalars.append(scalar)
            return
        }
        switch scalar {
        case "\n": out.append("\\n")
        case "\r": out.append("\\r")
        case "\t": out.append("\\t")
        default:
            let hex = String(scalar.value, radix: 16)
            out.append("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex)
        }
    }

    /// Characters written as escapes: C0 controls and DEL, C1 controls (NEL among them), the
    /// line and paragraph separators, and the invisible characters that hide or reorder text —
    /// zero-width space, LRM/RLM, ALM, the bidi embeddings, overrides and isolates, the word
    /// joiner and invisible operators, the BOM. Joiners inside emoji (U+200D) and variation
    /// selectors stay as they are.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return true }
        if value < 0x061C { return false }
        switch value {
        case 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// A rough token count: about three UTF-8 bytes per token for mixed Russian and English
    /// (a Cyrillic letter takes two bytes, a token holds three to four letters).
    public static func estimateTokens(_ text: String) -> Int { text.utf8.count / 3 + 1 }
}
