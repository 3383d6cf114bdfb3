#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level string helpers for the import hot path, where Foundation's Unicode-aware
/// search and trimming cost more than the parsing itself.
enum ByteSearch {
    /// True when `text` contains `needle` as bytes (exact, case-sensitive).
    static func contains(_ text: String, _ needle: StaticString) -> Bool {
        var copy = text
        return copy.withUTF8 { haystack in
            let count = needle.utf8CodeUnitCount
            guard count > 0, count <= haystack.count else { return false }
            let first = needle.utf8Start[0]
            var start = 0
            while start + count <= haystack.count {
                if haystack[start] == first && memcmp(haystack.baseAddress! + start, needle.utf8Start, count) == 0 { return true }
                start += 1
            }
            return false
        }
    }

    /// Drops ASCII spaces and tabs at both ends.
    static func trimSpaces(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.first == 0x20 || utf8.last == 0x20 || utf8.first == 0x09 || utf8.last == 0x09 else { return text }
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Removes the invisible direction marks (U+200E, U+200F) and byte-order marks (U+FEFF)
    /// that iOS WhatsApp exports sprinkle into lines.
    static func stripInvisibleMarks(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(0xE2) || utf8.contains(0xEF) else { return text }
        let bytes = Array(utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var removed = false
        while index < bytes.count {
            if index + 2 < bytes.count {
                let triple = (bytes[index], bytes[index + 1], bytes[index + 2])
                if triple == (0xE2, 0x80, 0x8E) || triple == (0xE2, 0x80, 0x8F) || triple == (0xEF, 0xBB, 0xBF) {
                    index += 3
                    removed = true
                    continue
                }
            }
            out.append(bytes[index])
            index += 1
        }
        return removed ? String(decoding: out, as: UTF8.self) : text
    }
}
