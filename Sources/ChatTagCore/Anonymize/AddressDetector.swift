/// Finds street addresses: a street cue («ул.», «проспект», «шоссе», "Street") with the street
/// name and house, building and flat numbers around it; a flat cue («кв. 12») with the street
/// and house before it; or an adjective street name with a house-flat number («Профсоюзная
/// 104-56»). The city is left alone.
struct AddressDetector {
    static let prefixCues = WordSet([
        "ул", "улица", "улице", "улицу", "улицы", "пр-т", "пр", "просп", "проспект", "проспекте", "пер", "переулок", "переулке",
        "б-р", "бул", "бульвар", "бульваре", "наб", "набережная", "набережной", "пл", "площадь", "мкр", "микрорайон", "мкрн",
        "проезд", "тупик", "аллея", "ш", "шоссе",
    ])
    static let postfixCues = WordSet([
        "ш", "шоссе", "проспект", "пр-т", "переулок", "пер", "бульвар", "б-р", "набережная", "наб", "проезд", "street", "st",
        "ave", "avenue", "road", "rd", "lane", "ln", "blvd", "boulevard", "square", "sq", "улица", "ул",
    ])
    /// Short cues that count only with their dot («ш.», not the letter ш).
    static let needsDot = WordSet(["ш", "пр", "пл", "пер", "наб", "бул", "ул", "просп", "мкр", "st", "rd", "ln", "sq"])
    static let houseCues = WordSet([
        "д", "дом", "доме", "кв", "квартира", "квартиру", "квартире", "корп", "корпус", "к", "стр", "строение", "под", "подъезд",
        "эт", "этаж", "оф", "офис", "apt", "flat", "suite", "unit", "house",
    ])
    static let flatCues = WordSet(["кв", "квартира", "квартиру", "квартире", "apt", "flat", "suite"])
    static let cityCues = WordSet(["г", "город", "гор", "пос", "поселок", "село", "деревня"])
    static let adjectiveEndings = [[UInt8]](utf8: ["ая", "ий", "ой", "ое", "ский", "ская"])

    func spans(_ text: TextTokens) -> [PIISpan] {
        let chunks = text.tokens
        var result: [PIISpan] = []
        var covered = -1
        func add(_ first: Int, _ last: Int) {
            let range = chunks[first].range.lowerBound..<chunks[last].range.upperBound
            result.append(PIISpan(range: range, kind: .address, key: String(decoding: text.bytes[range], as: UTF8.self).lowercased()))
            covered = last
        }
        for (index, chunk) in chunks.enumerated() where index > covered {
            let previousIsName = index > 0 && chunks[index - 1].isCapitalized && !chunks[index - 1].isNumeric && !chunk.breakBefore
            let previousIsAdjective = previousIsName && text.hasAnySuffix(chunks[index - 1], Self.adjectiveEndings)
            if chunk.isWord, chunk.isCapitalized, index + 1 < chunks.count, !chunks[index + 1].breakBefore,
                text.hasAnySuffix(chunk, Self.adjectiveEndings), isHouseAndFlat(chunks[index + 1], text)
            {
                add(index, index + 1)
                continue
            }
            let isPostfixCue = Self.postfixCues.contains(chunk) && previousIsName && (previousIsAdjective || !Self.prefixCues.contains(chunk))
            let isPrefixCue =
                !isPostfixCue && Self.prefixCues.contains(chunk)
                && (!Self.needsDot.contains(chunk) || chunk.nextByte == 0x2E || text.length(chunk) > 6)
            let isFlatCue = Self.flatCues.contains(chunk) && index + 1 < chunks.count && chunks[index + 1].isNumeric && !chunks[index + 1].breakBefore
            guard isPrefixCue || isPostfixCue || isFlatCue else { continue }
            var first = index
            var last = index
            if isPostfixCue || isFlatCue {
                var back = index - 1
                var words = 0
                var boundary = chunks[index].breakBefore
                while back >= 0, !boundary {
                    let candidate = chunks[back]
                    if candidate.isCapitalized && !candidate.isNumeric && words < 3 && !Self.cityCues.contains(candidate) {
                        words += 1
                    } else if !(candidate.isNumeric || Self.houseCues.contains(candidate)) {
                        break
                    }
                    first = back
                    boundary = candidate.breakBefore
                    back -= 1
                }
            }
            var forward = index + 1
            var sawName = isPostfixCue || first < index
            var sawNumber = false
            var words = 0
            while forward < chunks.count, !chunks[forward].breakBefore {
                let candidate = chunks[forward]
                if candidate.isNumeric || Self.houseCues.contains(candidate) {
                    if candidate.isNumeric {
                        last = forward
                        sawNumber = true
                    }
                } else if candidate.isCapitalized && words < 3 && !sawNumber {
                    words += 1
                    sawName = true
                    last = forward
                } else {
                    break
                }
                forward += 1
            }
            guard sawName || last > index else { continue }
            if isFlatCue && last == index { continue }
            add(first, last)
        }
        return result
    }

    /// `104-56` or `10/2`: a house and flat (or building) number, not a year-based code.
    func isHouseAndFlat(_ token: TextToken, _ text: TextTokens) -> Bool {
        guard token.isNumeric, text.length(token) <= 9 else { return false }
        let folded = text.folded[token.foldedRange]
        let parts = folded.split(whereSeparator: { $0 == 0x2D || $0 == 0x2F })
        return parts.count == 2 && parts.allSatisfy { part in part.count <= 4 && part.allSatisfy(TextTokens.isDigit) }
            && !(parts[0].count == 4 && parts[0].first == 0x32 && parts[0].dropFirst().first == 0x30)
    }
}
