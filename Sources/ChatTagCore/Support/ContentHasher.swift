import Crypto

/// Incremental SHA-256 over length-prefixed fields, so ("ab","c") and ("a","bc") differ.
public struct ContentHasher {
    private var hasher = SHA256()

    public init() {}

    public mutating func add(_ field: String) {
        var length = UInt32(field.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
        var copy = field
        copy.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    public func hexDigest() -> String { hasher.finalize().hexString }
}

/// SHA-256 helpers used for dialogue ids, file fingerprints and prompt hashes.
public enum Digest {
    /// Hex SHA-256 of bytes.
    public static func sha256Hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        SHA256.hash(data: Array(bytes)).hexString
    }

    /// Hex SHA-256 of a string's UTF-8.
    public static func sha256Hex(_ text: String) -> String { sha256Hex(Array(text.utf8)) }
}

extension Sequence where Element == UInt8 {
    var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
