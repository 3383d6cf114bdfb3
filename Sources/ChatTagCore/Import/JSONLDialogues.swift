/// Reads canonical JSONL: one dialogue object per line, as docs/formats.md describes.
///
/// ```json
/// {"id":"wa-2025-01-05-017","channel":"whatsapp","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"c-71","text":"…"}],"outcome":"booked"}
/// ```
struct JSONLDialogues {
    static let maxLineBytes = 16 << 20
    /// Values one line may hold: about 80,000 messages, and at most ~100 MB of parsed tree.
    static let maxValuesPerLine = 500_000

    let file: MappedFile
    let options: ImportOptions

    func read(_ emit: (RawDialogue) throws -> Void) throws {
        var cursor = LineCursor(bytes: file.bytes, file: file.path, maxLineBytes: Self.maxLineBytes)
        var seen = SeenIDs()
        while let range = try cursor.next() {
            let line = cursor.lineNumber
            var reader = JSONReader(bytes: file.bytes, range: range)
            reader.maxValues = Self.maxValuesPerLine
            if reader.atEnd() { continue }
            let value: JSONValue
            do {
                value = try reader.value()
                guard reader.atEnd() else { throw reader.fail("text after the end of the JSON object") }
            } catch let failure as JSONReader.Failure {
                if failure.tooLong {
                    throw malformed(
                        line, "the line holds over \(Self.maxValuesPerLine) JSON values, more than any one dialogue",
                        fix: "Check that each line is one dialogue; split a dialogue this long.")
                }
                if failure.problem.contains("UTF-8") { throw ImportError.invalidUTF8(file: file.path, line: line) }
                throw malformed(
                    line, "broken JSON at column \(failure.offset - range.lowerBound + 1): \(failure.problem)",
                    fix: "Each line must be one complete JSON object; fix or remove this line.")
            }
            let dialogue = try dialogue(from: value, line: line)
            if let earlier = seen.earlierUse(of: dialogue.id ?? "", idAt: id(onLineAt:)) {
                throw malformed(
                    line, "the dialogue's id already appeared on line \(JSONReader.line(of: earlier, in: file.bytes))",
                    fix: "Give every dialogue its own id, or merge the two lines.")
            }
            try seen.remember(dialogue.id ?? "", at: range.lowerBound, file: file.path, line: line)
            try emit(dialogue)
            file.releaseConsumed(upTo: range.upperBound)
        }
    }

    /// The authors of messages whose role is `staff` or `bot`, in a light first pass: only
    /// `role` and `author` are decoded, every other value is skipped unbuilt. Lines that are
    /// not valid are left to the full pass, which names them.
    func businessAuthors() throws -> Set<String> {
        var cursor = LineCursor(bytes: file.bytes, file: file.path, maxLineBytes: Self.maxLineBytes)
        var names: Set<String> = []
        while let range = try cursor.next() {
            var reader = JSONReader(bytes: file.bytes, range: range)
            try? Self.collectBusinessAuthors(&reader, into: &names)
            file.releaseConsumed(upTo: range.upperBound)
        }
        file.restartPass()
        return names
    }

    private static func collectBusinessAuthors(_ reader: inout JSONReader, into names: inout Set<String>) throws {
        reader.maxStringBytes = ImportLimits.maxMessageBytes
        guard !reader.atEnd() else { return }
        try reader.expect(0x7B)
        if try reader.consume(0x7D) { return }
        repeat {
            guard try reader.peek() == 0x22 else { throw reader.fail("expected a quoted key") }
            let key = try reader.string()
            try reader.expect(0x3A)
            guard key == "messages", try reader.consume(0x5B) else {
                try reader.skipValue()
                continue
            }
            if try reader.consume(0x5D) { continue }
            repeat {
                guard try reader.consume(0x7B) else {
                    try reader.skipValue()
                    continue
                }
                var role: String?
                var author: String?
                if try !reader.consume(0x7D) {
                    repeat {
                        guard try reader.peek() == 0x22 else { throw reader.fail("expected a quoted key") }
                        let field = try reader.string()
                        try reader.expect(0x3A)
                        if field == "role" || field == "author", try reader.peek() == 0x22 {
                            let value = try reader.string()
                            if field == "role" { role = value } else { author = value }
                        } else {
                            try reader.skipValue()
                        }
                    } while try reader.consume(0x2C)
                    try reader.expect(0x7D)
                }
                if role == "staff" || role == "bot", let author { names.insert(author) }
            } while try reader.consume(0x2C)
            try reader.expect(0x5D)
        } while try reader.consume(0x2C)
    }

