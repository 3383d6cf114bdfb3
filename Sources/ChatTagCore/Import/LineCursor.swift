/// Walks a byte buffer line by line (LF or CRLF), counting lines from 1 and refusing lines
/// longer than a limit so a damaged file fails fast with its line number.
struct LineCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    let maxLineBytes: Int
    private(set) var position = 0
    private(set) var lineNumber = 0

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, maxLineBytes: Int) {
        self.bytes = bytes
        self.file = file
        self.maxLineBytes = maxLineBytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// Moves to a line start found earlier (line numbers are no longer counted right).
    mutating func skip(to offset: Int) {
        position = offset
    }

    /// The next line without its terminator, or nil at the end.
    mutating func next() throws -> Range<Int>? {
        guard position < bytes.count else { return nil }
        lineNumber += 1
        let start = position
        // The search stops past the limit: a file of zeros (or a sparse file) is never walked
        // to its end, nor paged in, looking for a line break.
        let window = min(bytes.count - start, maxLineBytes + 2)
        let end: Int
        if let base = bytes.baseAddress, let hit = memchr(base + start, 0x0A, window) {
            end = start + (UnsafeRawPointer(hit) - UnsafeRawPointer(base + start))
            position = end + 1
        } else {
            end = start + window
            position = end
        }
        let length = end > start && bytes[end - 1] == 0x0D ? end - start - 1 : end - start
        if length > maxLineBytes {
            throw ImportError.lineTooLong(file: file, line: lineNumber, bytes: length, limit: maxLineBytes)
        }
        if end > start, bytes[end - 1] == 0x0D { return start..<(end - 1) }
        return start..<end
    }

    /// The line as a String, failing with the line number when it is not UTF-8.
    func string(_ range: Range<Int>) throws -> String {
        try decodeUTF8(bytes, range, file: file, line: lineNumber)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Strict UTF-8 decoding of a byte range: invalid bytes are an error, never a silent U+FFFD.
func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, file: String, line: Int) throws -> String {
    let slice = UnsafeBufferPointer(rebasing: bytes[range])
    var isASCII = true
    for byte in slice where byte >= 0x80 {
        isASCII = false
        break
    }
    if isASCII { return String(decoding: slice, as: UTF8.self) }
    guard let text = String(validating: slice, as: UTF8.self) else {
        throw ImportError.invalidUTF8(file: file, line: line)
    }
    return text
}
