import ChatTagCore
import Foundation

/// The JSON body of a chat-completion request, written directly as UTF-8 (Foundation's
/// JSONSerialization costs more CPU per request than the whole HTTP exchange).
enum RequestBody {
    static func encode(_ request: ChatRequest) -> Data {
        var out = JSONOut()
        out.bytes.reserveCapacity(request.messages.reduce(512) { $0 + $1.content.utf8.count + 64 })
        out.raw("{\"model\":")
        out.string(request.model)
        out.raw(",\"messages\":[")
        for (index, turn) in request.messages.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"role\":")
            out.string(turn.role)
            out.raw(",\"content\":")
            out.string(turn.content)
            out.raw("}")
        }
        out.raw("]")
        if let temperature = request.temperature { out.raw(",\"temperature\":\(temperature)") }
        if let maxTokens = request.maxTokens { out.raw(",\"max_tokens\":\(maxTokens)") }
        if let seed = request.seed { out.raw(",\"seed\":\(seed)") }
        switch request.responseMode {
        case .jsonSchema:
            out.raw(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"chat_tags\",\"strict\":true,\"schema\":")
            schema(request.taxonomy, into: &out)
            out.raw("}}")
        case .jsonObject:
            out.raw(",\"response_format\":{\"type\":\"json_object\"}")
        case .none:
            break
        }
        out.raw("}")
        return Data(out.bytes)
    }

    /// A strict JSON schema built from the template's fields.
    static func schema(_ taxonomy: Taxonomy, into out: inout JSONOut) {
        out.raw("{\"type\":\"object\",\"properties\":{")
        for (index, field) in taxonomy.fields.enumerated() {
            if index > 0 { out.raw(",") }
            out.string(field.name)
            if field.isBoolean {
                out.raw(":{\"type\":\"boolean\"}")
            } else {
                out.raw(":{\"type\":\"string\",\"enum\":[")
                for (valueIndex, value) in field.values.enumerated() {
                    if valueIndex > 0 { out.raw(",") }
                    out.string(value)
                }
                out.raw("]}")
            }
        }
        out.raw("},\"required\":[")
        for (index, field) in taxonomy.fields.enumerated() {
            if index > 0 { out.raw(",") }
            out.string(field.name)
        }
        out.raw("],\"additionalProperties\":false}")
    }
}

/// A byte buffer with JSON string escaping.
public struct JSONOut {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    public mutating func string(_ text: String) {
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}

/// Reads the parts of a chat-completion response that chattag keeps.
enum ResponseBody {
    static func parse(_ data: Data) -> ChatReply? {
        guard let object = JSONValue.parse(data), let message = object["choices"]?.array?.first?["message"] else { return nil }
        let usage = object["usage"]
        return ChatReply(
            content: message["content"]?.string ?? "", modelVersion: object["model"]?.string, systemFingerprint: object["system_fingerprint"]?.string,
            tokensIn: usage?["prompt_tokens"]?.int64.map { Int($0) }, tokensOut: usage?["completion_tokens"]?.int64.map { Int($0) })
    }
}

/// What chattag reads from response headers, given a case-insensitive lookup by name; one
/// implementation for every transport.
enum ResponseHeaders {
    /// `retry-after-ms` (milliseconds) wins over `Retry-After` (seconds or an HTTP date).
    static func retryAfter(_ header: (String) -> String?) -> Double? {
        if let text = header("retry-after-ms"), let millis = Double(text.trimmingCharacters(in: .whitespaces)) { return millis / 1000 }
        guard let text = header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(text) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func hints(_ header: (String) -> String?) -> RateLimitHints {
        RateLimitHints(
            remainingRequests: header("x-ratelimit-remaining-requests").flatMap { Int($0) },
            remainingTokens: header("x-ratelimit-remaining-tokens").flatMap { Int($0) },
            resetRequestsSeconds: header("x-ratelimit-reset-requests").flatMap(RetryPolicy.parseDuration),
            resetTokensSeconds: header("x-ratelimit-reset-tokens").flatMap(RetryPolicy.parseDuration))
    }
}
