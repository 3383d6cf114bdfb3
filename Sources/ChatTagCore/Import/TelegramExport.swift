import Foundation

/// Reads Telegram Desktop's JSON exports: a single chat's `result.json` (`name`, `type`, `id`,
/// `messages`) and the whole-account export (`personal_information`, `chats.list[…]`).
///
/// The file is walked one message at a time, so memory does not grow with the export. Times
/// come from `date_unixtime` (`date` is the exporting computer's local time with no offset).
/// `text_entities` of type phone, email, bank_card and mention are masked as certain PII.
/// In an account export the account owner's messages are the business's (staff).
struct TelegramExport {
    let file: MappedFile
    let options: ImportOptions

    /// Times after this are refused (a day ahead of the clock), in milliseconds.
    let latestMillis: Int64

    init(file: MappedFile, options: ImportOptions) {
        self.file = file
        self.options = options
        latestMillis = options.clock.nowUnixMillis() + 86_400_000
    }

    /// The most JSON values one message (or one header field) may hold.
    static let maxValuesPerValue = 100_000

    private struct Chat {
        var id = ""
        var name = ""
        var type = ""
    }

    /// Emits the dialogues of every chat; returns how many messages were skipped on purpose
    /// (those of "Saved messages", the account owner's notes to self).
    @discardableResult
    func read(_ emit: (RawDialogue) throws -> Void) throws -> Int {
        var skipped = 0
        var reader = JSONReader(bytes: file.bytes, range: 0..<file.bytes.count)
        reader.maxStringBytes = ImportLimits.maxMessageBytes
        // Every value built here is one message or one small header field.
        reader.maxValues = Self.maxValuesPerValue
        var lines = JSONLineCounter()
        do {
            if file.bytes.count >= 3, file.bytes[0] == 0xEF, file.bytes[1] == 0xBB, file.bytes[2] == 0xBF { reader.position = 3 }
            guard try reader.peek() == 0x7B else {
                throw ImportError.notAnExport(file: file.path, problem: "the file does not start with a JSON object")
            }
            reader.position += 1
            var ownerIDs: Set<String> = []
            var chat = Chat()
            var sawMessages = false
            if try !reader.consume(0x7D) {
                repeat {
                    let key = try readKey(&reader)
                    switch key {
                    case "personal_information":
                        if let userID = try reader.freshValue()["user_id"]?.int64 { ownerIDs.insert("user\(userID)") }
                    case "chats", "left_chats":
                        try readChatList(&reader, lines: &lines, skipped: &skipped, ownerIDs: ownerIDs, emit: emit)
                        sawMessages = true
                    case "messages":
                        try readMessages(&reader, lines: &lines, skipped: &skipped, chat: chat, ownerIDs: ownerIDs, emit: emit)
                        sawMessages = true
                    case "name", "type", "id":
                        let value = try reader.freshValue()
                        assign(key, value, to: &chat)
                    default:
                        try reader.skipValue()
                    }
                } while try reader.consume(0x2C)
                try reader.expect(0x7D)
            }
            guard sawMessages else {
                throw ImportError.notAnExport(file: file.path, problem: "this JSON has neither \"messages\" nor \"chats\", so it is not a Telegram export")
            }
            return skipped
        } catch let failure as JSONReader.Failure {
            let line = JSONReader.line(of: failure.offset, in: file.bytes)
            if failure.tooLong { throw ImportError.messageTooLong(file: file.path, line: line, limit: ImportLimits.maxMessageBytes) }
            if failure.problem.contains("UTF-8") { throw ImportError.invalidUTF8(file: file.path, line: line) }
            throw ImportError.malformed(
                file: file.path, line: line, problem: "broken JSON: \(failure.problem)", fix: "The export is damaged or was cut short; export the chat again from Telegram Desktop."
            )
        }
    }

    private func readKey(_ reader: inout JSONReader) throws -> String {
        guard try reader.peek() == 0x22 else { throw reader.fail("expected a quoted key") }
        let key = try reader.string()
        try reader.expect(0x3A)
        return key
    }

    private func assign(_ key: String, _ value: JSONValue, to chat: inout Chat) {
        switch key {
        case "name": chat.name = value.string ?? ""
        case "type": chat.type = value.string ?? ""
        default: chat.id = value.int64.map(String.init) ?? value.string ?? ""
        }
    }

