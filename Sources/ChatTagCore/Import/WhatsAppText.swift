import Foundation

/// Reads WhatsApp's "Export chat" text (Android and iOS; Russian and English locales):
///
/// ```
/// 04.03.2025, 10:02 - Мария Петрова: Здравствуйте            Android, 24 h
/// 3/4/25, 10:02 PM - John Smith: Hi                           Android, 12 h (U+202F before PM)
/// [04.03.2025, 10:02:11] Мария Петрова: Здравствуйте          iOS (CRLF, U+200E marks)
/// ```
///
/// Day-first or month-first is decided from the whole file; lines without a header continue the
/// previous message; the end-to-end encryption notice is dropped; other sender-less lines become
/// `system` messages; media and deleted messages keep a placeholder.
struct WhatsAppText {
    static let maxLineBytes = 1 << 20

    let bytes: UnsafeBufferPointer<UInt8>
    let path: String
    let chatKey: String
    let options: ImportOptions
    /// Hands back the pages before an offset (see ``MappedFile/releaseConsumed(upTo:)``).
    var release: (Int) -> Void = { _ in }
    /// Called between the two passes over the file (see ``MappedFile/restartPass()``).
    var restart: () -> Void = {}

    struct Header {
        var first: Int, second: Int, third: Int
        var yearFirst: Bool
        var hour: Int, minute: Int, second_: Int
        var meridiem: UInt8?
        var separator: UInt8
        var bodyStart: Int
        var bracketed: Bool
    }

    /// True when the first non-empty line of the buffer is a WhatsApp message header.
    /// Only a line's first KiB is looked at, so a header followed by an endless message is still
    /// recognised (and then refused by line, as too long).
    static func looksLikeWhatsApp(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        for _ in 0..<5 {
            guard start < bytes.count else { return false }
            var end = start
            while end < bytes.count, end - start < 1024, bytes[end] != 0x0A { end += 1 }
            let lineEnd = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
            if lineEnd > start { return parseHeader(bytes, start..<lineEnd) != nil }
            start = end + 1
        }
        return false
    }

    /// Emits the chat's dialogues; returns how many messages were dropped on purpose (the
    /// end-to-end encryption notice, with any lines that continue it).
    @discardableResult
    func read(_ emit: (RawDialogue) throws -> Void) throws -> Int {
        let dayFirst = try decideDayFirst()
        var skipped = 0
        var cursor = LineCursor(bytes: bytes, file: path, maxLineBytes: Self.maxLineBytes)
        var splitter = SessionSplitter(options: options, channel: "whatsapp", chatKey: chatKey, file: path)
        var pending: RawMessage?
        var sawHeader = false
        func deliver(_ message: RawMessage?) throws {
            guard var message else { return }
            message.text = Self.normalizeBody(message.text)
            if let dialogue = try splitter.add(message) { try emit(dialogue) }
        }
        while let range = try cursor.next() {
            guard let header = Self.parseHeader(bytes, range) else {
                guard sawHeader else {
                    if range.isEmpty { continue }
                    throw ImportError.malformed(
                        file: path, line: cursor.lineNumber, problem: "the line does not start with a WhatsApp date and time",
                        fix: "Import the .txt file exactly as WhatsApp's \"Export chat\" wrote it, or name another --format.")
                }
                if let start = pending?.line {
                    // Checked before joining, so a message of a million lines stops at the limit.
                    guard pending!.text.utf8.count + 1 + range.count <= ImportLimits.maxMessageBytes else {
                        throw ImportError.messageTooLong(file: path, line: start, limit: ImportLimits.maxMessageBytes)
                    }
                    pending!.text += "\n" + (try cursor.string(range))
                }
                continue
            }
            sawHeader = true
            try deliver(pending)
            pending = nil
            release(range.lowerBound)
            guard let at = time(of: header, dayFirst: dayFirst) else {
                throw ImportError.malformed(file: path, line: cursor.lineNumber, problem: "the date or time is not a real one", fix: "Check the line; the export may be damaged.")
            }
            pending = try message(bodyRange: header.bodyStart..<range.upperBound, at: at, cursor: cursor, bracketed: header.bracketed)
            if pending == nil { skipped += 1 }
        }
        try deliver(pending)
        if let dialogue = splitter.flush() { try emit(dialogue) }
        if !sawHeader { throw ImportError.empty(file: path) }
        return skipped
    }

