/// Reads canonical JSONL: one dialogue object per line, as docs/formats.md describes.
///
/// ```json
/// {"id":"wa-2025-01-05-017","channel":"whatsapp","messages":[{"at":"2025-01-05T14:00:00+03:00","role":"client","author":"c-71","text":"…"}],"outcome":"booked"}
/// ```
struct JSONLDialogues {
    static let maxLineBytes = 16 << 20

    let file: MappedFile
    let options: ImportOptions

    func read(_ emit: (RawDialogue) throws -> Void) throws {
        var cursor = LineCursor(bytes: file.bytes, file: file.path, maxLineBytes: Self.maxLineBytes)
        var seen: [String: Int] = [:]
        while let range = try cursor.next() {
            let line = cursor.lineNumber
            var reader = JSONReader(bytes: file.bytes, range: range)
            if reader.atEnd() { continue }
            let value: JSONValue
            do {
                value = try reader.value()
                guard reader.atEnd() else { throw reader.fail("text after the end of the JSON object") }
            } catch let failure as JSONReader.Failure {
                if failure.problem.contains("UTF-8") { throw ImportError.invalidUTF8(file: file.path, line: line) }
                throw malformed(
                    line, "broken JSON at column \(failure.offset - range.lowerBound + 1): \(failure.problem)",
                    fix: "Each line must be one complete JSON object; fix or remove this line.")
            }
            let dialogue = try dialogue(from: value, line: line)
            if let earlier = seen[dialogue.id ?? ""] {
                throw malformed(line, "dialogue id \"\(dialogue.id ?? "")\" already appeared on line \(earlier)", fix: "Give every dialogue its own id, or merge the two lines.")
            }
            seen[dialogue.id ?? ""] = line
            try emit(dialogue)
            file.releaseConsumed(upTo: range.upperBound)
        }
    }

    private func dialogue(from value: JSONValue, line: Int) throws -> RawDialogue {
        guard let object = value.object else {
            throw malformed(line, "the line is not a JSON object", fix: "Each line must be one dialogue object with \"id\" and \"messages\".")
        }
        guard let id = object["id"]?.string, !id.isEmpty else {
            throw malformed(line, "the dialogue has no \"id\" string", fix: "Add \"id\":\"…\" to the object.")
        }
        guard let rawMessages = object["messages"]?.array, !rawMessages.isEmpty else {
            throw malformed(line, "dialogue \"\(id)\" has no \"messages\" array (or it is empty)", fix: "Add the dialogue's messages as a non-empty array.")
        }
        var messages: [RawMessage] = []
        messages.reserveCapacity(rawMessages.count)
        for (index, rawMessage) in rawMessages.enumerated() {
            let position = "message \(index + 1) of dialogue \"\(id)\""
            guard let fields = rawMessage.object else {
                throw malformed(line, "\(position) is not an object", fix: "Write each message as {\"at\",\"role\",\"author\",\"text\"}.")
            }
            guard let atText = fields["at"]?.string, let at = ChatTime.parseISO8601(Substring(atText), zone: options.zone) else {
                throw malformed(line, "\(position) has no valid \"at\" time (\(fields["at"].map { "\($0)" } ?? "missing"))", fix: "Use ISO-8601 such as 2025-01-05T14:00:00+03:00.")
            }
            guard let roleText = fields["role"]?.string, let role = Role(rawValue: roleText) else {
                throw malformed(line, "\(position) has role \(fields["role"]?.string.map { "\"\($0)\"" } ?? "missing")", fix: "Use one of client, staff, bot, system.")
            }
            guard let text = fields["text"]?.string else {
                throw malformed(line, "\(position) has no \"text\" string", fix: "Add \"text\":\"…\" (it may be empty).")
            }
            let author = fields["author"]?.string ?? (role == .system ? "system" : "")
            messages.append(RawMessage(at: at, author: author, role: role, text: text, line: line))
        }
        var outcome: Outcome?
        if let outcomeValue = object["outcome"], outcomeValue != .null {
            guard let text = outcomeValue.string, let parsed = Outcome(rawValue: text) else {
                throw malformed(line, "dialogue \"\(id)\" has outcome \(outcomeValue)", fix: "Use booked, not_booked or unknown, or leave it out.")
            }
            outcome = parsed
        }
        return RawDialogue(
            id: id, channel: object["channel"]?.string ?? "unknown", business: object["business"]?.string,
            chatKey: id, messages: messages, outcome: outcome)
    }

    private func malformed(_ line: Int, _ problem: String, fix: String) -> ImportError {
        .malformed(file: file.path, line: line, problem: problem, fix: fix)
    }
}