    private func readChatList(_ reader: inout JSONReader, lines: inout JSONLineCounter, skipped: inout Int, ownerIDs: Set<String>, emit: (RawDialogue) throws -> Void) throws {
        try reader.expect(0x7B)
        if try reader.consume(0x7D) { return }
        repeat {
            let key = try readKey(&reader)
            guard key == "list" else {
                try reader.skipValue()
                continue
            }
            try reader.expect(0x5B)
            if try reader.consume(0x5D) { continue }
            repeat {
                try reader.expect(0x7B)
                var chat = Chat()
                if try !reader.consume(0x7D) {
                    repeat {
                        let chatKey = try readKey(&reader)
                        switch chatKey {
                        case "name", "type", "id": assign(chatKey, try reader.freshValue(), to: &chat)
                        case "messages": try readMessages(&reader, lines: &lines, skipped: &skipped, chat: chat, ownerIDs: ownerIDs, emit: emit)
                        default: try reader.skipValue()
                        }
                    } while try reader.consume(0x2C)
                    try reader.expect(0x7D)
                }
            } while try reader.consume(0x2C)
            try reader.expect(0x5D)
        } while try reader.consume(0x2C)
        try reader.expect(0x7D)
    }

    private func readMessages(
        _ reader: inout JSONReader, lines: inout JSONLineCounter, skipped: inout Int, chat: Chat, ownerIDs: Set<String>, emit: (RawDialogue) throws -> Void
    ) throws {
        let skip = chat.type == "saved_messages"
        var splitter = SessionSplitter(
            options: options, channel: "telegram", chatKey: "tg:" + (chat.id.isEmpty ? chat.name : chat.id), ownerIDs: ownerIDs, file: file.path)
        try reader.expect(0x5B)
        if try reader.consume(0x5D) { return }
        repeat {
            if skip {
                try reader.skipValue()
                skipped += 1
                continue
            }
            // The message's own first byte, not the line break after the comma before it.
            _ = try reader.peek()
            let start = reader.position
            // One message's JSON: a 1 MiB text with its entities fits with room to spare.
            reader.valueLimit = start + 4 * ImportLimits.maxMessageBytes
            let value = try reader.freshValue()
            reader.valueLimit = Int.max
            let line = lines.line(at: start, in: file.bytes)
            guard let message = try message(from: value, line: line) else { continue }
            if let dialogue = try splitter.add(message) { try emit(dialogue) }
            file.releaseConsumed(upTo: reader.position)
        } while try reader.consume(0x2C)
        try reader.expect(0x5D)
        if !skip, let dialogue = splitter.flush() { try emit(dialogue) }
    }

