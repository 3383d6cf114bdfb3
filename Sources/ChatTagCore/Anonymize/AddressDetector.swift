/// Finds street addresses: a street cue («ул.», «проспект», «шоссе», "Street") with the street
/// name and house, building and flat numbers around it, or a flat cue («кв. 12») with the
/// street and house before it. The city is left alone.
struct AddressDetector {
    private struct Chunk {
        var range: Range<Int>
        var folded: String
        var capitalized: Bool
        var numeric: Bool
        /// The byte right after the chunk.
        var next: UInt8
    }

    static let prefixCues: Set<String> = [
        "ул", "улица", "улице", "улицу", "улицы", "пр-т", "пр", "просп", "проспект", "проспекте", "пер", "переулок", "переулке",
        "б-р", "бул", "бульвар", "бульваре", "наб", "набережная", "набережной", "пл", "площадь", "мкр", "микрорайон", "мкрн",
        "проезд", "тупик", "аллея", "ш", "шоссе",
    ]
    static let postfixCues: Set<String> = [
        "ш", "шоссе", "проспект", "пр-т", "переулок", "пер", "бульвар", "б-р", "набережная", "наб", "проезд", "street", "st",
        "ave", "avenue", "road", "rd", "lane", "ln", "blvd", "boulevard", "square", "sq", "улица", "ул",
    ]
    static let needsDot: Set<String> = ["ш", "пр", "пл", "пер", "наб", "бул", "ул", "просп", "мкр", "st", "rd", "ln", "sq"]
    static let houseCues: Set<String> = [
        "д", "дом", "доме", "кв", "квартира", "квартиру", "квартире", "корп", "корпус", "к", "стр", "строение", "под", "подъезд",
        "эт", "этаж", "оф", "офис", "apt", "flat", "suite", "unit", "house",
    ]
    static let flatCues: Set<String> = ["кв", "квартира", "квартиру", "квартире", "apt", "flat", "suite"]

    func spans(in bytes: [UInt8]) -> [PIISpan] {
        let chunks = Self.chunks(bytes)
        var result: [PIISpan] = []
        var covered = -1
        for (index, chunk) in chunks.enumerated() where index > covered {
            let previousIsName = index > 0 && chunks[index - 1].capitalized && !chunks[index - 1].numeric
            let previousIsAdjective = previousIsName && ["ое", "ий", "ый", "ая", "ой", "ский", "ская"].contains(where: chunks[index - 1].folded.hasSuffix)
            let isPostfixCue = Self.postfixCues.contains(chunk.folded) && previousIsName
                && (previousIsAdjective || !Self.prefixCues.contains(chunk.folded))
            let isPrefixCue = !isPostfixCue && Self.prefixCues.contains(chunk.folded)
                && (!Self.needsDot.contains(chunk.folded) || chunk.next == 0x2E || chunk.folded.count > 3)
            let isFlatCue = Self.flatCues.contains(chunk.folded) && index + 1 < chunks.count && chunks[index + 1].numeric
            let isStreetAndFlat = chunk.capitalized && !chunk.numeric && index + 1 < chunks.count && Self.isHouseAndFlat(chunks[index + 1].folded)
                && ["ая", "ий", "ой", "ое", "ский", "ская"].contains(where: chunk.folded.hasSuffix)
            if isStreetAndFlat {
                let range = chunk.range.lowerBound..<chunks[index + 1].range.upperBound
                result.append(PIISpan(range: range, kind: .address, key: String(decoding: bytes[range], as: UTF8.self).lowercased()))
                covered = index + 1
                continue
            }
            guard isPrefixCue || isPostfixCue || isFlatCue else { continue }
            var first = index
            var last = index
            if isPostfixCue || isFlatCue {
                var back = index - 1
                var words = 0
                while back >= 0 {
                    let candidate = chunks[back]
                    if candidate.capitalized && !candidate.numeric && words < 3 && !Self.isCityCue(candidate.folded) {
                        words += 1
                    } else if candidate.numeric || Self.houseCues.contains(candidate.folded) {
                    } else {
                        break
                    }
                    first = back
                    back -= 1
                }
                if isFlatCue && first == index { first = index }
            }
            var forward = index + 1
            var sawName = isPostfixCue || first < index
            var words = 0
            while forward < chunks.count {
                let candidate = chunks[forward]
                if candidate.numeric || Self.houseCues.contains(candidate.folded) {
                    if candidate.numeric { last = forward }
                } else if candidate.capitalized && words < 3 && !sawNumber(chunks, from: index + 1, to: forward) {
                    words += 1
                    sawName = true
                    last = forward
                } else if Self.isOrdinal(candidate.folded) {
                    last = forward
                } else {
                    break
                }
                forward += 1
            }
            guard sawName || last > index else { continue }
            if isFlatCue && last == index { continue }
            let range = chunks[first].range.lowerBound..<chunks[last].range.upperBound
            result.append(PIISpan(range: range, kind: .address, key: String(decoding: bytes[range], as: UTF8.self).lowercased()))
            covered = last
        }
        return result
    }

