import Foundation

/// One token of a reply with its log-probability and the most likely alternatives at its
/// place (`logprobs.content[]` of a chat completion: OpenAI and llama.cpp's server send it).
public struct TokenLogprob: Sendable, Equatable {
    public struct Alternative: Sendable, Equatable {
        public var text: String
        public var logprob: Double

        public init(text: String, logprob: Double) {
            self.text = text
            self.logprob = logprob
        }
    }

    public var text: String
    public var logprob: Double
    public var top: [Alternative]

    public init(text: String, logprob: Double, top: [Alternative]) {
        self.text = text
        self.logprob = logprob
        self.top = top
    }
}

/// How sure the model was of each field: the probability of the value it chose, normalised
/// over the field's allowed values, read from the log-probabilities at the token where the
/// value starts. A derived field is as sure as the least sure field it reads.
public enum FieldConfidence {
    /// Confidence (0…1) per field of `values`, from a reply's `content` and its tokens;
    /// a field whose value token cannot be found gets none.
    public static func confidences(content: String, tokens: [TokenLogprob], values: TagValues, taxonomy: Taxonomy) -> [String: Double] {
        guard !tokens.isEmpty else { return [:] }
        // The character offset where each token starts in the content.
        var starts: [Int] = []
        var offset = 0
        for token in tokens {
            starts.append(offset)
            offset += token.text.count
        }
        let characters = Array(content)
        var result: [String: Double] = [:]
        for field in taxonomy.fields {
            guard let chosen = values[field.name], let start = valueStart(of: field.name, in: characters),
                let index = starts.lastIndex(where: { $0 <= start }), index < tokens.count
            else { continue }
            let token = tokens[index]
            // What the token holds from the value's start on: a token may begin with the quote or a space.
            let skip = start - starts[index]
            let own = Self.stripped(String(token.text.dropFirst(max(0, skip))))
            var mass: [String: Double] = [:]
            var alternatives = token.top
            if !alternatives.contains(where: { $0.text == token.text }) { alternatives.append(.init(text: token.text, logprob: token.logprob)) }
            for alternative in alternatives {
                let text = alternative.text == token.text ? own : Self.stripped(alternative.text)
                guard !text.isEmpty else { continue }
                // An alternative counts for every allowed value it could begin.
                for value in field.values where value.lowercased().hasPrefix(text.lowercased()) {
                    mass[value, default: 0] += exp(alternative.logprob)
                }
            }
            let total = mass.values.reduce(0, +)
            guard total > 0, let chosenMass = mass[chosen] else { continue }
            result[field.name] = min(1, chosenMass / total)
        }
        for derived in taxonomy.derived {
            let read = derived.reads
            let known = read.compactMap { result[$0] }
            if !known.isEmpty && known.count == read.count { result[derived.name] = known.min() }
        }
        return result
    }

    /// The offset of the first character of `field`'s value in a JSON text (after `"field":`,
    /// spaces and an opening quote), or nil.
    static func valueStart(of field: String, in characters: [Character]) -> Int? {
        let key = Array("\"\(field)\"")
        guard characters.count > key.count else { return nil }
        var index = 0
        while index + key.count <= characters.count {
            if Array(characters[index..<(index + key.count)]) == key {
                var position = index + key.count
                while position < characters.count, characters[position] == " " { position += 1 }
                guard position < characters.count, characters[position] == ":" else {
                    index += 1
                    continue
                }
                position += 1
                while position < characters.count, characters[position] == " " || characters[position] == "\"" { position += 1 }
                return position < characters.count ? position : nil
            }
            index += 1
        }
        return nil
    }

    /// A token's text from the value on: without the quote, colon or space before it, and
    /// cut at the quote, comma or brace after it.
    static func stripped(_ text: String) -> String {
        String(text.drop { $0 == "\"" || $0 == " " || $0 == ":" }.prefix { $0 != "\"" && $0 != "," && $0 != "}" && $0 != " " })
    }
}