    private func message(from value: JSONValue, line: Int) throws -> RawMessage? {
        guard let fields = value.object else {
            throw ImportError.malformed(file: file.path, line: line, problem: "a message is not a JSON object", fix: "Export the chat again from Telegram Desktop.")
        }
        let at: ChatTime
        if let stamp = fields["date_unixtime"] {
            // Checked here, before the seconds become milliseconds: a huge number would overflow.
            guard let unix = stamp.int64, unix >= DialogueImporter.earliestMillis / 1000, unix <= latestMillis / 1000 else {
                throw ImportError.malformed(
                    file: file.path, line: line,
                    problem: "date_unixtime is \(stamp.int64 == nil ? "not a whole number of seconds" : "before 2000-01-01 or more than a day in the future")",
                    fix: "Export the chat again from Telegram Desktop: chattag refuses impossible times rather than count them.")
            }
            at = ChatTime(unixMillis: unix * 1000, offsetSeconds: options.zone.offset(atUnixSeconds: unix))
        } else if let local = fields["date"]?.string, let parsed = ChatTime.parseISO8601(Substring(local), zone: options.zone) {
            at = parsed
        } else {
            throw ImportError.malformed(file: file.path, line: line, problem: "a message has neither date_unixtime nor date", fix: "Export the chat again from Telegram Desktop.")
        }
        switch fields["text"] {
        case nil, .null?, .string?, .array?: break
        case let other?:
            throw ImportError.malformed(
                file: file.path, line: line, problem: "the message's \"text\" is \(other.kindName), not a string or a list",
                fix: "Export the chat again from Telegram Desktop.")
        }
        var (text, known) = Self.flattenText(fields["text"], entities: fields["text_entities"])
        if fields["type"]?.string == "service" {
            let action = fields["action"]?.string ?? "service"
            var note = action == "phone_call" && fields["discard_reason"]?.string == "missed" ? "[MISSED CALL]" : "[\(action.uppercased())]"
            if !text.isEmpty { note += " " + text }
            return RawMessage(at: at, author: "system", role: .system, text: note, knownPII: known, line: line)
        }
        var marker: String?
        if fields["photo"] != nil {
            marker = "[PHOTO]"
        } else if let media = fields["media_type"]?.string {
            switch media {
            case "sticker": marker = "[STICKER \(fields["sticker_emoji"]?.string ?? "")]".replacingOccurrences(of: " ]", with: "]")
            case "voice_message": marker = "[VOICE]"
            case "video_message", "video_file": marker = "[VIDEO]"
            case "animation": marker = "[GIF]"
            case "audio_file": marker = "[AUDIO]"
            default: marker = "[MEDIA]"
            }
        } else if fields["file"] != nil {
            marker = "[FILE]"
        } else if fields["location_information"] != nil {
            marker = "[LOCATION]"
        } else if fields["poll"] != nil {
            marker = "[POLL]"
        }
        if let contact = fields["contact_information"]?.object {
            let first = contact["first_name"]?.string ?? ""
            let last = contact["last_name"]?.string ?? ""
            let phone = contact["phone_number"]?.string ?? ""
            for name in [first, last] where !name.isEmpty { known.append(KnownPII(kind: .name, text: name)) }
            if !phone.isEmpty { known.append(KnownPII(kind: .phone, text: phone)) }
            marker = "[CONTACT] " + [first, last, phone].filter { !$0.isEmpty }.joined(separator: " ")
        }
        if let marker { text = text.isEmpty ? marker : marker + " " + text }
        let author = try Self.optionalString(fields["from"], "from", file: file.path, line: line) ?? "Deleted Account"
        let authorID = try Self.optionalString(fields["from_id"], "from_id", file: file.path, line: line)
        return RawMessage(at: at, author: author, authorID: authorID, text: text, knownPII: known, line: line)
    }

    /// A field that is a string when present: a number or an object there would make one
    /// author two (`"from": 42` beside `"from": "42"`), so it is refused rather than guessed.
    static func optionalString(_ value: JSONValue?, _ key: String, file: String, line: Int) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case let .string(text)?: return text
        case let other?:
            throw ImportError.malformed(
                file: file, line: line, problem: "the message's \"\(key)\" is \(other.kindName), not a string",
                fix: "Write \"\(key)\" as a JSON string (in quotes), or export the chat again from Telegram Desktop.")
        }
    }

    /// Joins a `text` that is a string or an array of strings and entity objects, and collects
    /// the entities that are personal data.
    static func flattenText(_ text: JSONValue?, entities: JSONValue?) -> (String, [KnownPII]) {
        var out = ""
        var known: [KnownPII] = []
        func note(_ type: String, _ value: String) {
            switch type {
            case "phone": known.append(KnownPII(kind: .phone, text: value))
            case "email": known.append(KnownPII(kind: .email, text: value))
            case "bank_card": known.append(KnownPII(kind: .card, text: value))
            case "mention": known.append(KnownPII(kind: .handle, text: value))
            case "mention_name": known.append(KnownPII(kind: .name, text: value))
            default: break
            }
        }
        switch text {
        case let .string(value)?:
            out = value
        case let .array(parts)?:
            for part in parts {
                if let piece = part.string {
                    out += piece
                } else if let piece = part["text"]?.string {
                    out += piece
                    note(part["type"]?.string ?? "", piece)
                }
            }
        default:
            break
        }
        for entity in entities?.array ?? [] {
            if let type = entity["type"]?.string, let value = entity["text"]?.string { note(type, value) }
        }
        return (out, Array(Set(known)))
    }
}

/// Counts lines incrementally for positions that only move forward, so per-message line
/// numbers cost nothing extra on a large export. A value owned by one ``TelegramExport/read(_:)``
/// call, so it is never shared between threads.
struct JSONLineCounter {
    private var lastOffset = 0
    private var lastLine = 1

    /// The 1-based line of the byte at `offset`; counts only the bytes since the last call.
    mutating func line(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if offset < lastOffset {
            lastOffset = 0
            lastLine = 1
        }
        if let base = bytes.baseAddress {
            var cursor = lastOffset
            while cursor < offset, let hit = memchr(base + cursor, 0x0A, offset - cursor) {
                lastLine += 1
                cursor = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
            }
        }
        lastOffset = offset
        return lastLine
    }
}
