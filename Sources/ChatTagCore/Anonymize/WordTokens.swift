/// A word of a message: a run of letters (Cyrillic or Latin, with inner hyphens and
/// apostrophes), located by byte offsets into the message's UTF-8.
struct WordToken {
    var range: Range<Int>
    /// Lowercase with ё folded to е.
    var folded: String
    var isCapitalized: Bool
    var isLatin: Bool
    /// The word starts a sentence (first word, or after . ! ? or a line break).
    var startsSentence: Bool
    /// The byte right after the word ('.' for «ул.»), or 0 at the end.
    var nextByte: UInt8
}

/// Splits UTF-8 into words and classifies bytes, without building Strings for non-words.
enum WordTokens {
    static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Length in bytes of the letter starting at `index`, or 0 when it is not a letter.
    static func letterLength(_ bytes: [UInt8], _ index: Int) -> Int {
        let byte = bytes[index]
        if isASCIILetter(byte) { return 1 }
        guard index + 1 < bytes.count else { return 0 }
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
            if next == 0x81 { out += [0xD0, 0xB5]; return }
            if next >= 0x90 && next <= 0x9F { out += [0xD0, next + 0x20]; return }
            if next >= 0xA0 && next <= 0xAF { out += [0xD1, next - 0x20]; return }
            if next >= 0x80 && next <= 0x8F { out += [0xD1, next + 0x10]; return }
        } else if byte == 0xD1, next == 0x91 {
            out += [0xD0, 0xB5]
            return
        } else if byte == 0xC3, next >= 0x80, next <= 0x9E {
            out += [0xC3, next + 0x20]
            return
        }
        out += [byte, next]
    }

    static func words(_ bytes: [UInt8]) -> [WordToken] {
        var tokens: [WordToken] = []
        var index = 0
        var sentenceStart = true
        var folded: [UInt8] = []
        while index < bytes.count {
            let length = letterLength(bytes, index)
            if length == 0 {
                let byte = bytes[index]
                if byte == 0x2E || byte == 0x21 || byte == 0x3F || byte == 0x0A { sentenceStart = true }
                index += 1
                continue
            }
            let start = index
            let capitalized = isUpper(bytes, index)
            var latin = true
            folded.removeAll(keepingCapacity: true)
            while index < bytes.count {
                let letter = letterLength(bytes, index)
                if letter > 0 {
                    if letter == 2 && bytes[index] != 0xC3 { latin = false }
                    appendFolded(bytes, index, letter, to: &folded)
                    index += letter
                    continue
                }
                let byte = bytes[index]
                if (byte == 0x2D || byte == 0x27) && index + 1 < bytes.count && letterLength(bytes, index + 1) > 0 && !folded.isEmpty {
                    folded.append(byte)
                    index += 1
                    continue
                }
                break
            }
            if index < bytes.count, isDigit(bytes[index]) || (start > 0 && isDigit(bytes[start - 1])) {
                continue
            }
            tokens.append(WordToken(
                range: start..<index, folded: String(decoding: folded, as: UTF8.self), isCapitalized: capitalized,
                isLatin: latin, startsSentence: sentenceStart, nextByte: index < bytes.count ? bytes[index] : 0))
            sentenceStart = false
        }
        return tokens
    }
}
