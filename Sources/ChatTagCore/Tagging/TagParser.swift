import Foundation

/// Reads a model's reply into tag values: the JSON object (also when the model wrapped it in
/// prose or a code fence), only the fields the template declares, values normalized
/// (case, Russian synonyms such as «запись» → booking, "да" → true) and checked against the
/// taxonomy.
public struct TagParser: Sendable {
    public let taxonomy: Taxonomy

    public init(taxonomy: Taxonomy) {
        self.taxonomy = taxonomy
    }

    /// Why a reply was rejected; the text is shown to the model in the one repair request.
    public struct Rejection: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    static let synonyms: [String: String] = [
        "запись": "booking", "записаться": "booking", "бронь": "booking", "бронирование": "booking", "перенос": "booking",
        "отмена": "booking", "book": "booking", "appointment": "booking",
        "вопрос": "question", "консультация": "question", "inquiry": "question", "enquiry": "question",
        "жалоба": "complaint", "претензия": "complaint",
        "другое": "other", "прочее": "other", "иное": "other",
        "позитивный": "positive", "позитив": "positive", "положительный": "positive", "позитивная": "positive",
        "нейтральный": "neutral", "нейтрально": "neutral", "нейтральная": "neutral",
        "негативный": "negative", "негатив": "negative", "отрицательный": "negative", "негативная": "negative",
        "да": "true", "yes": "true", "нет": "false", "no": "false", "1": "true", "0": "false",
    ]

    /// A value without surrounding space, in lower case, ё as е (standard-library calls:
    /// Foundation's go through NSString on Linux).
    static func folded(_ text: String) -> String {
        PromptTemplate.trimmed(text).lowercased().replacing("ё", with: "е")
    }

    /// The tag values of a reply, or the reason it is not a valid tag.
    public func parse(_ reply: String) -> Result<TagValues, Rejection> {
        guard let object = Self.extractObject(reply) else {
            return .failure(Rejection(reason: "the reply contains no JSON object"))
        }
        var values: TagValues = [:]
        for field in taxonomy.fields {
            guard let raw = object[field.name] else {
                return .failure(Rejection(reason: "the field \"\(field.name)\" is missing"))
            }
            let text: String
            switch raw {
            case let .bool(flag): text = flag ? "true" : "false"
            case let .string(value): text = value
            case let .number(value): text = value == 1 ? "1" : value == 0 ? "0" : String(value)
            default: return .failure(Rejection(reason: "\"\(field.name)\" must be one of \(field.values.joined(separator: ", "))"))
            }
            // A value as the taxonomy spells it is the common case; anything else is compared
            // folded (case, ё, surrounding space) with the folded values, then as a synonym.
            let normalized: String
            if field.values.contains(text) {
                normalized = text
            } else {
                let folded = Self.folded(text)
                normalized = field.values.first { Self.folded($0) == folded } ?? Self.synonyms[folded] ?? folded
            }
            guard field.values.contains(normalized) else {
                return .failure(Rejection(reason: "\"\(field.name)\" is \"\(text)\", which is not one of \(field.values.joined(separator: ", "))"))
            }
            values[field.name] = normalized
        }
        return .success(taxonomy.deriving(values))
    }

    /// The first complete JSON object in a text: the whole text, a ```json fence, or the
    /// first balanced `{…}` inside prose.
    static func extractObject(_ text: String) -> [String: JSONValue]? {
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            guard let open = bytes[start...].firstIndex(of: 0x7B) else { return nil }
            var depth = 0
            var inString = false
            var escaped = false
            var index = open
            while index < bytes.count {
                let byte = bytes[index]
                if inString {
                    if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                } else if byte == 0x22 {
                    inString = true
                } else if byte == 0x7B {
                    depth += 1
                } else if byte == 0x7D {
                    depth -= 1
                    if depth == 0 { break }
                }
                index += 1
            }
            guard index < bytes.count else { return nil }
            let parsed: JSONValue? = bytes.withUnsafeBufferPointer { buffer in
                var reader = JSONReader(bytes: buffer, range: open..<(index + 1))
                guard let value = try? reader.value(), reader.atEnd() else { return nil }
                return value
            }
            if let object = parsed?.object { return object }
            start = open + 1
        }
        return nil
    }
}
