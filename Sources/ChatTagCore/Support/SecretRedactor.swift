/// Takes what looks like an API key out of a server's words before they are stored, printed
/// or logged: the exact key in use, anything after `Bearer `, and `sk-…` tokens (OpenAI,
/// OpenRouter, Anthropic and most compatible servers shape their keys so). Each becomes
/// `[API_KEY]`. A server that echoes the key in an error body, a reply or a header value it
/// returns then gets it neither into `llm_calls`, `tags.error` nor the terminal.
///
/// ```swift
/// let redactor = SecretRedactor(apiKey: "sk-proj-abc123def456")
/// redactor.redact("Incorrect API key provided: sk-proj-abc123def456")  // "Incorrect API key provided: [API_KEY]"
/// redactor.redact("Authorization: Bearer local-token-1")               // "Authorization: Bearer [API_KEY]"
/// ```
public struct SecretRedactor: Sendable {
    /// What a key is replaced with.
    public static let mark = "[API_KEY]"

    /// The key's UTF-8, when it is long enough to look for (8 bytes or more: a short local
    /// token such as `test` would otherwise erase ordinary words).
    private let key: [UInt8]?

    public init(apiKey: String?) {
        key = apiKey.flatMap { $0.utf8.count >= 8 ? Array($0.utf8) : nil }
    }

    /// `text` with every key-shaped part replaced by ``mark``; the same text when there is none.
    public func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var copied = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var end: Int?
            var keep = index
            if let key, byte == key[0], bytes.count - index >= key.count, bytes[index..<(index + key.count)].elementsEqual(key) {
                end = index + key.count
            } else if byte == UInt8(ascii: "s") || byte == UInt8(ascii: "S") {
                end = Self.skTokenEnd(bytes, at: index)
            } else if byte | 0x20 == UInt8(ascii: "b") {
                if let found = Self.bearerTokenRange(bytes, at: index) { (keep, end) = (found.lowerBound, found.upperBound) }
            }
            guard let end else {
                index += 1
                continue
            }
            if out.isEmpty { out.reserveCapacity(bytes.count) }
            out += bytes[copied..<keep]
            out += Self.markBytes
            copied = end
            index = end
        }
        if copied == 0 { return text }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    private static let markBytes = Array(mark.utf8)

    /// Bytes a key token is made of: letters, digits, `-`, `_`, and `*` (a key a server masked in part).
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D || byte == 0x5F || byte == 0x2A
    }

    /// The end of an `sk-` token of at least 8 key bytes starting at `index` (not inside a word).
    private static func skTokenEnd(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 3 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "k"), bytes[index + 2] == 0x2D else { return nil }
        if index > 0, isKeyByte(bytes[index - 1]) { return nil }
        var end = index + 3
        while end < bytes.count, isKeyByte(bytes[end]) { end += 1 }
        return end - index - 3 >= 8 ? end : nil
    }

    /// The token of at least 8 bytes after `Bearer ` (any case, one or more spaces) starting
    /// at `index`: the range to replace, which keeps the word. ("The bearer of…" stays.)
    private static func bearerTokenRange(_ bytes: [UInt8], at index: Int) -> Range<Int>? {
        let word = Array("bearer".utf8)
        guard bytes.count - index > word.count + 1, index == 0 || !isKeyByte(bytes[index - 1]) else { return nil }
        for offset in 0..<word.count where bytes[index + offset] | 0x20 != word[offset] { return nil }
        var start = index + word.count
        guard bytes[start] == 0x20 || bytes[start] == 0x09 else { return nil }
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        var end = start
        // Base64 and JWT characters too: a bearer token need not look like a key.
        while end < bytes.count, isKeyByte(bytes[end]) || [0x2E, 0x7E, 0x2B, 0x2F, 0x3D].contains(bytes[end]) { end += 1 }
        guard end - start >= 8 else { return nil }
        return start..<end
    }
}

extension ChatOutcome {
    /// The reply, when the outcome is one.
    var reply: ChatReply? {
        if case let .reply(reply, _) = self { return reply }
        return nil
    }

    /// The outcome with every text that came from the server (bodies, the reply, the model
    /// version, the fingerprint, an error's description) passed through `redactor`.
    public func redacted(by redactor: SecretRedactor) -> ChatOutcome {
        switch self {
        case let .reply(reply, hints):
            var clean = reply
            clean.content = redactor.redact(reply.content)
            clean.modelVersion = reply.modelVersion.map(redactor.redact)
            clean.systemFingerprint = reply.systemFingerprint.map(redactor.redact)
            return .reply(clean, hints: hints)
        case let .httpError(status, body, retryAfter, hints):
            return .httpError(status: status, body: redactor.redact(body), retryAfter: retryAfter, hints: hints)
        case let .malformed(status, body):
            return .malformed(status: status, body: redactor.redact(body))
        case .timeout:
            return .timeout
        case let .connectionFailed(detail):
            return .connectionFailed(redactor.redact(detail))
        }
    }
}
