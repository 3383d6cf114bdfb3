import Foundation

/// Masks personal data in text, and turns raw dialogues into anonymized ones: client
/// authors become keyed pseudonyms, staff and bots keep their names, every personal
/// value in the text becomes a per-dialogue placeholder such as `[PHONE_1]` or `[NAME_2]`.
///
/// ```swift
/// let anonymizer = Anonymizer(names: try .bundled(), pseudonyms: key, staff: ["Анна"])
/// anonymizer.mask("Меня зовут Ольга, 8 916 123-45-67") // "Меня зовут [NAME_1], [PHONE_1]"
/// ```
public struct Anonymizer: Sendable {
    public let pseudonyms: Pseudonymizer
    let names: NameDictionary
    let staffNames: Set<String>
    let botNames: Set<String>
    private(set) var keepWords: WordSet
    let numbers: NumberDetector
    let web = WebDetector()
    let addresses = AddressDetector()

    public init(names: NameDictionary, pseudonyms: Pseudonymizer, staff: [String] = [], bots: [String] = [], currentYear: Int = 2026) {
        self.names = names
        self.pseudonyms = pseudonyms
        staffNames = Set(staff.map(Self.normalizeAuthor))
        botNames = Set(bots.map(Self.normalizeAuthor))
        keepWords = WordSet(Self.keptForms(of: staff + bots))
        numbers = NumberDetector(currentYear: currentYear)
    }

    /// Every grammatical form of the words of the business's names, kept unmasked in text.
    static func keptForms(of names: [String]) -> [String] {
        var keep: [String] = []
        for name in names {
            for word in name.split(whereSeparator: { !$0.isLetter }) {
                let folded = NameDictionary.fold(String(word))
                keep += Declension.firstNameForms(folded) + Declension.surnameForms(folded)
            }
        }
        return keep
    }

    /// This anonymizer, also keeping in text the names a file itself gives the staff or bot
    /// role (JSONL, CSV), as if they had been named with `--staff`.
    public func keeping(_ business: [String]) -> Anonymizer {
        guard !business.isEmpty else { return self }
        var copy = self
        copy.keepWords = keepWords.union(WordSet(Self.keptForms(of: business)))
        return copy
    }

