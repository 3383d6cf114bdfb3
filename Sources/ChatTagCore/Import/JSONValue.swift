/// A parsed JSON value. Import files are read with ``JSONReader`` rather than Foundation so that
/// errors carry line numbers, invalid UTF-8 is caught, and large exports stream.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    public var string: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case let .array(values) = self { return values }
        return nil
    }

    public var object: [String: JSONValue]? {
        if case let .object(members) = self { return members }
        return nil
    }

    /// What kind of value this is, in words for an error message ("a number"); never the value,
    /// which may be personal data.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// A number, or a string holding one (Telegram writes `"date_unixtime": "1741071731"`).
    public var int64: Int64? {
        switch self {
        case let .number(value): return Int64(exactly: value.rounded(.towardZero))
        case let .string(text): return Int64(text)
        default: return nil
        }
    }
}

extension JSONValue {
    /// Parses a complete JSON document (strict UTF-8), or nil.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) -> JSONValue? where Bytes.Element == UInt8 {
        let array = Array(bytes)
        return array.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer, range: 0..<buffer.count)
            guard let value = try? reader.value(), reader.atEnd() else { return nil }
            return value
        }
    }
}
