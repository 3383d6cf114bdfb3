import Foundation

/// The curated dictionary of first names (with diminutives and case forms), surnames and
/// names that are also ordinary words, shipped as resources in `Anonymize/Resources`.
public struct NameDictionary: Sendable {
    /// What the dictionary knows about a word form.
    public struct Entry: Sendable, Hashable {
        /// The full nominative name, lowercase (`мария` for «Машеньке»): one placeholder per person.
        public var canonical: String
        /// The form is also an ordinary word (вера, роза, мая): masked only when context says it is a name.
        public var ambiguous: Bool
    }

    var firstNames = HashMap64<Entry>(capacity: 40_000)
    var surnames = HashMap64<String>(capacity: 20_000)

    public init(firstNamesText: String, lookalikesText: String, surnamesText: String) {
        let lookalikes = Set(lookalikesText.split(whereSeparator: \.isNewline).map { Self.fold(String($0).trimmingCharacters(in: .whitespaces)) })
            .union(Self.builtInLookalikes)
        for line in firstNamesText.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count >= 3, !line.hasPrefix("#") else { continue }
            let isCyrillic = parts[0] == "ru"
            let canonical = Self.fold(String(parts[2]))
            var variants = [canonical]
            if parts.count > 3 {
                variants += parts[3].split(separator: ",").map { Self.fold(String($0).trimmingCharacters(in: .whitespaces)) }
            }
            for variant in variants where !variant.isEmpty {
                let forms = isCyrillic ? Declension.firstNameForms(variant) : [variant]
                for form in forms where firstNames[TextTokens.hash(form)] == nil || form == variant {
                    firstNames[TextTokens.hash(form)] = Entry(canonical: canonical, ambiguous: lookalikes.contains(form))
                }
            }
        }
        for line in surnamesText.split(whereSeparator: \.isNewline) {
            let surname = Self.fold(String(line).trimmingCharacters(in: .whitespaces))
            guard !surname.isEmpty, !surname.hasPrefix("#") else { continue }
            for form in Declension.surnameForms(surname) where !lookalikes.contains(form) {
                surnames[TextTokens.hash(form)] = surname
            }
        }
    }

    /// Words that collide with names in a case form and appear all the time in bookings.
    static let builtInLookalikes: Set<String> = [
        "марта", "мая", "августа", "роман", "романа", "роману", "романом", "романе", "мира", "миру", "мир", "слава", "славы",
        "славу", "вера", "веры", "вере", "веру", "верой", "надежда", "надежды", "надежде", "надежду", "надеждой", "любовь",
        "любви", "любовью", "роза", "розы", "розе", "розу", "розой", "лилия", "лилии", "лилию", "лев", "льва", "тома",
        "том", "ника", "юна", "мила", "ангелина", "злата", "майя", "дина", "will", "mark", "may", "june", "april", "grace",
        "hope", "faith", "joy", "rose", "bill", "art", "sue", "pat", "max", "jack", "sky", "summer", "dawn", "eve", "ray",
        "rich", "frank", "don", "guy", "sunny", "amber", "ivy", "holly", "iris", "violet", "ruby", "olive", "jade", "chase",
        "hunter", "miles", "page", "august", "march", "victoria", "virginia", "carol", "gene", "dean", "lily", "daisy",
        "ян", "яна", "ники", "дана", "кира", "алла", "ася", "ия", "ли",
    ]

    /// The dictionary compiled into the binary from `Anonymize/Resources/*.txt`
    /// (`scripts/embed-resources.py`), so a copied binary needs no files beside it.
    public static func bundled() throws -> NameDictionary {
        NameDictionary(firstNamesText: ShippedNames.firstNames, lookalikesText: ShippedNames.lookalikes, surnamesText: ShippedNames.surnames)
    }

    /// Lowercases and folds ё to е, the key of every lookup.
    static func fold(_ word: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(word.utf8)
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let letter = TextTokens.letterLength(bytes, index)
            if letter > 0 {
                TextTokens.appendFolded(bytes, index, letter, to: &out)
                index += letter
            } else if bytes[index] < 0x80 {
                out.append(bytes[index])
                index += 1
            } else {
                // Scripts beyond Latin-1 and Russian Cyrillic: let Foundation lowercase them.
                return word.lowercased().replacingOccurrences(of: "ё", with: "е")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The entry of a folded word form (`марии`), or nil.
    public func firstName(_ folded: String) -> Entry? { firstNames[TextTokens.hash(folded)] }
    /// The masculine nominative of a folded surname form (`ивановой` → `иванов`), or nil.
    public func surname(_ folded: String) -> String? { surnames[TextTokens.hash(folded)] }

    func firstName(_ token: TextToken) -> Entry? { firstNames[token.hash] }
    func surname(_ token: TextToken) -> String? { surnames[token.hash] }
}

/// Why the anonymizer could not start.
public enum AnonymizerError: Error, CustomStringConvertible {
    case keyFile(path: String, reason: String)

    public var description: String {
        switch self {
        case let .keyFile(path, reason):
            return "\(path): cannot use the pseudonym key file (\(reason)). Set CHATTAG_PSEUDONYM_KEY or fix the file's permissions."
        }
    }
}
