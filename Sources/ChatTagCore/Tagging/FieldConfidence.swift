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
        // Where each token starts, in Unicode scalars of the tokens' joined text (scalars, not
        // characters: a "\r" token and a "\n" token would join into one character).
        var starts: [Int] = []
        var offset = 0
        for token in tokens {
            starts.append(offset)
            offset += token.text.unicodeScalars.count
        }
        // The tokens may hold more than the content: llama.cpp's server strips a ```json fence
        // the model wrote around the object from `content`, but not from `logprobs`. A value's
        // place in the content is its place in the tokens less what comes before the content.
        let lead = Self.offset(of: content, inTokens: tokens.map(\.text).joined())
        let scalars = Array(content.unicodeScalars)
        var result: [String: Double] = [:]
        for field in taxonomy.fields {
            guard let chosen = values[field.name], let valueStart = valueStart(of: field.name, in: scalars) else { continue }
            let start = valueStart + lead
            guard let index = starts.lastIndex(where: { $0 <= start }) else { continue }
            let token = tokens[index]
            // What the token holds from the value's start on: a token may begin with the quote or a space.
            let skip = start - starts[index]
            let own = Self.stripped(String(String.UnicodeScalarView(token.text.unicodeScalars.dropFirst(max(0, skip)))))
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

    /// Where `content` begins in the tokens' joined text, in Unicode scalars: 0 when the tokens
    /// are the content, the length of a stripped code fence when they hold one, and 0 when
    /// the content cannot be found in them (the offsets are then taken as they are).
    static func offset(of content: String, inTokens joined: String) -> Int {
        let haystack = Array(joined.unicodeScalars)
        for candidate in [content, content.trimmingCharacters(in: .whitespacesAndNewlines)] {
            let needle = Array(candidate.unicodeScalars)
            guard !needle.isEmpty, needle.count <= haystack.count else { continue }
            for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
                if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
            }
        }
        return 0
    }

    /// The offset, in Unicode scalars, of the first scalar of `field`'s value in a JSON text
    /// (after `"field":`, spaces and an opening quote), or nil.
    static func valueStart(of field: String, in scalars: [Unicode.Scalar]) -> Int? {
        let key = Array("\"\(field)\"".unicodeScalars)
        guard scalars.count > key.count else { return nil }
        var index = 0
        while index + key.count <= scalars.count {
            if scalars[index..<(index + key.count)].elementsEqual(key) {
                var position = index + key.count
                while position < scalars.count, Self.isJSONSpace(scalars[position]) { position += 1 }
                guard position < scalars.count, scalars[position] == ":" else {
                    index += 1
                    continue
                }
                position += 1
                while position < scalars.count, Self.isJSONSpace(scalars[position]) || scalars[position] == "\"" { position += 1 }
                return position < scalars.count ? position : nil
            }
            index += 1
        }
        return nil
    }

    static func isJSONSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" }

    /// A token's text from the value on: without the quote, colon or space before it, and
    /// cut at the quote, comma or brace after it.
    static func stripped(_ text: String) -> String {
        String(text.drop { $0 == "\"" || $0 == " " || $0 == ":" }.prefix { $0 != "\"" && $0 != "," && $0 != "}" && $0 != " " })
    }
}