    /// Splits "Sender: text" on the bytes and recognises notices; nil drops the line.
    private func message(bodyRange: Range<Int>, at: ChatTime, cursor: LineCursor, bracketed: Bool) throws -> RawMessage? {
        let line = cursor.lineNumber
        var colon = -1
        var index = bodyRange.lowerBound
        while index + 1 < bodyRange.upperBound {
            if bytes[index] == 0x3A && bytes[index + 1] == 0x20 {
                colon = index
                break
            }
            index += 1
        }
        guard colon >= 0 else {
            let text = Self.stripMarks(try cursor.string(bodyRange))
            if Self.isEncryptionNotice(text) { return nil }
            return RawMessage(at: at, author: "system", role: .system, text: text, line: line)
        }
        let author = Self.trimSpaces(Self.stripMarks(try cursor.string(bodyRange.lowerBound..<colon)))
        let textStart = colon + 2
        let marked = textStart + 2 < bodyRange.upperBound && bytes[textStart] == 0xE2 && bytes[textStart + 1] == 0x80 && bytes[textStart + 2] == 0x8E
        let text = Self.stripMarks(try cursor.string(textStart..<bodyRange.upperBound))
        if Self.isEncryptionNotice(text) { return nil }
        if bracketed, marked, !Self.isMediaOrDeleted(text) {
            return RawMessage(at: at, author: "system", role: .system, text: text, line: line)
        }
        return RawMessage(at: at, author: author, text: text, line: line)
    }

    static func stripMarks(_ text: String) -> String { ByteSearch.stripInvisibleMarks(text) }

    static func isEncryptionNotice(_ text: String) -> Bool {
        text.utf8.count > 60 && (ByteSearch.contains(text, "сквозным шифрованием") || ByteSearch.contains(text, "end-to-end encrypted"))
    }

    static let mediaMarkers = [
        "<Без медиафайлов>", "<Media omitted>", "изображение отсутствует", "видео отсутствует", "аудиофайл отсутствует",
        "стикер отсутствует", "GIF отсутствует", "документ отсутствует", "image omitted", "video omitted", "audio omitted",
        "sticker omitted", "GIF omitted", "document omitted", "Contact card omitted", "карточка контакта отсутствует",
    ]
    static let deletedMarkers = [
        "Данное сообщение удалено", "Это сообщение удалено", "Вы удалили данное сообщение", "Вы удалили это сообщение",
        "This message was deleted", "You deleted this message",
    ]

    static let deletedHashes = Set(deletedMarkers.flatMap { [TextTokens.hash($0), TextTokens.hash($0 + ".")] })
    static let mediaHashes = Set(mediaMarkers.flatMap { [TextTokens.hash($0), TextTokens.hash($0 + ".")] })

    static func isMediaOrDeleted(_ text: String) -> Bool {
        let trimmed = trimSpaces(text)
        let hash = TextTokens.hash(trimmed)
        return trimmed.utf8.first == 0x3C || deletedHashes.contains(hash) || mediaHashes.contains(hash)
    }

    static func trimSpaces(_ text: String) -> String { ByteSearch.trimSpaces(text) }

