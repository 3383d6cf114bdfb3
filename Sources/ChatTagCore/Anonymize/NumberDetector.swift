/// Finds personal numbers in a message: phones in Russian and international notations, bank
/// cards (Luhn), ИНН and СНИЛС (check digits), passports, ОМС policies, bank accounts and
/// birth dates — and leaves prices, times, visit dates and order numbers alone.
struct NumberDetector {
    /// The year of "now"; dates this old or older than 14 years before it are birth dates.
    let currentYear: Int

    private struct Run {
        var range: Range<Int>
        var digits: [UInt8]
        var groups: [Int]
        var plus: Bool
        var parens: Bool
    }

    func spans(in bytes: [UInt8]) -> [PIISpan] {
        var result: [PIISpan] = []
        var index = 0
        var passportCueUntil = -1
        while index < bytes.count {
            let byte = bytes[index]
            let startsNumber =
                TextTokens.isDigit(byte)
                || ((byte == 0x2B || byte == 0x28) && index + 1 < bytes.count && TextTokens.isDigit(bytes[index + 1]))
                || (byte == 0x2B && index + 2 < bytes.count && bytes[index + 1] == 0x20 && TextTokens.isDigit(bytes[index + 2]))
            guard startsNumber else {
                index += 1
                continue
            }
            if index > 0, TextTokens.isDigit(byte), isWordByte(bytes[index - 1]) || TextTokens.isDigit(bytes[index - 1]) {
                let end = skipAlnum(bytes, from: index)
                if let passport = foreignPassport(bytes, digitsStart: index, end: end) { result.append(passport) }
                index = end
                continue
            }
            if let date = dateSpan(bytes, at: index) {
                if date.birth { result.append(PIISpan(range: date.range, kind: .birthdate, key: String(decoding: bytes[date.range], as: UTF8.self))) }
                index = date.range.upperBound
                continue
            }
            if let time = timeEnd(bytes, at: index) {
                index = time
                continue
            }
            let run = readRun(bytes, from: index)
            index = max(run.range.upperBound, index + 1)
            if run.range.upperBound < bytes.count, isWordByte(bytes[run.range.upperBound]) { continue }
            guard run.digits.count >= 4 else { continue }
            let context = ContextWindow(bytes, before: run.range.lowerBound, length: 48)
            if let kind = classify(run, context: context, passportCue: run.range.lowerBound <= passportCueUntil) {
                var keyDigits = run.digits
                if kind == .phone, keyDigits.count == 11, keyDigits[0] == 7 || keyDigits[0] == 8 { keyDigits.removeFirst() }
                result.append(PIISpan(range: run.range, kind: kind, key: String(decoding: keyDigits.map { $0 + 0x30 }, as: UTF8.self)))
                if kind == .passport { passportCueUntil = run.range.upperBound + 24 }
            }
        }
        return result
    }

    static let innCues = [[UInt8]](utf8: ["инн", "inn"])
    static let snilsCues = [[UInt8]](utf8: ["снилс", "snils"])
    static let policyCues = [[UInt8]](utf8: ["полис", "омс", "oms"])
    static let passportCues = [[UInt8]](utf8: ["паспорт", "серия", "passport"])
    static let cardCues = [[UInt8]](utf8: ["карт", "card"])
    static let orderCues = [[UInt8]](utf8: ["заказ", "№", "#", "order", "тикет", "заявк"])
    static let birthCues = [[UInt8]](utf8: ["рожд", "д.р", "др ", "др:", "dob", "birth", "born", "родил"])

    private func classify(_ run: Run, context: ContextWindow, passportCue: Bool) -> PIIKind? {
        let digits = run.digits
        let count = digits.count
        let has = { (cues: [[UInt8]]) in context.contains(any: cues) }
        if count == 20 { return .account }
        if has(Self.innCues) && (count == 10 || count == 12) { return .inn }
        if has(Self.snilsCues) && count == 11 { return .snils }
        if has(Self.policyCues) && count == 16 { return .oms }
        if has(Self.passportCues) || passportCue {
            if count == 10 || count == 4 || count == 6 || (count == 9 && !run.plus) { return .passport }
        }
        if count >= 13 && count <= 19 && Checksums.luhn(digits) && !run.plus { return .card }
        if has(Self.cardCues) && count >= 15 && count <= 19 { return .card }
        if count == 16 || count == 18 || count == 19 { return run.plus ? .phone : .oms }
        if run.plus { return count >= 8 && count <= 15 ? .phone : nil }
        if (count == 10 || count == 11) && digits[0] == 0 && run.groups.count >= 2 { return .phone }
        if count == 11 {
            if run.groups == [3, 3, 3, 2] && Checksums.snils(digits) { return .snils }
            if digits[0] == 7 || digits[0] == 8 { return .phone }
            return Checksums.snils(digits) ? .snils : nil
        }
        if count == 12 { return Checksums.inn(digits) ? .inn : nil }
        if count == 10 {
            if run.groups == [2, 2, 6] || run.groups == [4, 6] { return .passport }
            if digits[0] == 9 || run.parens { return .phone }
            if Checksums.inn(digits) { return .inn }
            if run.groups.count >= 3 && (digits[0] == 3 || digits[0] == 4 || digits[0] == 8) && run.groups.first == 3 { return .phone }
            return nil
        }
        if count == 7 && (run.groups == [3, 2, 2] || run.groups == [3, 4]) && !has(Self.orderCues) { return .phone }
        return nil
    }

