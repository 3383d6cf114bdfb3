import Foundation

/// A value written as JSON `null` when absent, where a key must always be present
/// (synthesized `Encodable` would leave the key out).
@propertyWrapper
public struct NullWhenAbsent<Value: Encodable & Sendable & Equatable>: Encodable, Sendable, Equatable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// How chattag writes machine output: sorted keys and unescaped slashes, so the same value
/// always gives the same bytes. Every `--json` output is an `Encodable` type whose keys are
/// listed in docs/json.md.
public enum JSONOutput {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// One line of JSON text.
    public static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// `value` rounded to three decimals (milliseconds for seconds, 0.1% for rates).
    public static func rounded(_ value: Double?) -> Double? {
        value.map { ($0 * 1000).rounded() / 1000 }
    }
}

/// A prompt template's identity in machine output.
public struct PromptIdentity: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public var hash: String

    public init(name: String, version: String, hash: String) {
        self.name = name
        self.version = version
        self.hash = hash
    }
}
