import ChatTagCore
import Foundation
import Synchronization

/// The JSON body of a chat-completion request, written directly as UTF-8 (Foundation's
/// JSONSerialization costs more CPU per request than the whole HTTP exchange).
enum RequestBody {
    /// The request's JSON. `parts` keeps the JSON of what every request of a run repeats (a
    /// template's system message, the schema), so it is escaped once, not once per call.
    static func encode(_ request: ChatRequest, parts: RepeatedParts? = nil) -> [UInt8] {
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
            if index == 0, turn.role == "system", let parts {
                out.bytes += parts.systemJSON(turn.content)
            } else {
                out.string(turn.content)
            }
            out.raw("}")
        }
        out.raw("]")
        if let temperature = request.temperature { out.raw(",\"temperature\":\(temperature)") }
        if let maxTokens = request.maxTokens { out.raw(",\"max_tokens\":\(maxTokens)") }
        if let seed = request.seed { out.raw(",\"seed\":\(seed)") }
        if request.logprobs { out.raw(",\"logprobs\":true,\"top_logprobs\":5") }
        switch request.responseMode {
        case .jsonSchema:
            out.raw(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"chat_tags\",\"strict\":true,\"schema\":")
            if let parts {
                out.bytes += parts.schemaJSON(request.taxonomy)
            } else {
                schema(request.taxonomy, into: &out)
            }
            out.raw("}}")
        case .jsonObject:
            out.raw(",\"response_format\":{\"type\":\"json_object\"}")
        case .none:
            break
        }
        out.raw("}")
        return out.bytes
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

/// The JSON of the parts a run's requests repeat, each remembered for the last value seen
/// (a run has one template, so one system message and one schema).
final class RepeatedParts: Sendable {
    private let system = Mutex<(text: String, json: [UInt8])?>(nil)
    private let schema = Mutex<(taxonomy: Taxonomy, json: [UInt8])?>(nil)

    /// `text` as an escaped JSON string.
    func systemJSON(_ text: String) -> [UInt8] {
        if let cached = system.withLock({ $0 }), cached.text == text { return cached.json }
        var out = JSONOut()
        out.string(text)
        system.withLock { $0 = (text, out.bytes) }
        return out.bytes
    }

    /// The strict JSON schema of `taxonomy`.
    func schemaJSON(_ taxonomy: Taxonomy) -> [UInt8] {
        if let cached = schema.withLock({ $0 }), cached.taxonomy == taxonomy { return cached.json }
        var out = JSONOut()
        RequestBody.schema(taxonomy, into: &out)
        schema.withLock { $0 = (taxonomy, out.bytes) }
        return out.bytes
    }
}

/// A byte buffer with JSON string escaping.
public struct JSONOut {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { escape($0) }
    }

    /// Copies runs of bytes that need no escaping in one append each.
    private mutating func escape(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            switch byte {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            default:
                let hex = Self.hexDigits
                bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(0x22)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

/// Reads the parts of a chat-completion response that chattag keeps.
enum ResponseBody {
    static func parse(_ data: Data) -> ChatReply? {
        guard let object = JSONValue.parse(data), let message = object["choices"]?.array?.first?["message"] else { return nil }
        let usage = object["usage"]
        var reply = ChatReply(
            content: message["content"]?.string ?? "", modelVersion: object["model"]?.string, systemFingerprint: object["system_fingerprint"]?.string,
            tokensIn: usage?["prompt_tokens"]?.int64.map { Int($0) }, tokensOut: usage?["completion_tokens"]?.int64.map { Int($0) })
        reply.cachedTokens = usage?["prompt_tokens_details"]?["cached_tokens"]?.int64.map { Int($0) }
        reply.tokens = object["choices"]?.array?.first?["logprobs"]?["content"]?.array.map(tokens)
        return reply
    }

    /// `logprobs.content[]`: each token with its log-probability and `top_logprobs`.
    static func tokens(_ items: [JSONValue]) -> [TokenLogprob] {
        items.compactMap { item in
            guard let text = item["token"]?.string, case let .number(logprob)? = item["logprob"] else { return nil }
            let top = (item["top_logprobs"]?.array ?? []).compactMap { alternative -> TokenLogprob.Alternative? in
                guard let text = alternative["token"]?.string, case let .number(logprob)? = alternative["logprob"] else { return nil }
                return .init(text: text, logprob: logprob)
            }
            return TokenLogprob(text: text, logprob: logprob, top: top)
        }
    }
}

/// What chattag reads from response headers, given a case-insensitive lookup by name; one
/// implementation for every transport.
enum ResponseHeaders {
    /// `retry-after-ms` (milliseconds) wins over `Retry-After` (seconds or an HTTP date).
    static func retryAfter(_ header: (String) -> String?) -> Double? {
        // Only a finite, non-negative wait counts ("nan" and "inf" parse as Doubles).
        if let text = header("retry-after-ms"), let millis = Double(text.trimmingCharacters(in: .whitespaces)), millis.isFinite, millis >= 0 {
            return millis / 1000
        }
        guard let text = header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(text) { return seconds.isFinite && seconds >= 0 ? seconds : nil }
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
