import Foundation

/// Reads a request body's JSON into Foundation objects (`[String: Any]`, `[Any]`, `String`,
/// `Int`, `Double`, `Bool`, `NSNull`), as JSONSerialization does, on the raw UTF-8 bytes.
/// JSONSerialization on Linux spent ~0.1 ms per 6 KB request — as much CPU as the client
/// a benchmark measures, on the same two cores.
struct RequestJSON {
    struct Invalid: Error {
        let offset: Int
    }

    private let bytes: [UInt8]
    private var index = 0

    /// The document's value; throws on anything that is not one complete JSON value.
    static func parse(_ data: Data) throws -> Any {
        var bytes = [UInt8](data)
        // A UTF-8 byte order mark is allowed before the value, as JSONSerialization allows it.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var reader = RequestJSON(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw Invalid(offset: reader.index) }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private mutating func value(depth: Int) throws -> Any {
        guard depth < 512 else { throw Invalid(offset: index) }
        skipSpace()
        guard index < bytes.count else { throw Invalid(offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "t"): return try literal("true", true)
        case UInt8(ascii: "f"): return try literal("false", false)
        case UInt8(ascii: "n"): return try literal("null", NSNull())
        default: return try number()
        }
    }

    private mutating func object(depth: Int) throws -> [String: Any] {
        index += 1
        var object: [String: Any] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return object
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Invalid(offset: index) }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Invalid(offset: index) }
            index += 1
            object[key] = try value(depth: depth + 1)
            skipSpace()
            guard index < bytes.count else { throw Invalid(offset: index) }
            index += 1
            if bytes[index - 1] == UInt8(ascii: "}") { return object }
            guard bytes[index - 1] == UInt8(ascii: ",") else { throw Invalid(offset: index - 1) }
        }
    }

    private mutating func array(depth: Int) throws -> [Any] {
        index += 1
        var array: [Any] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return array
        }
        while true {
            array.append(try value(depth: depth + 1))
            skipSpace()
            guard index < bytes.count else { throw Invalid(offset: index) }
            index += 1
            if bytes[index - 1] == UInt8(ascii: "]") { return array }
            guard bytes[index - 1] == UInt8(ascii: ",") else { throw Invalid(offset: index - 1) }
        }
    }

    private mutating func literal(_ word: String, _ value: Any) throws -> Any {
        let word = Array(word.utf8)
        guard index + word.count <= bytes.count, Array(bytes[index..<index + word.count]) == word else { throw Invalid(offset: index) }
        index += word.count
        return value
    }

    /// A number as JSON spells it: `-`, then `0` or digits without a leading zero, then an
    /// optional fraction and exponent.
    private mutating func number() throws -> Any {
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            return index - first
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw Invalid(offset: start) }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            isInteger = false
            guard digits() > 0 else { throw Invalid(offset: start) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            isInteger = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw Invalid(offset: start) }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int(text) { return integer }
        guard let double = Double(text), double.isFinite else { throw Invalid(offset: start) }
        return double
    }

    /// A string: runs without escapes are decoded in one piece.
    private mutating func string() throws -> String {
        index += 1
        var result = ""
        var runStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                result += try run(runStart..<index)
                index += 1
                return result
            }
            guard byte >= 0x20 else { throw Invalid(offset: index) }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            result += try run(runStart..<index)
            guard index + 1 < bytes.count else { throw Invalid(offset: index) }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""): result += "\""
            case UInt8(ascii: "\\"): result += "\\"
            case UInt8(ascii: "/"): result += "/"
            case UInt8(ascii: "b"): result += "\u{08}"
            case UInt8(ascii: "f"): result += "\u{0C}"
            case UInt8(ascii: "n"): result += "\n"
            case UInt8(ascii: "r"): result += "\r"
            case UInt8(ascii: "t"): result += "\t"
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { throw Invalid(offset: index) }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw Invalid(offset: index) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let decoded = Unicode.Scalar(scalar) else { throw Invalid(offset: index) }
                result.unicodeScalars.append(decoded)
            default:
                throw Invalid(offset: index - 1)
            }
            runStart = index
        }
        throw Invalid(offset: index)
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Invalid(offset: index) }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw Invalid(offset: index)
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    /// A run of string bytes without escapes, which must be valid UTF-8.
    private func run(_ range: Range<Int>) throws -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else { throw Invalid(offset: range.lowerBound) }
        return text
    }
}