    private func sawNumber(_ chunks: [Chunk], from: Int, to: Int) -> Bool {
        guard from < to else { return false }
        return chunks[from..<to].contains { $0.numeric }
    }

    /// `104-56` or `10/2`: a house and flat (or building) number.
    static func isHouseAndFlat(_ folded: String) -> Bool {
        let parts = folded.split(whereSeparator: { $0 == "-" || $0 == "/" })
        return parts.count == 2 && folded.count <= 9 && parts.allSatisfy { part in part.first?.isNumber == true && part.count <= 4 }
            && !(parts[0].count == 4 && parts[0].hasPrefix("20"))
    }

    static func isCityCue(_ folded: String) -> Bool { ["г", "город", "гор", "пос", "поселок", "село", "деревня"].contains(folded) }
    static func isOrdinal(_ folded: String) -> Bool { folded.hasPrefix("-") }

    /// Runs of letters, digits, '-' and '/' with what follows each; a comma or a dot between
    /// chunks is allowed inside an address, other punctuation ends it (the chunk list is cut).
    private static func chunks(_ bytes: [UInt8]) -> [Chunk] {
        var result: [Chunk] = []
        var index = 0
        var broken = false
        while index < bytes.count {
            let byte = bytes[index]
            let letter = WordTokens.letterLength(bytes, index)
            if letter == 0 && !WordTokens.isDigit(byte) {
                if byte == 0x21 || byte == 0x3F || byte == 0x0A || byte == 0x3B || byte == 0x28 || byte == 0x29 || byte == 0x3A { broken = true }
                index += 1
                continue
            }
            if broken {
                result.append(Chunk(range: index..<index, folded: "\u{0}", capitalized: false, numeric: false, next: 0))
                broken = false
            }
            let start = index
            let capitalized = WordTokens.isUpper(bytes, index)
            let numeric = WordTokens.isDigit(byte)
            var folded: [UInt8] = []
            while index < bytes.count {
                let length = WordTokens.letterLength(bytes, index)
                if length > 0 {
                    WordTokens.appendFolded(bytes, index, length, to: &folded)
                    index += length
                } else if WordTokens.isDigit(bytes[index]) || ((bytes[index] == 0x2D || bytes[index] == 0x2F) && index + 1 < bytes.count && (WordTokens.isDigit(bytes[index + 1]) || WordTokens.letterLength(bytes, index + 1) > 0)) {
                    folded.append(bytes[index])
                    index += 1
                } else {
                    break
                }
            }
            result.append(Chunk(range: start..<index, folded: String(decoding: folded, as: UTF8.self), capitalized: capitalized, numeric: numeric, next: index < bytes.count ? bytes[index] : 0))
        }
        return result
    }
}