    /// Media and deletion placeholders become `[MEDIA]` and `[DELETED]` (an attachment's file
    /// name can carry a phone number); the "edited" marker is dropped.
    static func normalizeBody(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        // Placeholders are whole short messages or start with '<'; the edited marker ends with '>'.
        guard first == 0x3C || last == 0x3E || first == 0x20 || last == 0x20 || last == 0x2E || text.utf8.count <= 64 else { return text }
        var trimmed = trimSpaces(text)
        if last == 0x3E {
            for marker in ["<Это сообщение было изменено>", "<This message was edited>", "<Сообщение изменено>"] where trimmed.hasSuffix(marker) {
                trimmed = trimSpaces(String(trimmed.dropLast(marker.count)))
            }
        }
        let hash = TextTokens.hash(trimmed)
        if deletedHashes.contains(hash) { return "[DELETED]" }
        if mediaHashes.contains(hash) { return "[MEDIA]" }
        guard trimmed.utf8.first == 0x3C else { return trimmed }
        if mediaMarkers.contains(where: trimmed.hasPrefix) || trimmed.hasPrefix("<attached:") || trimmed.hasPrefix("<прикреплено:") || trimmed.hasPrefix("<вложение:") {
            if let close = trimmed.firstIndex(of: ">"), trimmed.hasPrefix("<") {
                let caption = trimmed[trimmed.index(after: close)...].trimmingCharacters(in: .whitespacesAndNewlines)
                return caption.isEmpty ? "[MEDIA]" : "[MEDIA] " + caption
            }
            return "[MEDIA]"
        }
        return trimmed
    }

    /// Day-first or month-first, decided over every header of the file: a date such as 25/03
    /// reads only day-first, 03/25 only month-first. A file holding both cannot be read with one
    /// order, so it is refused at the first line that conflicts with an earlier one. With no such
    /// date, slashes with AM/PM mean month-first (US English), anything else day-first.
    private func decideDayFirst() throws -> Bool {
        var cursor = LineCursor(bytes: bytes, file: path, maxLineBytes: Self.maxLineBytes)
        var dayFirstLine: Int?
        var monthFirstLine: Int?
        var slashWithMeridiem = false
        defer { restart() }
        while let range = try cursor.next() {
            release(range.lowerBound)
            guard let header = Self.parseHeader(bytes, range), !header.yearFirst else { continue }
            // Over 12 on both sides is no date in either order; the second pass names it.
            if header.first > 12 && header.second > 12 { continue }
            if header.first > 12, dayFirstLine == nil { dayFirstLine = cursor.lineNumber }
            if header.second > 12, monthFirstLine == nil { monthFirstLine = cursor.lineNumber }
            if header.separator == 0x2F && header.meridiem != nil { slashWithMeridiem = true }
            if let dayFirstLine, let monthFirstLine {
                let (line, earlier) = (max(dayFirstLine, monthFirstLine), min(dayFirstLine, monthFirstLine))
                let (reads, other) = line == dayFirstLine ? ("day-first", "month-first") : ("month-first", "day-first")
                throw ImportError.malformed(
                    file: path, line: line, problem: "the date reads only \(reads), but the date on line \(earlier) reads only \(other)",
                    fix: "One WhatsApp export uses one date order; the lines probably come from two exports or were edited. Fix the date or split the file, then import again.")
            }
        }
        if dayFirstLine != nil { return true }
        if monthFirstLine != nil { return false }
        return !slashWithMeridiem
    }