    /// Digits joined by spaces, hyphens, parentheses and no-break spaces: `+7 (916) 123-45-67`.
    private func readRun(_ bytes: [UInt8], from start: Int) -> Run {
        var index = start
        var plus = false
        var parens = false
        if bytes[index] == 0x2B {
            plus = true
            index += 1
            if index < bytes.count, bytes[index] == 0x20 { index += 1 }
        }
        var digits: [UInt8] = []
        var groups: [Int] = []
        var end = index
        while index < bytes.count {
            if bytes[index] == 0x28 {
                parens = true
                index += 1
                continue
            }
            let groupStart = index
            while index < bytes.count, TextTokens.isDigit(bytes[index]) {
                digits.append(bytes[index] - 0x30)
                index += 1
            }
            guard index > groupStart else { break }
            groups.append(index - groupStart)
            end = index
            guard digits.count < 20 else { break }
            var look = index
            var separators = 0
            while look < bytes.count, separators < 3 {
                let byte = bytes[look]
                if byte == 0x20 || byte == 0x2D || byte == 0x28 || byte == 0x29 || (byte == 0x2E && separators == 0) {
                    if byte == 0x28 || byte == 0x29 { parens = true }
                    look += 1
                } else if byte == 0xC2, look + 1 < bytes.count, bytes[look + 1] == 0xA0 {
                    look += 2
                } else if byte == 0xE2, look + 2 < bytes.count, bytes[look + 1] == 0x80, bytes[look + 2] == 0xAF || bytes[look + 2] == 0x93 {
                    look += 3
                } else {
                    break
                }
                separators += 1
            }
            guard look > index, look < bytes.count, TextTokens.isDigit(bytes[look]) else { break }
            if dateSpan(bytes, at: look) != nil || timeEnd(bytes, at: look) != nil { break }
            index = look
        }
        if end < bytes.count, bytes[end] == 0x29 { end += 1 }
        return Run(range: start..<end, digits: digits, groups: groups, plus: plus, parens: parens)
    }

    /// `12.03.1990`, `1.02.88`, `12/03/1990`, `1990-03-12`, `3 мая 1992`: a birth date when a
    /// cue precedes it or the year is older than 14 years; otherwise a visit date left alone.
    private func dateSpan(_ bytes: [UInt8], at start: Int) -> (range: Range<Int>, birth: Bool)? {
        func number(_ index: inout Int, max: Int) -> (Int, Int)? {
            var value = 0
            var count = 0
            while index < bytes.count, count < max, TextTokens.isDigit(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                count += 1
            }
            if index < bytes.count, TextTokens.isDigit(bytes[index]) { return nil }
            return count == 0 ? nil : (value, count)
        }
        var index = start
        guard let first = number(&index, max: 4) else { return nil }
        var year: Int?
        var valid = false
        if index < bytes.count, bytes[index] == 0x2E || bytes[index] == 0x2F || bytes[index] == 0x2D {
            let separator = bytes[index]
            index += 1
            guard let second = number(&index, max: 2) else { return nil }
            if first.1 == 4 {
                guard separator == 0x2D, index < bytes.count, bytes[index] == 0x2D else { return nil }
                index += 1
                guard let third = number(&index, max: 2) else { return nil }
                year = first.0
                valid = CivilDate(year: first.0, month: second.0, day: third.0).isValid
            } else {
                guard first.1 <= 2, second.1 == 2 || second.1 == 1 else { return nil }
                if index + 1 < bytes.count, bytes[index] == separator, TextTokens.isDigit(bytes[index + 1]) {
                    index += 1
                    guard let third = number(&index, max: 4), third.1 == 2 || third.1 == 4 else { return nil }
                    let fullYear = third.1 == 2 ? (third.0 > currentYear % 100 + 1 ? 1900 + third.0 : 2000 + third.0) : third.0
                    year = fullYear
                    valid = CivilDate(year: fullYear, month: second.0, day: first.0).isValid || CivilDate(year: fullYear, month: first.0, day: second.0).isValid
                } else {
                    guard separator != 0x2D else { return nil }
                    valid = (1...31).contains(first.0) && (1...12).contains(second.0) && separator == 0x2E
                    if !valid { return nil }
                }
            }
        } else {
            guard first.1 <= 2, let monthEnd = monthWordEnd(bytes, after: index) else { return nil }
            index = monthEnd
            var look = index
            while look < bytes.count, bytes[look] == 0x20 { look += 1 }
            var yearIndex = look
            if let parsed = number(&yearIndex, max: 4), parsed.1 == 4 {
                year = parsed.0
                index = yearIndex
            }
            valid = true
        }
        guard valid else { return nil }
        let cue = ContextWindow(bytes, before: start, length: 40).contains(any: Self.birthCues)
        let old = year.map { $0 <= currentYear - 14 } ?? false
        return (start..<index, cue || old)
    }