    /// Folded, with runs of spaces collapsed: «Салон  Лилия » and «салон лилия» are one author.
    static func normalizeAuthor(_ name: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        var pendingSpace = false
        for byte in name.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            bytes.append(byte)
        }
        return NameDictionary.fold(String(decoding: bytes, as: UTF8.self))
    }

    /// Masks one text on its own (`chattag anonymize`); placeholders are numbered within it.
    public func mask(_ text: String) -> String {
        var book = PlaceholderBook()
        return mask(text, known: [], extraNames: WordSet([String]()), book: &book)
    }

    /// Masks a multi-line text with one numbering of placeholders for the whole text.
    public func maskDocument(_ text: String) -> String {
        var book = PlaceholderBook()
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { mask(String($0), known: [], extraNames: WordSet([String]()), book: &book) }
            .joined(separator: "\n")
    }

    /// Which role an author has, when the export does not say.
    public func role(of message: RawMessage, ownerIDs: Set<String>) -> Role {
        if let role = message.role { return role }
        if let id = message.authorID, ownerIDs.contains(id) { return .staff }
        let normalized = Self.normalizeAuthor(message.author)
        if staffNames.contains(normalized) { return .staff }
        if botNames.contains(normalized) { return .bot }
        return .client
    }

    /// The anonymized dialogue. `idPrefix` and `source` apply to chat exports, whose ids are
    /// derived from the chat and the first message.
    public func anonymize(_ raw: RawDialogue, source: String, idPrefix: String) -> Dialogue {
        var cache = AuthorCache()
        return anonymize(raw, source: source, idPrefix: idPrefix, cache: &cache)
    }

    /// As above, reusing what `cache` already knows of authors seen in earlier dialogues of
    /// the same import (their role, pseudonym and name forms).
    func anonymize(_ raw: RawDialogue, source: String, idPrefix: String, cache: inout AuthorCache) -> Dialogue {
        var book = PlaceholderBook()
        for message in raw.messages where message.text.utf8.contains(0x5B) {
            for found in PlaceholderBook.placeholders(in: Array(message.text.utf8)) { book.reserve(found.kind, found.number) }
        }
        var slots: [Int] = []
        slots.reserveCapacity(raw.messages.count)
        var extra = WordSet([String]())
        var extraFrom: [Int] = []
        for message in raw.messages {
            let slot = cache.slot(for: message, anonymizer: self, ownerIDs: raw.ownerIDs)
            slots.append(slot)
            if (message.role ?? cache.roles[slot]) == .client, !extraFrom.contains(slot) {
                extraFrom.append(slot)
                extra = extraFrom.count == 1 ? cache.nameForms[slot] : extra.union(cache.nameForms[slot])
            }
        }
        var messages: [Message] = []
        messages.reserveCapacity(raw.messages.count)
        for (message, slot) in zip(raw.messages, slots) {
            let role = message.role ?? cache.roles[slot]
            let author: String
            switch role {
            case .client: author = cache.pseudonyms[slot]
            case .system: author = "system"
            case .staff, .bot: author = cache.displayNames[slot]
            }
            messages.append(Message(at: message.at, role: role, author: author, text: mask(message.text, known: message.knownPII, extraNames: extra, book: &book)))
        }
        var id = raw.id.map(dialogueID) ?? ""
        if raw.id == nil, let first = raw.messages.first {
            let stamp = first.at.iso8601.prefix(10)
            let firstAuthor = first.authorID ?? Self.identity(of: first.author)
            id = "\(idPrefix)-\(stamp)-" + pseudonyms.tag("dialogue|\(raw.chatKey)|\(first.at.unixMillis)|\(firstAuthor)")
        }
        var dialogue = Dialogue(id: id, source: source, channel: raw.channel, business: raw.business, messages: messages, outcome: raw.outcome)
        dialogue.phoneKeys = phoneKeys(book: book, raw: raw, slots: slots, cache: cache)
        return dialogue
    }

    /// The keyed forms of the phones masked in the text and of clients whose display name is
    /// a phone, for CRM matching; computed while the phones are still in memory.
    func phoneKeys(book: PlaceholderBook, raw: RawDialogue, slots: [Int], cache: AuthorCache) -> [String] {
        var keys = Set(book.keys(of: .phone).compactMap { PhoneNumber.key($0, with: pseudonyms) })
        var seen: Set<Int> = []
        for (message, slot) in zip(raw.messages, slots) where seen.insert(slot).inserted && (message.role ?? cache.roles[slot]) == .client {
            if Self.identity(of: message.author).hasPrefix("tel:"), let key = PhoneNumber.key(message.author, with: pseudonyms) { keys.insert(key) }
        }
        return keys.sorted()
    }

    /// The folded forms of a client's display-name words (not staff words), masked in that
    /// client's dialogues wherever they appear.
    func nameForms(of author: String) -> WordSet {
        var forms: [String] = []
        for word in author.split(whereSeparator: { !$0.isLetter }) where word.count > 2 {
            let hash = TextTokens.hash(NameDictionary.fold(String(word)))
            if keepWords.contains(hash: hash) || NameDetector.notNames.contains(hash: hash) || NameDetector.weakCues.contains(hash: hash) { continue }
            forms += Declension.firstNameForms(NameDictionary.fold(String(word)))
        }
        return WordSet(forms)
    }

    /// The id a dialogue is stored under. An export's own id is kept unless it holds personal
    /// data (a phone, an e-mail, a name): then it becomes a keyed pseudonymous id, the same on
    /// every import with the same key, so the raw value never reaches reports, exports, batch
    /// files or request headers.
    ///
    /// ```swift
    /// anonymizer.dialogueID("ls-001")          // "ls-001"
    /// anonymizer.dialogueID("+79161234567")    // "id-3fa2b1c45d6e7f80"
    /// ```
    public func dialogueID(_ id: String) -> String {
        mask(id) == id ? id : "id-" + pseudonyms.tag("dialogue-id|" + id, length: 16)
    }

    /// A client's identity for pseudonyms: a phone by its digits, a name folded.
    static func identity(of author: String) -> String {
        var digits: [UInt8] = []
        var phoneLike = true
        for byte in author.utf8 {
            if TextTokens.isDigit(byte) {
                digits.append(byte)
            } else if !(byte == 0x20 || byte == 0x2B || byte == 0x2D || byte == 0x28 || byte == 0x29 || byte >= 0x80) || TextTokens.isASCIILetter(byte) {
                phoneLike = false
            }
        }
        if phoneLike && digits.count >= 7 && !author.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) {
            return "tel:" + String(decoding: digits, as: UTF8.self)
        }
        return "name:" + normalizeAuthor(author)
    }

    func mask(_ text: String, known: [KnownPII], extraNames: WordSet, book: inout PlaceholderBook) -> String {
        let bytes = Array(text.utf8)
        // Placeholders already in the text («Маму зовут [NAME_1]») stay as they are.
        let existing = bytes.contains(0x5B) ? PlaceholderBook.placeholders(in: bytes) : []
        for found in existing { book.reserve(found.kind, found.number) }
        // Bytes already covered by an accepted span: a lookup per byte rather than a scan of every
        // accepted span, so a long message full of phones costs linear time, not quadratic.
        var taken: [Bool] = []
        func claim(_ range: Range<Int>) -> Bool {
            if taken.isEmpty { taken = [Bool](repeating: false, count: bytes.count) }
            for index in range where taken[index] { return false }
            for index in range { taken[index] = true }
            return true
        }
        for found in existing { _ = claim(found.range) }
        var accepted: [PIISpan] = []
        for item in known where !item.text.isEmpty {
            for range in occurrences(of: Array(item.text.utf8), in: bytes) where claim(range) {
                accepted.append(PIISpan(range: range, kind: item.kind, key: NameDictionary.fold(item.text)))
            }
        }
        var spans = web.spans(in: bytes)
        spans += numbers.spans(in: bytes)
        let tokens = TextTokens(bytes)
        spans += addresses.spans(tokens)
        spans += NameDetector(dictionary: names).spans(tokens, keep: keepWords, extra: extraNames)
        guard !spans.isEmpty || !accepted.isEmpty else { return text }
        spans.sort { lhs, rhs in
            if lhs.kind.rank != rhs.kind.rank { return lhs.kind.rank < rhs.kind.rank }
            return lhs.range.count > rhs.range.count
        }
        for span in spans where !span.range.isEmpty && claim(span.range) {
            accepted.append(span)
        }
        guard !accepted.isEmpty else { return text }
        accepted.sort { $0.range.lowerBound < $1.range.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var cursor = 0
        for span in accepted {
            out += bytes[cursor..<span.range.lowerBound]
            out += Array(book.placeholder(for: span.kind, key: span.key).utf8)
            cursor = span.range.upperBound
        }
        out += bytes[cursor...]
        return String(decoding: out, as: UTF8.self)
    }

    private func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var result: [Range<Int>] = []
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle {
                result.append(index..<(index + needle.count))
                index += needle.count
            } else {
                index += 1
            }
        }
        return result
    }
}
