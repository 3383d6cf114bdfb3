import Foundation

/// The stored form of a tag's or a label's values: a flat JSON object of strings,
/// `{"intent":"booking","missed_lead":"true"}`, keys sorted.
public enum TagValuesJSON {
    public static func encode(_ values: TagValues) -> String {
        "{" + values.keys.sorted().map { "\(quoted($0)):\(quoted(values[$0]!))" }.joined(separator: ",") + "}"
    }

    /// The values of a stored object; booleans and numbers come back as their text.
    public static func decode(_ text: String) -> TagValues {
        let bytes = Array(text.utf8)
        let parsed: JSONValue? = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer, range: 0..<buffer.count)
            return try? reader.value()
        }
        guard case let .object(members)? = parsed else { return [:] }
        var values: TagValues = [:]
        for (key, value) in members {
            switch value {
            case let .string(text): values[key] = text
            case let .bool(flag): values[key] = flag ? "true" : "false"
            case let .number(number): values[key] = number == number.rounded() ? String(Int(number)) : String(number)
            default: continue
            }
        }
        return values
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// The stored form of a tag's confidences: `{"intent":0.93,"missed_lead":0.61}`, keys sorted,
/// four decimals.
public enum ConfidenceJSON {
    public static func encode(_ confidence: [String: Double]) -> String {
        "{" + confidence.keys.sorted().map { "\(TagValuesJSON.quoted($0)):\(String(format: "%.4f", confidence[$0]!))" }.joined(separator: ",") + "}"
    }

    public static func decode(_ text: String) -> [String: Double] {
        TagValuesJSON.decode(text).compactMapValues(Double.init)
    }
}
