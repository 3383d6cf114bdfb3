/// A strict JSON reader over UTF-8 bytes with positions, used for JSONL lines and for walking
/// Telegram exports one message at a time.
struct JSONReader {
    struct Failure: Error {
        let offset: Int
        let problem: String
        /// A string or a value over the reader's limits, not broken JSON.
        var tooLong = false
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int
    /// The longest string built, in bytes of JSON: a message's text is at most 1 MiB, and a
    /// longer one would only cost memory before it is refused.
    var maxStringBytes = Int.max
    /// Values built by ``value(depth:)`` may not reach past this offset, so one object of
    /// millions of tiny values cannot grow a tree many times its size.
    var valueLimit = Int.max
    /// The most values ``value(depth:)`` builds in all (each is a tree node of tens of bytes or,
    /// for an object, a few hundred): millions of `{}` in one line would cost far more memory
    /// than the line's size.
    var maxValues = Int.max
    var valuesBuilt = 0

    init(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    mutating func skipWhitespace() {
        while position < end {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 } else { return }
        }
    }

    func fail(_ problem: String) -> Failure { Failure(offset: min(position, end), problem: problem) }

    mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard position < end else { throw fail("the JSON ends too early") }
        return bytes[position]
    }

    mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else {
            throw fail("expected '\(Character(UnicodeScalar(byte)))' but found '\(Character(UnicodeScalar(bytes[position])))'")
        }
        position += 1
    }

    /// True and consumes the byte when the next non-space byte is `byte`.
    mutating func consume(_ byte: UInt8) throws -> Bool {
        if try peek() == byte {
            position += 1
            return true
        }
        return false
    }

    mutating func atEnd() -> Bool {
        skipWhitespace()
        return position >= end
    }

    mutating func value(depth: Int = 0) throws -> JSONValue {
        guard depth < 64 else { throw fail("the JSON nests deeper than 64 levels") }
        guard position <= valueLimit else { throw Failure(offset: position, problem: "one value is too large", tooLong: true) }
        valuesBuilt += 1
        guard valuesBuilt <= maxValues else { throw Failure(offset: position, problem: "over \(maxValues) JSON values", tooLong: true) }
        switch try peek() {
        case 0x7B:
            position += 1
            var members: [String: JSONValue] = [:]
            if try consume(0x7D) { return .object(members) }
            repeat {
                guard try peek() == 0x22 else { throw fail("expected a quoted key") }
                let key = try string()
                try expect(0x3A)
                members[key] = try value(depth: depth + 1)
            } while try consume(0x2C)
            try expect(0x7D)
            return .object(members)
        case 0x5B:
            position += 1
            var values: [JSONValue] = []
            if try consume(0x5D) { return .array(values) }
            repeat {
                values.append(try value(depth: depth + 1))
            } while try consume(0x2C)
            try expect(0x5D)
            return .array(values)
        case 0x22:
            return .string(try string())
        case 0x74:
            try literal("true")
            return .bool(true)
        case 0x66:
            try literal("false")
            return .bool(false)
        case 0x6E:
            try literal("null")
            return .null
        default:
            return .number(try number())
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= end else { throw fail("unexpected text") }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
            throw fail("unexpected text")
        }
        position += count
    }

    private mutating func number() throws -> Double {
        let start = position
        while position < end {
            let byte = bytes[position]
            if (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte == 0x65 || byte == 0x45 {
                position += 1
            } else {
                break
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard !text.isEmpty, let value = Double(text) else {
            position = start
            throw fail("unexpected character")
        }
        return value
    }

    /// A quoted string; the reader must be at its opening quote.
    mutating func string() throws -> String {
        position += 1
        let start = position
        var plain = true
        var ascii = true
        while position < end {
            let byte = bytes[position]
            if byte == 0x22 { break }
            if byte == 0x5C { plain = false; break }
            if byte < 0x20 { throw fail("a control character inside a string") }
            if byte >= 0x80 { ascii = false }
            position += 1
            if position - start > maxStringBytes { throw Failure(offset: start, problem: "a string is over \(maxStringBytes) bytes", tooLong: true) }
        }
        guard position < end else { throw fail("a string is not closed") }
        if plain {
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
            position += 1
            if ascii { return String(decoding: slice, as: UTF8.self) }
            guard let text = String(validating: slice, as: UTF8.self) else { throw Failure(offset: start, problem: "a string is not valid UTF-8") }
            return text
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < end {
            let byte = bytes[position]
            if byte == 0x22 {
                position += 1
                guard let text = String(validating: out, as: UTF8.self) else { throw Failure(offset: start, problem: "a string is not valid UTF-8") }
                return text
            }
            if byte < 0x20 { throw fail("a control character inside a string") }
            if position - start > maxStringBytes { throw Failure(offset: start, problem: "a string is over \(maxStringBytes) bytes", tooLong: true) }
            if byte != 0x5C {
                out.append(byte)
                position += 1
                continue
            }
            position += 1
            guard position < end else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case 0x22, 0x5C, 0x2F: out.append(escape)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard position + 1 < end, bytes[position] == 0x5C, bytes[position + 1] == 0x75 else { throw fail("a lone surrogate escape") }
                    position += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail("a lone surrogate escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw fail("an invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw fail("an invalid escape")
            }
        }
        throw fail("a string is not closed")
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= end else { throw fail("an invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw fail("an invalid \\u escape")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    /// One value, counted against ``maxValues`` on its own (not with the values read before it).
    mutating func freshValue() throws -> JSONValue {
        valuesBuilt = 0
        return try value()
    }

    /// Skips one value without building it (strings are not decoded, so memory stays flat
    /// over a value of any size); the brackets must balance.
    mutating func skipValue() throws {
        var depth = 0
        repeat {
            let byte = try peek()
            switch byte {
            case 0x7B, 0x5B:
                depth += 1
                position += 1
            case 0x7D, 0x5D:
                guard depth > 0 else { throw fail("unexpected '\(Character(UnicodeScalar(byte)))'") }
                depth -= 1
                position += 1
            case 0x2C, 0x3A:
                guard depth > 0 else { throw fail("unexpected '\(Character(UnicodeScalar(byte)))'") }
                position += 1
            case 0x22:
                position += 1
                while position < end, bytes[position] != 0x22 {
                    position += bytes[position] == 0x5C ? 2 : 1
                }
                guard position < end else { throw fail("a string is not closed") }
                position += 1
            default:
                let start = position
                scalar: while position < end {
                    switch bytes[position] {
                    case 0x2C, 0x3A, 0x5D, 0x7D, 0x20, 0x0A, 0x0D, 0x09: break scalar
                    default: position += 1
                    }
                }
                guard position > start else { throw fail("unexpected character") }
            }
        } while depth > 0
    }

    /// The 1-based line of a byte offset, counted only when an error is reported.
    static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A { line += 1 }
        return line
    }
}