    /// The id of the dialogue on the line starting at `offset` (read again only to confirm a repeat).
    private func id(onLineAt offset: Int) -> String? {
        var cursor = LineCursor(bytes: file.bytes, file: file.path, maxLineBytes: Self.maxLineBytes)
        cursor.skip(to: offset)
        guard let range = try? cursor.next() else { return nil }
        var reader = JSONReader(bytes: file.bytes, range: range)
        reader.maxValues = Self.maxValuesPerLine
        return (try? reader.value())?["id"]?.string
    }

    private func dialogue(from value: JSONValue, line: Int) throws -> RawDialogue {
        guard let object = value.object else {
            throw malformed(line, "the line is not a JSON object", fix: "Each line must be one dialogue object with \"id\" and \"messages\".")
        }
        guard let id = object["id"]?.string, !id.isEmpty else {
            throw malformed(line, "the dialogue has no \"id\" string", fix: "Add \"id\":\"…\" to the object.")
        }
        guard let rawMessages = object["messages"]?.array, !rawMessages.isEmpty else {
            throw malformed(line, "the dialogue has no \"messages\" array (or it is empty)", fix: "Add the dialogue's messages as a non-empty array.")
        }
        var messages: [RawMessage] = []
        messages.reserveCapacity(rawMessages.count)
        for (index, rawMessage) in rawMessages.enumerated() {
            let position = "message \(index + 1) of the dialogue"
            guard let fields = rawMessage.object else {
                throw malformed(line, "\(position) is not an object", fix: "Write each message as {\"at\",\"role\",\"author\",\"text\"}.")
            }
            guard let atText = fields["at"]?.string, let at = ChatTime.parseISO8601(Substring(atText), zone: options.zone) else {
                throw malformed(line, "\(position) has no valid \"at\" time (\(Self.describe(fields["at"])))", fix: "Use ISO-8601 such as 2025-01-05T14:00:00+03:00.")
            }
            guard let roleText = fields["role"]?.string, let role = Role(rawValue: roleText) else {
                throw malformed(line, "\(position) has no known role (\(Self.describe(fields["role"])))", fix: "Use one of client, staff, bot, system.")
            }
            guard let text = fields["text"]?.string else {
                throw malformed(line, "\(position) has no \"text\" string", fix: "Add \"text\":\"…\" (it may be empty).")
            }
            let author = try optionalString(fields["author"], "author", of: position, line: line) ?? (role == .system ? "system" : "")
            messages.append(RawMessage(at: at, author: author, role: role, text: text, line: line))
        }
        var outcome: Outcome?
        if let outcomeValue = object["outcome"], outcomeValue != .null {
            guard let text = outcomeValue.string, let parsed = Outcome(rawValue: text) else {
                throw malformed(
                    line, "the dialogue's outcome is not one of booked, not_booked, unknown (\(Self.describe(outcomeValue)))",
                    fix: "Use booked, not_booked or unknown, or leave it out.")
            }
            outcome = parsed
        }
        let channel = try optionalString(object["channel"], "channel", of: "the dialogue", line: line) ?? "unknown"
        let business = try optionalString(object["business"], "business", of: "the dialogue", line: line)
        return RawDialogue(
            id: id, channel: channel, business: business,
            chatKey: id, messages: messages, outcome: outcome)
    }

    /// A field that is a string when present. A number author would make one client two
    /// pseudonyms (`42` beside `"42"`), so a wrong type is refused rather than guessed.
    private func optionalString(_ value: JSONValue?, _ key: String, of position: String, line: Int) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case let .string(text)?: return text
        case let other?:
            throw malformed(line, "\(position) has \"\(key)\" as \(other.kindName), not a string", fix: "Write \"\(key)\" as a JSON string, in quotes.")
        }
    }

    /// The kind and size of a value, never the value: it may be personal data.
    static func describe(_ value: JSONValue?) -> String {
        switch value {
        case nil: return "missing"
        case let .string(text)?: return "a string of \(text.count) characters"
        case let other?: return other.kindName
        }
    }

    private func malformed(_ line: Int, _ problem: String, fix: String) -> ImportError {
        .malformed(file: file.path, line: line, problem: problem, fix: fix)
    }
}
