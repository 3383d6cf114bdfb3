/// A run of letters, digits and inner `-` `/` `'` in a message («Ольга», «пр-т», «101к2»,
/// «104-56»), located by byte offsets into the message's UTF-8, with a 64-bit hash of its
/// lowercase, ё-folded form for dictionary lookups that build no Strings.
struct TextToken {
    var range: Range<Int>
    var foldedRange: Range<Int>
    var hash: UInt64
    /// Letters only (with inner hyphens or apostrophes): a candidate name.
    var isWord: Bool
    /// Starts with a digit: a house, flat or other number.
    var isNumeric: Bool
    var isCapitalized: Bool
    var isLatin: Bool
    /// First token of the text or of a sentence (after . ! ? or a line break).
    var startsSentence: Bool
    /// Punctuation other than , . - between the previous token and this one (! ? ; : ( ) or a line break).
    var breakBefore: Bool
    /// The byte right after the token ('.' for «ул.»), or 0 at the end.
    var nextByte: UInt8
}

/// The tokens of one message and the folded bytes they point into.
struct TextTokens {
    let bytes: [UInt8]
    var folded: [UInt8] = []
    var tokens: [TextToken] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        folded.reserveCapacity(bytes.count)
        tokens.reserveCapacity(bytes.count / 5)
        var index = 0
        var sentenceStart = true
        var breakBefore = false
        while index < bytes.count {
            let letter = Self.letterLength(bytes, index)
            let byte = bytes[index]
            guard letter > 0 || Self.isDigit(byte) else {
                if byte == 0x2E || byte == 0x21 || byte == 0x3F || byte == 0x0A { sentenceStart = true }
                if byte == 0x21 || byte == 0x3F || byte == 0x0A || byte == 0x3B || byte == 0x28 || byte == 0x29 || byte == 0x3A { breakBefore = true }
                index += 1
                continue
            }
            let start = index
            let foldedStart = folded.count
            let capitalized = Self.isUpper(bytes, index)
            let numeric = Self.isDigit(byte)
            var latin = true
            var onlyLetters = true
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            while index < bytes.count {
                let length = Self.letterLength(bytes, index)
                let before = folded.count
                if length > 0 {
                    if length == 2 && bytes[index] != 0xC3 { latin = false }
                    Self.appendFolded(bytes, index, length, to: &folded)
                    index += length
                } else if Self.isDigit(bytes[index]) {
                    onlyLetters = false
                    folded.append(bytes[index])
                    index += 1
                } else if bytes[index] == 0x2D || bytes[index] == 0x2F || bytes[index] == 0x27, index + 1 < bytes.count,
                    Self.isDigit(bytes[index + 1]) || Self.letterLength(bytes, index + 1) > 0
                {
                    if bytes[index] == 0x2F { onlyLetters = false }
                    folded.append(bytes[index])
                    index += 1
                } else {
                    break
                }
                for offset in before..<folded.count {
                    hash = (hash ^ UInt64(folded[offset])) &* 0x0000_0100_0000_01B3
                }
            }
            tokens.append(
                TextToken(
                    range: start..<index, foldedRange: foldedStart..<folded.count, hash: hash, isWord: onlyLetters && !numeric,
                    isNumeric: numeric, isCapitalized: capitalized, isLatin: latin, startsSentence: sentenceStart,
                    breakBefore: breakBefore, nextByte: index < bytes.count ? bytes[index] : 0))
            sentenceStart = false
            breakBefore = false
        }
    }

    /// The folded text of a token as a String (only for the few tokens that get masked).
    func foldedString(_ token: TextToken) -> String {
        String(decoding: folded[token.foldedRange], as: UTF8.self)
    }

    func hasSuffix(_ token: TextToken, _ suffix: [UInt8]) -> Bool {
        let range = token.foldedRange
        guard range.count > suffix.count else { return false }
        var offset = range.upperBound - suffix.count
        for byte in suffix {
            if folded[offset] != byte { return false }
            offset += 1
        }
        return true
    }

    func hasAnySuffix(_ token: TextToken, _ suffixes: [[UInt8]]) -> Bool {
        suffixes.contains { hasSuffix(token, $0) }
    }

    func length(_ token: TextToken) -> Int { token.foldedRange.count }

    /// FNV-1a of a folded word, matching ``TextToken/hash``.
    static func hash(_ folded: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in folded.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Length in bytes of the letter starting at `index`, or 0 when it is not a letter.
    static func letterLength(_ bytes: [UInt8], _ index: Int) -> Int {
        let byte = bytes[index]
        if isASCIILetter(byte) { return 1 }
        guard byte >= 0xC3, index + 1 < bytes.count else { return 0 }
        let next = bytes[index + 1]
        switch byte {
        case 0xD0: return (next >= 0x80 && next <= 0xBF) ? 2 : 0
        case 0xD1: return (next >= 0x80 && next <= 0x9F) ? 2 : 0
        case 0xC3: return (next >= 0x80 && next <= 0xBF && next != 0x97 && next != 0xB7) ? 2 : 0
        default: return 0
        }
    }

    static func isUpper(_ bytes: [UInt8], _ index: Int) -> Bool {
        let byte = bytes[index]
        if byte >= 0x41 && byte <= 0x5A { return true }
        guard index + 1 < bytes.count else { return false }
        let next = bytes[index + 1]
        if byte == 0xD0 { return next >= 0x80 && next <= 0xAF }
        if byte == 0xC3 { return next >= 0x80 && next <= 0x9E }
        return false
    }

    /// Appends the lowercase, ё-folded form of a letter.
    static func appendFolded(_ bytes: [UInt8], _ index: Int, _ length: Int, to out: inout [UInt8]) {
        let byte = bytes[index]
        if length == 1 {
            out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            return
        }
        let next = bytes[index + 1]
        if byte == 0xD0 {
            if next == 0x81 { out.append(0xD0); out.append(0xB5); return }
            if next >= 0x90 && next <= 0x9F { out.append(0xD0); out.append(next + 0x20); return }
            if next >= 0xA0 && next <= 0xAF { out.append(0xD1); out.append(next - 0x20); return }
            if next >= 0x80 && next <= 0x8F { out.append(0xD1); out.append(next + 0x10); return }
        } else if byte == 0xD1, next == 0x91 {
            out.append(0xD0)
            out.append(0xB5)
            return
        } else if byte == 0xC3, next >= 0x80, next <= 0x9E {
            out.append(0xC3)
            out.append(next + 0x20)
            return
        }
        out.append(byte)
        out.append(next)
    }
}

