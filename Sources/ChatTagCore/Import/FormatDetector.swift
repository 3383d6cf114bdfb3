/// Decides an export's format from its first bytes (and the `.zip` signature), so users
/// rarely need `--format`.
enum FormatDetector {
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> ExportFormat? {
        if ZipArchive.isZip(bytes) { return .whatsapp }
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        while start < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return nil }
        if bytes[start] == 0x7B {
            // Telegram Desktop always writes indented JSON: its first line is a lone "{".
            var next = start + 1
            while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x0D || bytes[next] == 0x09 { next += 1 }
            if next < bytes.count && bytes[next] == 0x0A { return .telegram }
            // Minified (one-line) Telegram JSON: told apart from a JSONL line by its keys.
            return isTelegramObject(bytes, at: start) ? .telegram : .jsonl
        }
        if WhatsAppText.looksLikeWhatsApp(bytes) { return .whatsapp }
        var lineEnd = start
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, lineEnd - start < 4096 { lineEnd += 1 }
        let header = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]), as: UTF8.self).lowercased()
        if header.contains("dialogue_id") { return .csv }
        return nil
    }

    /// Keys only Telegram's account export has at its top level.
    static let accountKeys: Set<String> = ["about", "personal_information", "chats", "left_chats", "contacts", "frequent_contacts", "profile_pictures", "other_data"]
    /// The `type` of a Telegram chat (a canonical JSONL dialogue has no `type`).
    static let chatTypes: Set<String> = [
        "personal_chat", "bot_chat", "private_group", "private_supergroup", "public_supergroup", "private_channel", "public_channel", "saved_messages",
    ]

    /// Keys of a Telegram message, and of a canonical JSONL message.
    static let telegramMessageKeys: Set<String> = ["date_unixtime", "date", "from", "from_id", "text_entities", "actor", "action"]
    static let canonicalMessageKeys: Set<String> = ["at", "role", "author"]

    /// Whether the first message of a `messages` array is Telegram's (keys written in any order).
    static func messagesAreTelegram(_ reader: inout JSONReader) -> Bool {
        do {
            try reader.expect(0x5B)
            try reader.expect(0x7B)
            repeat {
                guard try reader.peek() == 0x22 else { return false }
                let key = try reader.string()
                try reader.expect(0x3A)
                if telegramMessageKeys.contains(key) { return true }
                if canonicalMessageKeys.contains(key) { return false }
                try reader.skipValue()
            } while try reader.consume(0x2C)
        } catch {
            return false
        }
        return false
    }

    /// Whether the object starting at `start` is a Telegram export: an account export's keys,
    /// a chat `type`, or (keys sorted, `messages` first) a Telegram message. Reads at most the
    /// first MiB.
    static func isTelegramObject(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var reader = JSONReader(bytes: bytes, range: start..<min(bytes.count, start + (1 << 20)))
        reader.maxStringBytes = 4096
        do {
            try reader.expect(0x7B)
            repeat {
                guard try reader.peek() == 0x22 else { return false }
                let key = try reader.string()
                try reader.expect(0x3A)
                if accountKeys.contains(key) { return true }
                if key == "messages" { return messagesAreTelegram(&reader) }
                if key == "type", try reader.peek() == 0x22 {
                    return chatTypes.contains(try reader.string())
                }
                try reader.skipValue()
            } while try reader.consume(0x2C)
        } catch {
            return false
        }
        return false
    }
}
