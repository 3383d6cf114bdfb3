/// Finds e-mail addresses, @handles, messenger and social profile links, and URLs that carry
/// personal tokens (query strings, long random path segments). A plain business link such
/// as `https://salon.ru/prices` is left alone.
struct WebDetector {
    static let profileHosts = [
        "t.me/", "telegram.me/", "wa.me/", "vk.com/", "vk.ru/", "instagram.com/", "instagr.am/", "facebook.com/", "fb.com/", "ok.ru/", "tiktok.com/", "twitter.com/", "x.com/",
    ]

    func spans(in bytes: [UInt8]) -> [PIISpan] {
        var result: [PIISpan] = []
        var index = 0
        var lastEnd = 0
        while index < bytes.count {
            let byte = bytes[index]
            if index >= lastEnd, isURLStart(bytes, index) {
                let end = urlEnd(bytes, from: index)
                let text = String(decoding: bytes[index..<end], as: UTF8.self)
                if let kind = classifyURL(text) {
                    result.append(PIISpan(range: index..<end, kind: kind, key: text.lowercased()))
                }
                lastEnd = end
                index = end
                continue
            }
            if byte == 0x40, index >= lastEnd {
                if let email = emailRange(bytes, at: index) {
                    result.append(PIISpan(range: email, kind: .email, key: String(decoding: bytes[email], as: UTF8.self).lowercased()))
                    lastEnd = email.upperBound
                    index = email.upperBound
                    continue
                }
                var end = index + 1
                while end < bytes.count, isHandleByte(bytes[end]) || (bytes[end] == 0x2E && end + 1 < bytes.count && isHandleByte(bytes[end + 1])) { end += 1 }
                let previousOK = index == 0 || !isLocalByte(bytes[index - 1])
                if previousOK, end - index - 1 >= 3 {
                    result.append(PIISpan(range: index..<end, kind: .handle, key: String(decoding: bytes[index..<end], as: UTF8.self).lowercased()))
                    lastEnd = end
                    index = end
                    continue
                }
            }
            index += 1
        }
        return result
    }

    static let urlPrefixes = [[UInt8]](utf8: ["http://", "https://", "www."] + profileHosts)
    /// First letters of every prefix above, lowercase.
    static let urlInitials: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for prefix in urlPrefixes { table[Int(prefix[0])] = true }
        return table
    }()

    private func isURLStart(_ bytes: [UInt8], _ index: Int) -> Bool {
        guard Self.urlInitials[Int(bytes[index] | 0x20)] else { return false }
        if index > 0, isLocalByte(bytes[index - 1]) && bytes[index - 1] != 0x2E { return false }
        for prefix in Self.urlPrefixes where hasPrefix(bytes, index, prefix) { return true }
        return false
    }

    private func hasPrefix(_ bytes: [UInt8], _ index: Int, _ utf8: [UInt8]) -> Bool {
        guard index + utf8.count <= bytes.count else { return false }
        for offset in 0..<utf8.count where (bytes[index + offset] | (TextTokens.isASCIILetter(bytes[index + offset]) ? 0x20 : 0)) != utf8[offset] {
            return false
        }
        return true
    }

    private func urlEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte <= 0x20 || byte == 0x22 || byte == 0x3C || byte == 0x3E || byte == 0x29 || byte == 0x5D || byte == 0x27 { break }
            if byte == 0xC2, end + 1 < bytes.count, bytes[end + 1] == 0xAB || bytes[end + 1] == 0xBB || bytes[end + 1] == 0xA0 { break }
            end += 1
        }
        while end > start, [0x2E, 0x2C, 0x21, 0x3F, 0x3B, 0x3A].contains(bytes[end - 1]) { end -= 1 }
        return end
    }

    private func classifyURL(_ original: String) -> PIIKind? {
        let lower = original.lowercased()
        var rest = lower
        for scheme in ["https://", "http://"] where rest.hasPrefix(scheme) { rest = String(rest.dropFirst(scheme.count)) }
        if rest.hasPrefix("www.") { rest = String(rest.dropFirst(4)) }
        if let host = Self.profileHosts.first(where: rest.hasPrefix) {
            return rest.count > host.count ? .handle : nil
        }
        if rest.contains("?") || rest.contains("#") && rest.contains("=") { return .url }
        let segments = original.dropFirst(original.count - rest.count).split(separator: "/").dropFirst()
        for segment in segments {
            let letters = segment.filter(\.isLetter).count
            let digits = segment.filter(\.isNumber).count
            if segment.count >= 12 && letters > 0 && digits >= 3 { return .url }
            if segment.count >= 16 && segment.allSatisfy({ $0.isHexDigit || $0 == "-" }) { return .url }
            if segment.contains("@") || segment.contains("%40") { return .url }
            if segment.count >= 10 && Self.caseSwitches(segment) >= 3 { return .url }
        }
        return nil
    }

    /// How often letter case flips along a path segment: random tokens (`BAEWVt6RCLeUBW`)
    /// flip often, words and slugs (`PriceList`) rarely.
    static func caseSwitches(_ segment: Substring) -> Int {
        var switches = 0
        var previousUpper: Bool?
        for character in segment where character.isLetter {
            let upper = character.isUppercase
            if let previousUpper, previousUpper != upper { switches += 1 }
            previousUpper = upper
        }
        return switches
    }

    private func emailRange(_ bytes: [UInt8], at: Int) -> Range<Int>? {
        var start = at
        while start > 0, isLocalByte(bytes[start - 1]) { start -= 1 }
        while start < at, bytes[start] == 0x2E { start += 1 }
        guard start < at else { return nil }
        var end = at + 1
        var lastDot = -1
        while end < bytes.count {
            let byte = bytes[end]
            if TextTokens.isASCIILetter(byte) || TextTokens.isDigit(byte) || byte == 0x2D {
                end += 1
            } else if byte == 0x2E, end + 1 < bytes.count, TextTokens.isASCIILetter(bytes[end + 1]) || TextTokens.isDigit(bytes[end + 1]) {
                lastDot = end
                end += 1
            } else if byte >= 0xC0 || (byte >= 0x80 && byte < 0xC0) {
                end += 1
            } else {
                break
            }
        }
        guard lastDot > at + 1, end - lastDot > 2 else { return nil }
        return start..<end
    }

    private func isLocalByte(_ byte: UInt8) -> Bool {
        TextTokens.isASCIILetter(byte) || TextTokens.isDigit(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D || byte == 0x2B || byte == 0x25
    }

    private func isHandleByte(_ byte: UInt8) -> Bool {
        TextTokens.isASCIILetter(byte) || TextTokens.isDigit(byte) || byte == 0x5F
    }
}