    private static let months: [[UInt8]] = [
        "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ].map { Array($0.utf8) }

    private func monthWordEnd(_ bytes: [UInt8], after index: Int) -> Int? {
        guard index < bytes.count, bytes[index] == 0x20 else { return nil }
        let start = index + 1
        var folded: [UInt8] = []
        var cursor = start
        while cursor < bytes.count {
            let length = TextTokens.letterLength(bytes, cursor)
            guard length > 0 else { break }
            TextTokens.appendFolded(bytes, cursor, length, to: &folded)
            cursor += length
        }
        return Self.months.contains(folded) ? cursor : nil
    }

    /// `10:30`, `9:00:15`: consumed and kept.
    private func timeEnd(_ bytes: [UInt8], at start: Int) -> Int? {
        var index = start
        var count = 0
        while index < bytes.count, TextTokens.isDigit(bytes[index]), count < 3 {
            index += 1
            count += 1
        }
        guard count >= 1, count <= 2, index + 2 < bytes.count, bytes[index] == 0x3A,
            TextTokens.isDigit(bytes[index + 1]), TextTokens.isDigit(bytes[index + 2])
        else { return nil }
        index += 3
        if index + 2 < bytes.count, bytes[index] == 0x3A, TextTokens.isDigit(bytes[index + 1]) { index += 3 }
        return index
    }

    /// `AB2660854` after a passport cue: one or two Latin letters and 6–9 digits.
    private func foreignPassport(_ bytes: [UInt8], digitsStart: Int, end: Int) -> PIISpan? {
        var start = digitsStart
        while start > 0, TextTokens.isASCIILetter(bytes[start - 1]), digitsStart - start < 3 { start -= 1 }
        let letters = digitsStart - start
        let digits = end - digitsStart
        guard (1...2).contains(letters), (6...9).contains(digits), start == 0 || !isWordByte(bytes[start - 1]),
            bytes[digitsStart..<end].allSatisfy(TextTokens.isDigit)
        else { return nil }
        guard ContextWindow(bytes, before: start, length: 40).contains(any: Self.passportCues) else { return nil }
        return PIISpan(range: start..<end, kind: .passport, key: String(decoding: bytes[start..<end], as: UTF8.self))
    }

    private func isWordByte(_ byte: UInt8) -> Bool { TextTokens.isASCIILetter(byte) || byte >= 0xC0 || byte == 0x5F }

    private func skipAlnum(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, TextTokens.isDigit(bytes[index]) || isWordByte(bytes[index]) || (bytes[index] >= 0x80 && bytes[index] < 0xC0) {
            index += 1
        }
        return index
    }
}

/// The lowercase bytes (ASCII and Cyrillic folded) of up to `length` bytes before a position,
/// searched for cue words such as «инн» or «паспорт».
struct ContextWindow {
    private var folded: [UInt8] = []

    init(_ bytes: [UInt8], before index: Int, length: Int) {
        var start = max(0, index - length)
        while start < index, bytes[start] >= 0x80, bytes[start] < 0xC0 { start += 1 }
        folded.reserveCapacity(index - start)
        var cursor = start
        while cursor < index {
            let letter = TextTokens.letterLength(bytes, cursor)
            if letter > 0 && cursor + letter <= index {
                TextTokens.appendFolded(bytes, cursor, letter, to: &folded)
                cursor += letter
            } else {
                folded.append(bytes[cursor])
                cursor += 1
            }
        }
    }

    func contains(any needles: [[UInt8]]) -> Bool {
        needles.contains { needle in
            guard needle.count <= folded.count else { return false }
            for start in 0...(folded.count - needle.count) where folded[start] == needle[0] {
                var matches = true
                for offset in 1..<needle.count where folded[start + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return true }
            }
            return false
        }
    }
}