    private func time(of header: Header, dayFirst: Bool) -> ChatTime? {
        var year: Int, month: Int, day: Int
        if header.yearFirst {
            (year, month, day) = (header.first, header.second, header.third)
        } else {
            year = header.third < 100 ? 2000 + header.third : header.third
            (day, month) = dayFirst ? (header.first, header.second) : (header.second, header.first)
        }
        var hour = header.hour
        if let meridiem = header.meridiem {
            guard (1...12).contains(hour) else { return nil }
            if meridiem == 0x41 { hour = hour == 12 ? 0 : hour } else { hour = hour == 12 ? 12 : hour + 12 }
        }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid, hour < 24, header.minute < 60, header.second_ < 60 else { return nil }
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + header.minute * 60 + header.second_)
        let offset = options.zone.offset(forLocalSeconds: local)
        return ChatTime(unixMillis: (local - Int64(offset)) * 1000, offsetSeconds: offset)
    }

    /// Parses `[d.m.y, h:mm:ss] ` or `d.m.y, h:mm - ` (with `/` or `-` separators, optional AM/PM).
    static func parseHeader(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Header? {
        var index = range.lowerBound
        let end = range.upperBound
        func skipMarks() {
            while index + 2 < end, bytes[index] == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] == 0x8E || bytes[index + 2] == 0x8F {
                index += 3
            }
            if index + 2 < end, bytes[index] == 0xEF, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF { index += 3 }
        }
        func digits(max: Int) -> (value: Int, count: Int)? {
            var value = 0
            var count = 0
            while index < end, count < max, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value * 10 + Int(bytes[index] - 0x30)
                count += 1
                index += 1
            }
            return count == 0 ? nil : (value, count)
        }
        func skipSpaces() {
            while index < end {
                if bytes[index] == 0x20 {
                    index += 1
                } else if index + 1 < end, bytes[index] == 0xC2, bytes[index + 1] == 0xA0 {
                    index += 2
                } else if index + 2 < end, bytes[index] == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] == 0xAF {
                    index += 3
                } else {
                    return
                }
            }
        }
        skipMarks()
        let bracketed = index < end && bytes[index] == 0x5B
        if bracketed { index += 1 }
        guard let first = digits(max: 4) else { return nil }
        guard index < end else { return nil }
        let separator = bytes[index]
        guard separator == 0x2E || separator == 0x2F || separator == 0x2D else { return nil }
        index += 1
        guard let second = digits(max: 2), index < end, bytes[index] == separator else { return nil }
        index += 1
        guard let third = digits(max: 4) else { return nil }
        let yearFirst = first.count == 4
        guard yearFirst ? third.count <= 2 : (first.count <= 2 && (third.count == 2 || third.count == 4)) else { return nil }
        if index < end, bytes[index] == 0x2C { index += 1 }
        skipSpaces()
        guard let hour = digits(max: 2), index < end, bytes[index] == 0x3A else { return nil }
        index += 1
        guard let minute = digits(max: 2), minute.count == 2 else { return nil }
        var secondValue = 0
        if index < end, bytes[index] == 0x3A {
            index += 1
            guard let parsed = digits(max: 2), parsed.count == 2 else { return nil }
            secondValue = parsed.value
        }
        let beforeMeridiem = index
        skipSpaces()
        var meridiem: UInt8?
        if index + 1 < end {
            let letter = bytes[index] & 0xDF
            let next = bytes[index + 1] & 0xDF
            if (letter == 0x41 || letter == 0x50) && next == 0x4D {
                meridiem = letter
                index += 2
            } else if (letter == 0x41 || letter == 0x50) && bytes[index + 1] == 0x2E, index + 3 < end, bytes[index + 2] & 0xDF == 0x4D, bytes[index + 3] == 0x2E {
                meridiem = letter
                index += 4
            }
        }
        if meridiem == nil { index = beforeMeridiem }
        if bracketed {
            guard index < end, bytes[index] == 0x5D else { return nil }
            index += 1
            skipSpaces()
        } else {
            skipSpaces()
            if index < end, bytes[index] == 0x2D {
                index += 1
            } else if index + 2 < end, bytes[index] == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] == 0x93 {
                index += 3
            } else {
                return nil
            }
            guard index < end, bytes[index] == 0x20 else { return nil }
            index += 1
        }
        return Header(
            first: first.value, second: second.value, third: third.value, yearFirst: yearFirst,
            hour: hour.value, minute: minute.value, second_: secondValue, meridiem: meridiem,
            separator: separator, bodyStart: index, bracketed: bracketed)
    }
}
