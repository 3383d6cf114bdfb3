import Foundation

/// A JSON value from (or for) Bitrix24's REST API, `Sendable` so replies cross tasks.
/// Bitrix24 writes most numbers as strings (`"ID":"42"`); ``int`` reads both.
public enum BitrixJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([BitrixJSON])
    case object([String: BitrixJSON])

    /// Parses a reply body; nil when it is not JSON.
    public init?(data: Data) {
        guard let any = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        self.init(any: any)
    }

    init(any: Any) {
        switch any {
        case let value as NSNumber:
            let type = String(cString: value.objCType)
            self = type == "c" || type == "B" ? .bool(value.boolValue) : .number(value.doubleValue)
        case let value as String: self = .string(value)
        case let value as [Any]: self = .array(value.map(BitrixJSON.init(any:)))
        case let value as [String: Any]: self = .object(value.mapValues(BitrixJSON.init(any:)))
        default: self = .null
        }
    }

    public subscript(key: String) -> BitrixJSON? {
        if case let .object(object) = self { return object[key] }
        return nil
    }

    public var string: String? {
        switch self {
        case let .string(text): return text
        case let .number(number): return number == number.rounded() ? String(Int64(number)) : String(number)
        default: return nil
        }
    }

    public var int: Int? {
        switch self {
        case let .number(number): return Int(exactly: number.rounded())
        case let .string(text): return Int(text)
        default: return nil
        }
    }

    public var array: [BitrixJSON]? {
        switch self {
        case let .array(items): return items
        // PHP arrays with string keys come as objects ({"0":…, "1":…}); their values in key order.
        case let .object(object): return object.keys.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }.compactMap { object[$0] }
        default: return nil
        }
    }

    /// The value as a Foundation object, for JSONSerialization.
    var foundation: Any {
        switch self {
        case .null: return NSNull()
        case let .bool(value): return value
        case let .number(value): return value == value.rounded() && abs(value) < 1e15 ? Int64(value) as Any : value as Any
        case let .string(value): return value
        case let .array(items): return items.map(\.foundation)
        case let .object(object): return object.mapValues(\.foundation)
        }
    }

    /// The JSON text of a request body.
    func encoded() -> Data {
        (try? JSONSerialization.data(withJSONObject: foundation, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// The value as PHP's `http_build_query` writes it, the form a `batch` command takes:
    /// `select[0]=ID&select[1]=PHONE&order[ID]=ASC&start=50`.
    func query(prefix: String = "") -> [String] {
        switch self {
        case let .object(object):
            return object.keys.sorted().flatMap { key in object[key]!.query(prefix: prefix.isEmpty ? key : "\(prefix)[\(key)]") }
        case let .array(items):
            return items.enumerated().flatMap { index, item in item.query(prefix: "\(prefix)[\(index)]") }
        case .null:
            return ["\(Self.escape(prefix))="]
        case let .bool(value):
            return ["\(Self.escape(prefix))=\(value ? "1" : "0")"]
        default:
            return ["\(Self.escape(prefix))=\(Self.escape(string ?? ""))"]
        }
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