/// An open-addressing map from 64-bit word hashes to values: FNV hashes are already well
/// mixed, so lookups skip Swift's per-call SipHash.
struct HashMap64<Value: Sendable>: Sendable {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
    }

    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    subscript(key: UInt64) -> Value? {
        get {
            var index = slot(key)
            while let value = values[index] {
                if keys[index] == key { return value }
                index = (index + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { return }
            if (count + 1) * 2 > keys.count { grow() }
            var index = slot(key)
            while values[index] != nil {
                if keys[index] == key {
                    values[index] = newValue
                    return
                }
                index = (index + 1) & mask
            }
            keys[index] = key
            values[index] = newValue
            count += 1
        }
    }

    func forEachKey(_ body: (UInt64) -> Void) {
        for (key, value) in zip(keys, values) where value != nil { body(key) }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Value?](repeating: nil, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) {
            if let value { self[key] = value }
        }
    }
}

/// A set of folded words looked up by their hash.
struct WordSet: Sendable {
    private var hashes = HashMap64<Bool>()

    init<S: Sequence>(_ words: S) where S.Element == String {
        for word in words { hashes[TextTokens.hash(NameDictionary.fold(word))] = true }
    }

    private init(hashes: HashMap64<Bool>) {
        self.hashes = hashes
    }

    /// Both sets' words.
    func union(_ other: WordSet) -> WordSet {
        var merged = hashes
        other.hashes.forEachKey { merged[$0] = true }
        return WordSet(hashes: merged)
    }

    func contains(_ token: TextToken) -> Bool { hashes[token.hash] != nil }
    func contains(hash: UInt64) -> Bool { hashes[hash] != nil }
    var isEmpty: Bool { hashes.count == 0 }
}

extension Array where Element == [UInt8] {
    init(utf8 words: [String]) { self = words.map { [UInt8]($0.utf8) } }
}
