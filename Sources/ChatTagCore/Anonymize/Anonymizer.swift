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
    let keepWords: Set<String>
    let numbers: NumberDetector
    let web = WebDetector()
    let addresses = AddressDetector()

    public init(names: NameDictionary, pseudonyms: Pseudonymizer, staff: [String] = [], bots: [String] = [], currentYear: Int = 2026) {
        self.names = names
        self.pseudonyms = pseudonyms
        staffNames = Set(staff.map(Self.normalizeAuthor))
        botNames = Set(bots.map(Self.normalizeAuthor))
        var keep: Set<String> = []
        for name in staff + bots {
            for word in name.split(whereSeparator: { !$0.isLetter }) {
                let folded = NameDictionary.fold(String(word))
                keep.formUnion(Declension.firstNameForms(folded))
                keep.formUnion(Declension.surnameForms(folded))
            }
        }
        keepWords = keep
        numbers = NumberDetector(currentYear: currentYear)
    }

    static func normalizeAuthor(_ name: String) -> String {
        NameDictionary.fold(name.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }

    /// Masks one text on its own (`chattag anonymize`); placeholders are numbered within it.
    public func mask(_ text: String) -> String {
        var book = PlaceholderBook()
        return mask(text, known: [], extraNames: [], book: &book)
    }

    /// Masks a multi-line text with one numbering of placeholders for the whole text.
    public func maskDocument(_ text: String) -> String {
        var book = PlaceholderBook()
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { mask(String($0), known: [], extraNames: [], book: &book) }
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
        var book = PlaceholderBook()
        var extra: Set<String> = []
        var roles: [Role] = []
        roles.reserveCapacity(raw.messages.count)
        for message in raw.messages {
            let role = role(of: message, ownerIDs: raw.ownerIDs)
            roles.append(role)
            if role == .client {
                for word in message.author.split(whereSeparator: { !$0.isLetter }) where word.count > 1 {
                    let folded = NameDictionary.fold(String(word))
                    if !keepWords.contains(folded) { extra.formUnion(Declension.firstNameForms(folded)) }
                }
            }
        }
        var messages: [Message] = []
        messages.reserveCapacity(raw.messages.count)
        var authorCache: [String: String] = [:]
        for (message, role) in zip(raw.messages, roles) {
            let author: String
            switch role {
            case .client:
                let identity = message.authorID ?? Self.identity(of: message.author)
                if let cached = authorCache[identity] {
                    author = cached
                } else {
                    author = pseudonyms.client(identity)
                    authorCache[identity] = author
                }
            case .system:
                author = "system"
            case .staff, .bot:
                author = message.author.trimmingCharacters(in: .whitespaces)
            }
            messages.append(Message(at: message.at, role: role, author: author, text: mask(message.text, known: message.knownPII, extraNames: extra, book: &book)))
        }
        var id = raw.id ?? ""
        if raw.id == nil, let first = raw.messages.first {
            let date = first.at.local.date
            let stamp = String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
            let firstAuthor = first.authorID ?? Self.identity(of: first.author)
            id = "\(idPrefix)-\(stamp)-" + pseudonyms.tag("dialogue|\(raw.chatKey)|\(first.at.unixMillis)|\(firstAuthor)")
        }
        return Dialogue(id: id, source: source, channel: raw.channel, business: raw.business, messages: messages, outcome: raw.outcome)
    }

    /// A client's identity for pseudonyms: a phone by its digits, a name folded.
    static func identity(of author: String) -> String {
        let digits = author.filter(\.isNumber)
        if digits.count >= 7 && author.allSatisfy({ $0.isNumber || " +-()\u{00A0}\u{202F}".contains($0) }) { return "tel:" + digits }
        return "name:" + normalizeAuthor(author)
    }

    func mask(_ text: String, known: [KnownPII], extraNames: Set<String>, book: inout PlaceholderBook) -> String {
        let bytes = Array(text.utf8)
        var accepted: [PIISpan] = []
        for item in known where !item.text.isEmpty {
            for range in occurrences(of: Array(item.text.utf8), in: bytes) where !accepted.contains(where: { $0.range.overlaps(range) }) {
                accepted.append(PIISpan(range: range, kind: item.kind, key: NameDictionary.fold(item.text)))
            }
        }
        var spans = web.spans(in: bytes)
        spans += numbers.spans(in: bytes)
        spans += addresses.spans(in: bytes)
        spans += NameDetector(dictionary: names).spans(words: WordTokens.words(bytes), bytes: bytes, keep: keepWords, extra: extraNames)
        guard !spans.isEmpty || !accepted.isEmpty else { return text }
        spans.sort { lhs, rhs in
            if lhs.kind.rank != rhs.kind.rank { return lhs.kind.rank < rhs.kind.rank }
            return lhs.range.count > rhs.range.count
        }
        for span in spans where !span.range.isEmpty && !accepted.contains(where: { $0.range.overlaps(span.range) }) {
            accepted.append(span)
        }
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

import Foundation
