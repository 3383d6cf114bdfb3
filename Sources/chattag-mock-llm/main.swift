// chattag-mock-llm: a loopback-only stand-in for the OpenAI chat completions API, used by
// the tests and by `chattag-bench run`.
//
// It starts on 127.0.0.1 (never any other address), prints `listening on 127.0.0.1:PORT`,
// and answers `POST /v1/chat/completions` with tags decided by keyword rules, so every run is
// reproducible. Faults (500, 429, hangs, truncated JSON, prose, off-taxonomy values) are
// injected by completion number, which makes a failing test replayable. It can also play
// what is not an endpoint at all (an HTML page, an empty 200, a black hole) and a server that
// echoes the key it was sent. Only Foundation,
// Synchronization and the C library are used so the target needs no package dependencies.

import Foundation
import MockHTTP
import Synchronization

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// How a flag's value lands in ``Config``.
enum Setting {
    case count(WritableKeyPath<Config, Int>)
    case optionalCount(WritableKeyPath<Config, Int?>)
    case seconds(WritableKeyPath<Config, Double>)
    case text(WritableKeyPath<Config, String>)
    case optionalText(WritableKeyPath<Config, String?>)
    case set(WritableKeyPath<Config, Bool>, to: Bool)
}

/// The command line. Every fault is off (0 / nil) unless asked for.
struct Config: Sendable {
    var port = 0, latencyMs = 0, jitterMs = 0
    var modelVersion = "mock-model-2025-01-01", fingerprint = "fp_mock1"
    var failEvery = 0, failFirst = 0, rateLimitEvery = 0, hangEvery = 0
    var malformedEvery = 0, proseEvery = 0, offTaxonomyEvery = 0
    var retryAfter = 1, retryAfterMs: Int?, retryHeaders = true
    var hangSeconds = 30.0, lifetimeSeconds = 3600.0
    var failMarker: String?, requireKey: String?, recordPath: String?
    var rejectJSONSchema = false, rejectJSONObject = false
    var rateLimitRemaining: Int?, maxRequests = 0
    var htmlEvery = 0, emptyEvery = 0, blackhole = false, echoKey = false

    /// Every flag once — name, value, help, setting — so the help cannot drift from the parser.
    static var flags: [(name: String, value: String, help: String, setting: Setting)] {
        [
            ("--port", "N", "port on 127.0.0.1 (default 0 = ephemeral)", .count(\.port)),
            ("--latency-ms", "N", "sleep before answering each completion (default 0)", .count(\.latencyMs)),
            ("--jitter-ms", "N", "add a uniform 0…N ms to that sleep", .count(\.jitterMs)),
            ("--model-version", "NAME", "`model` in answers (default mock-model-2025-01-01)", .text(\.modelVersion)),
            ("--system-fingerprint", "FP", "`system_fingerprint` in answers (default fp_mock1)", .text(\.fingerprint)),
            ("--fail-every", "N", "every Nth completion answers 500", .count(\.failEvery)),
            ("--fail-first", "N", "the first N completions answer 500", .count(\.failFirst)),
            ("--rate-limit-every", "N", "every Nth completion answers 429", .count(\.rateLimitEvery)),
            ("--retry-after", "S", "Retry-After seconds on 429s (default 1)", .count(\.retryAfter)),
            ("--retry-after-ms", "MS", "also send `retry-after-ms: MS` on 429s", .optionalCount(\.retryAfterMs)),
            ("--no-retry-headers", "", "send 429s without any retry header", .set(\.retryHeaders, to: false)),
            ("--hang-every", "N", "every Nth completion waits --hang-seconds before answering", .count(\.hangEvery)),
            ("--hang-seconds", "S", "length of a hang (default 30)", .seconds(\.hangSeconds)),
            ("--malformed-every", "N", "every Nth completion answers 200 with truncated JSON", .count(\.malformedEvery)),
            ("--prose-every", "N", "every Nth completion embeds its JSON in prose", .count(\.proseEvery)),
            ("--off-taxonomy-every", "N", "every Nth completion answers \"intent\":\"purchase\"", .count(\.offTaxonomyEvery)),
            ("--html-every", "N", "every Nth completion answers 200 with an HTML page", .count(\.htmlEvery)),
            ("--empty-every", "N", "every Nth completion answers 200 with an empty body", .count(\.emptyEvery)),
            ("--blackhole", "", "accept connections and read requests, never answer", .set(\.blackhole, to: true)),
            ("--echo-key", "", "error answers quote the Authorization header they got", .set(\.echoKey, to: true)),
            ("--fail-marker", "TEXT", "a request whose body contains TEXT always answers 500", .optionalText(\.failMarker)),
            ("--reject-json-schema", "", "answer 400 to response_format json_schema", .set(\.rejectJSONSchema, to: true)),
            ("--reject-json-object", "", "answer 400 to response_format json_object", .set(\.rejectJSONObject, to: true)),
            ("--require-key", "KEY", "answer 401 unless `Authorization: Bearer KEY`", .optionalText(\.requireKey)),
            ("--record", "FILE", "append one JSON line per request (authorization redacted)", .optionalText(\.recordPath)),
            ("--ratelimit-remaining", "N", "add x-ratelimit-* headers to completion answers", .optionalCount(\.rateLimitRemaining)),
            ("--max-requests", "N", "exit after serving N completions", .count(\.maxRequests)),
            ("--lifetime-seconds", "S", "exit after S seconds (default 3600)", .seconds(\.lifetimeSeconds)),
        ]
    }

    static var usage: String {
        let lines = flags.map { "  " + "\($0.name) \($0.value)".padding(toLength: 26, withPad: " ", startingAt: 0) + $0.help }
        return
            (["usage: chattag-mock-llm [flags]", "A mock OpenAI-compatible chat completions server, bound to 127.0.0.1 only."] + lines
            + ["  --help                    print this help", "Counters are 1-based and global: completion requests in arrival order."]).joined(separator: "\n")
    }

    /// Parses the flags; a bad one is reported on stderr with exit status 2, as tools do.
    static func parse(_ arguments: [String]) -> Config {
        var config = Config(), rest = arguments[...]
        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("chattag-mock-llm: \(message) (see --help)\n".utf8))
            exit(2)
        }
        func count(_ name: String, _ value: String) -> Int {
            guard let count = Int(value), count >= 0 else { fail("\(name) needs a whole number ≥ 0") }
            return count
        }
        while let name = rest.popFirst() {
            if name == "--help" || name == "-h" { print(usage); exit(0) }
            guard let setting = flags.first(where: { $0.name == name })?.setting else { fail("unknown flag \(name)") }
            if case let .set(path, value) = setting { config[keyPath: path] = value; continue }
            guard let value = rest.popFirst() else { fail("\(name) needs a value") }
            switch setting {
            case let .count(path): config[keyPath: path] = count(name, value)
            case let .optionalCount(path): config[keyPath: path] = count(name, value)
            case let .seconds(path):
                guard let seconds = Double(value), seconds >= 0 else { fail("\(name) needs a number of seconds ≥ 0") }
                config[keyPath: path] = seconds
            case let .text(path): config[keyPath: path] = value
            case let .optionalText(path): config[keyPath: path] = value
            case .set: break
            }
        }
        if config.port > 65535 { fail("--port must be 0…65535") }
        return config
    }
}

/// A thread-safe 1-based counter shared by all connection threads.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock {
            $0 += 1; return $0
        }
    }
}

/// Appends one JSON line per request to the `--record` file: `n` (the completion number, or
/// -1, -2, … for other paths), method, path, headers (lowercased, key redacted) and the body
/// (parsed JSON, else the raw text). Lines are written whole under a lock with O_APPEND, and
/// before the answer, so a test that has its answer always finds the request recorded.
final class Recorder: Sendable {
    /// The record file's descriptor; holding the lock while writing keeps lines whole.
    private let fd: Mutex<Int32>

    init(path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        self.fd = Mutex(fd)
        if fd < 0 { FileHandle.standardError.write(Data("chattag-mock-llm: cannot open \(path)\n".utf8)); exit(1) }
    }

    func record(_ n: Int, _ request: Request) {
        var headers: [String: String] = [:]
        for (name, value) in request.headers {
            // The key must never reach a file a test (or a bug report) might keep.
            headers[name] = name == "authorization" || name == "api-key" ? "<redacted>" : value
        }
        let body: Any = (try? JSONSerialization.jsonObject(with: request.body)) ?? String(decoding: request.body, as: UTF8.self)
        var line = json(["n": n, "method": request.method, "path": request.path, "headers": headers, "body": body])
        line.append(0x0A)
        fd.withLock { fd in _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
    }
}

/// One HTTP answer; `close` ends the connection after it is written.
struct Response {
    var status: Int
    var headers: [(String, String)] = []
    var body: Data
    var close = false
    var contentType = "application/json"

    static let reasons = [
        200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 413: "Payload Too Large",
        429: "Too Many Requests", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
    ]

    /// An OpenAI-shaped error body: `{"error":{"message","type","code"[,"param"]}}`.
    static func error(_ status: Int, _ message: String, type: String, code: String? = nil, param: String? = nil) -> Response {
        var error: [String: Any] = ["message": message, "type": type, "code": code ?? NSNull()]
        if let param { error["param"] = param }
        return Response(status: status, body: json(["error": error]))
    }

    /// Status line, headers and body in one buffer, so one `send` usually carries it all.
    func serialized() -> Data {
        var head = "HTTP/1.1 \(status) \(Self.reasons[status] ?? "Status")\r\nContent-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: \(close ? "close" : "keep-alive")\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        var data = Data((head + "\r\n").utf8)
        data.append(body)
        return data
    }
}

/// Serializes with sorted keys so recorded lines and errors are byte-for-byte reproducible.
func json(_ object: Any) -> Data {
    (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])) ?? Data("null".utf8)
}

/// A JSON string literal. Completions are built by hand because JSONSerialization with
/// sorted keys costs ~0.2 ms per answer on Linux, which would skew CPU figures in benchmarks.
func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"", "\\": out += "\\" + String(scalar)
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// The tags for one user message, by case-insensitive substring rules in Russian and English.
/// Matching is on UTF-8 bytes so emoji with or without a variation selector both match.
struct Tags {
    var intent: String, sentiment: String, missedLead: Bool

    /// The rules, first match wins: (value, substrings of the lowercased text).
    static let intents = [
        ("complaint", ["жалоб", "ужасн", "плохо", "испортил", "верните", "недовол", "complain", "terrible", "refund"]),
        ("booking", ["запис", "окно", "перенес", "перенос", "свободн", "book", "appointment", "slot"]),
        ("question", ["сколько", "цена", "стоит", "стоимост", "прайс", "есть ли", "работаете", "how much", "price", "?"]),
    ]
    static let sentiments = [
        ("negative", ["ужас", "плохо", "недовол", "жаль", "разочар", "terrible", "bad", "😡"]),
        ("positive", ["спасибо", "отлично", "супер", "класс", "thank", "great", "❤", "👍"]),
    ]
    static let confirmations = ["записал", "записали", "ждём вас", "ждем вас", "подтверждаю", "booked", "see you"]

    init(text: String) {
        let bytes = Self.lowercasedUTF8(Self.dialogue(in: text))
        func any(_ words: [String]) -> Bool { words.contains { find(Array($0.utf8), in: bytes) != nil } }
        intent = Self.intents.first { any($0.1) }?.0 ?? "other"
        sentiment = Self.sentiments.first { any($0.1) }?.0 ?? "neutral"
        missedLead = (intent == "booking" || intent == "question") && !any(Self.confirmations)
    }

    /// The dialogue part of a user message (between `<dialogue>` and `</dialogue>`), so the
    /// rules read the chat, not the template's list of values ("complaint" is in every one).
    static func dialogue(in text: String) -> String {
        guard let open = text.range(of: "<dialogue>"), let close = text.range(of: "</dialogue>", range: open.upperBound..<text.endIndex) else { return text }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// The text's UTF-8 with Latin and Russian capitals made small, on the bytes (the rules
    /// speak only these two alphabets; `lowercased()` was a tenth of the mock's CPU).
    static func lowercasedUTF8(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x41 && byte <= 0x5A {
                bytes[index] = byte + 0x20
            } else if byte == 0xD0, index + 1 < bytes.count {
                let next = bytes[index + 1]
                if next >= 0x90 && next <= 0x9F {  // А–П
                    bytes[index + 1] = next + 0x20
                } else if next >= 0xA0 && next <= 0xAF {  // Р–Я
                    bytes[index] = 0xD1
                    bytes[index + 1] = next - 0x20
                } else if next == 0x81 {  // Ё
                    bytes[index] = 0xD1
                    bytes[index + 1] = 0x91
                }
                index += 1
            }
            index += 1
        }
        return bytes
    }

    /// The reply content: a JSON object whose keys follow the request's json_schema (its
    /// `required` order, then any other properties), or intent/sentiment/missed_lead.
    func content(format: [String: Any]?) -> String {
        let known = ["intent": quote(intent), "sentiment": quote(sentiment), "missed_lead": missedLead ? "true" : "false"]
        var keys = ["intent", "sentiment", "missed_lead"]
        var properties: [String: Any] = [:]
        if format?["type"] as? String == "json_schema",
            let schema = (format?["json_schema"] as? [String: Any])?["schema"] as? [String: Any],
            let declared = schema["properties"] as? [String: Any], !declared.isEmpty
        {
            properties = declared
            let required = (schema["required"] as? [String] ?? []).filter { declared[$0] != nil }
            keys = required + declared.keys.sorted().filter { !required.contains($0) }
        }
        let pairs = keys.map { key in
            quote(key) + ":" + (known[key] ?? String(decoding: json(Self.placeholder(properties[key] as? [String: Any] ?? [:])), as: UTF8.self))
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// A schema-valid value for a property the rules know nothing about.
    static func placeholder(_ property: [String: Any]) -> Any {
        let byType: [String: Any] = ["boolean": false, "integer": 0, "number": 0, "array": [Any](), "object": [String: Any]()]
        return (property["enum"] as? [Any])?.first ?? (property["type"] as? String).flatMap { byType[$0] } ?? ""
    }
}

/// Decides every answer. Shared by all connection threads; its only mutable state is the
/// counters and the record file, each behind its own lock.
final class MockLLM: Sendable {
    let config: Config
    private let completions = Counter(), served = Counter(), others = Counter()
    private let recorder: Recorder?

    init(config: Config) {
        self.config = config
        recorder = config.recordPath.map(Recorder.init(path:))
    }

    /// Routes one request. Completions are numbered by arrival; other requests are recorded
    /// with their own (negative) numbers so `n` in the record always matches `mock-<n>`.
    func respond(to request: Request) -> (Response, isCompletion: Bool) {
        switch (request.method, request.path) {
        case ("POST", "/v1/chat/completions"), ("POST", "/chat/completions"):
            let n = completions.next()
            recorder?.record(n, request)
            var response = completion(n, request)
            if config.echoKey, response.status >= 400 {
                // As careless servers do: the key, bare and as sent, in the error message.
                let sent = request.header("authorization") ?? ""
                let bare = sent.hasPrefix("Bearer ") ? String(sent.dropFirst(7)) : sent
                response.body = Response.error(response.status, "Incorrect API key provided: \(bare). You sent Authorization: \(sent).", type: "invalid_request_error").body
            }
            response.headers.append(("x-request-id", "mock-\(n)"))
            if let remaining = config.rateLimitRemaining {
                response.headers += [
                    ("x-ratelimit-limit-requests", "1000"), ("x-ratelimit-remaining-requests", "\(remaining)"),
                    ("x-ratelimit-reset-requests", "1.5s"), ("x-ratelimit-remaining-tokens", "100000"),
                    ("x-ratelimit-reset-tokens", "6m0s"),
                ]
            }
            return (response, true)
        case ("GET", "/v1/models"), ("GET", "/models"):
            recorder?.record(-others.next(), request)
            return (Response(status: 200, body: json(["object": "list", "data": [["id": config.modelVersion, "object": "model"]]])), false)
        default:
            recorder?.record(-others.next(), request)
            return (.error(404, "Unknown request URL: \(request.method) \(request.path).", type: "invalid_request_error", code: "unknown_url"), false)
        }
    }

    /// Whether a 1-based counter setting `every` selects request `n`.
    func hits(_ every: Int, _ n: Int) -> Bool { every > 0 && n % every == 0 }

    /// A completion answer, with faults applied in a fixed order: refusals a real server makes
    /// before any work (auth, unsupported format) come at once; injected faults and answers
    /// come after the latency and any hang.
    func completion(_ n: Int, _ request: Request) -> Response {
        if let key = config.requireKey, request.header("authorization") != "Bearer \(key)" {
            return .error(401, "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key")
        }
        guard let body = try? RequestJSON.parse(request.body) as? [String: Any] else {
            return .error(400, "We could not parse the JSON body of your request.", type: "invalid_request_error")
        }
        let format = body["response_format"] as? [String: Any]
        let formatType = format?["type"] as? String
        if (formatType == "json_schema" && config.rejectJSONSchema) || (formatType == "json_object" && config.rejectJSONObject) {
            return .error(
                400, "Invalid parameter: 'response_format' of type '\(formatType!)' is not supported with this model.",
                type: "invalid_request_error", param: "response_format")
        }
        // The answer is made first and sent when its time comes: arrival + the latency, so L is
        // the server's whole time and the mock's own work does not add to it.
        let response = answer(n, request, body: body, format: format)
        let delay = config.latencyMs + (config.jitterMs > 0 ? Int.random(in: 0...config.jitterMs) : 0)
        if delay > 0 { sleepUntil(request.arrivedAt + UInt64(delay) * 1_000_000) }
        if hits(config.hangEvery, n) { Thread.sleep(forTimeInterval: config.hangSeconds) }
        return response
    }

    /// The answer to a completion request that passed the checks: an injected fault, or tags
    /// read from the last user message by keyword rules.
    func answer(_ n: Int, _ request: Request, body: [String: Any], format: [String: Any]?) -> Response {
        let marked = config.failMarker.map { find(Array($0.utf8), in: Array(request.body)) != nil } ?? false
        if marked || n <= config.failFirst || hits(config.failEvery, n) {
            return .error(500, "The server had an error while processing your request. Sorry about that!", type: "server_error")
        }
        if hits(config.rateLimitEvery, n) {
            var response = Response.error(429, "Rate limit reached", type: "rate_limit_error", code: "rate_limit_exceeded")
            if config.retryHeaders {
                response.headers.append(("Retry-After", "\(config.retryAfter)"))
                if let millis = config.retryAfterMs { response.headers.append(("retry-after-ms", "\(millis)")) }
            }
            return response
        }
        if hits(config.htmlEvery, n) {
            var page = Response(status: 200, body: Data("<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>\n".utf8))
            page.contentType = "text/html; charset=utf-8"
            return page
        }
        if hits(config.emptyEvery, n) {
            return Response(status: 200, body: Data())
        }
        if hits(config.malformedEvery, n) {
            return Response(status: 200, body: Data(#"{"id":"chatcmpl-mock-\#(n)","choices":[{"mess"#.utf8))
        }

        let messages = body["messages"] as? [[String: Any]] ?? []
        var tags = Tags(text: messages.last { $0["role"] as? String == "user" }.map(Self.text) ?? "")
        if hits(config.offTaxonomyEvery, n) { tags.intent = "purchase" }
        var content = tags.content(format: format)
        if hits(config.proseEvery, n) { content = "Конечно! Вот разметка: \(content) Надеюсь, помог." }
        let promptTokens = (messages.reduce(0) { $0 + Self.text($1).utf8.count } + 3) / 4
        let completionTokens = (content.utf8.count + 3) / 4
        // After the first completion the system message is "in the prompt cache", as OpenAI reports it.
        let systemTokens = messages.first { $0["role"] as? String == "system" }.map { Self.text($0).utf8.count / 4 } ?? 0
        let cached = n > 1 ? systemTokens : 0
        let logprobs = body["logprobs"] as? Bool == true ? ",\"logprobs\":{\"content\":\(Self.logprobs(content, format: format))}" : ""
        let answer = """
            {"id":"chatcmpl-mock-\(n)","object":"chat.completion","created":\(Int(Date().timeIntervalSince1970)),\
            "model":\(quote(config.modelVersion)),"system_fingerprint":\(quote(config.fingerprint)),"choices":[{"index":0,\
            "message":{"role":"assistant","content":\(quote(content))}\(logprobs),"finish_reason":"stop"}],"usage":{"prompt_tokens":\(promptTokens),\
            "completion_tokens":\(completionTokens),"total_tokens":\(promptTokens + completionTokens),\
            "prompt_tokens_details":{"cached_tokens":\(cached)}}}
            """
        return Response(status: 200, body: Data(answer.utf8))
    }

    /// `logprobs.content` for a JSON answer: one token per key, colon, comma and value; a value
    /// is sure at 0.8, with another allowed value (from the request's schema, else the other
    /// boolean) at 0.15 among its `top_logprobs`.
    static func logprobs(_ content: String, format: [String: Any]?) -> String {
        let schema = ((format?["json_schema"] as? [String: Any])?["schema"] as? [String: Any])?["properties"] as? [String: Any] ?? [:]
        var tokens: [String] = []
        var current = ""
        var inString = false
        for character in content {
            if character == "\"" {
                if inString {
                    tokens.append(current + "\"")
                    current = ""
                } else {
                    if !current.isEmpty { tokens.append(current) }
                    current = "\""
                }
                inString.toggle()
            } else if !inString && "{}:,".contains(character) {
                if !current.isEmpty { tokens.append(current) }
                tokens.append(String(character))
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        var lastKey: String?
        var items: [String] = []
        for (index, token) in tokens.enumerated() {
            let isValue = index > 0 && tokens[index - 1] == ":"
            if !isValue, token.hasPrefix("\"") { lastKey = String(token.dropFirst().dropLast()) }
            var top = "[]"
            var logprob = 0.0
            if isValue, let key = lastKey {
                let bare = token.hasPrefix("\"") ? String(token.dropFirst().dropLast()) : token
                let allowed = ((schema[key] as? [String: Any])?["enum"] as? [Any])?.map { "\($0)" } ?? ["true", "false"]
                let other = allowed.first { $0 != bare } ?? bare
                let otherToken = token.hasPrefix("\"") ? "\"\(other)\"" : other
                logprob = log(0.8)
                top = "[{\"token\":\(quote(token)),\"logprob\":\(log(0.8))},{\"token\":\(quote(otherToken)),\"logprob\":\(log(0.15))}]"
            }
            items.append("{\"token\":\(quote(token)),\"logprob\":\(logprob),\"top_logprobs\":\(top)}")
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    /// A message's text: a string content, or the text parts of a multi-part content.
    static func text(_ message: [String: Any]) -> String {
        if let text = message["content"] as? String { return text }
        let parts = message["content"] as? [[String: Any]] ?? []
        return parts.compactMap { $0["text"] as? String }.joined()
    }

    /// Serves one connection until the client closes it, asks to close, or sends garbage.
    /// Runs on its own thread; requests on one connection are answered strictly in order,
    /// which is all HTTP/1.1 pipelining needs.
    func serve(_ fd: Int32) {
        var reader = RequestReader(fd: fd)
        defer { close(fd) }
        while true {
            switch reader.next() {
            case .closed:
                return
            case let .bad(status, message):
                var response = Response.error(status, message, type: "invalid_request_error")
                response.close = true
                _ = send(response.serialized(), to: fd)
                return lingeringClose(fd)
            case let .tunnel(target):
                recorder?.record(-others.next(), Request(method: "CONNECT", path: target, headers: [], body: Data(), keepAlive: true))
                if !send(Data("HTTP/1.1 200 Connection established\r\n\r\n".utf8), to: fd) { return }
            case let .request(request):
                if config.blackhole {
                    // The request is taken and nothing ever comes back; the connection stays open.
                    recorder?.record(completions.next(), request)
                    Thread.sleep(forTimeInterval: config.lifetimeSeconds)
                    return
                }
                var (response, isCompletion) = respond(to: request)
                response.close = response.close || !request.keepAlive
                let written = send(response.serialized(), to: fd)
                if isCompletion, config.maxRequests > 0, served.next() >= config.maxRequests { quit() }
                if !written { return }
                if response.close { return lingeringClose(fd) }
            }
        }
    }
}

/// Sleeps until a CLOCK_MONOTONIC instant (absolute, so time spent parsing is not added).
func sleepUntil(_ nanoseconds: UInt64) {
    var deadline = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
}

/// Exits 0 at once. `_exit` skips atexit teardown, which could race the connection threads
/// still inside Foundation; nothing is buffered (stdout and the record use raw writes).
func quit() -> Never { _exit(0) }

/// Binds 127.0.0.1 only — never a wildcard — prints the port, and accepts forever, one
/// thread per connection (benchmarks hold up to ~64 keep-alive connections at once).
func run(_ config: Config) -> Never {
    signal(SIGPIPE, SIG_IGN)
    // Wake-ups as exact as the kernel allows (the default timer slack lets a sleep end up to
    // 50 µs late); connection threads inherit it from this thread.
    let slack = open("/proc/self/timerslack_ns", O_WRONLY)
    if slack >= 0 {
        _ = write(slack, "1", 1)
        close(slack)
    }
    let server = MockLLM(config: config)
    guard let (listener, boundPort) = loopbackListener(port: config.port, backlog: 1024) else {
        FileHandle.standardError.write(Data("chattag-mock-llm: cannot listen on 127.0.0.1:\(config.port): \(String(cString: strerror(errno)))\n".utf8))
        exit(1)
    }
    // Threads wait in accept before the first client comes, so a client opening 64 connections
    // at once is not answered late while threads are made; one more is made whenever the last
    // waiting one takes a connection, so there is no limit on connections.
    let acceptors = Acceptors(listener: listener, server: server)
    for _ in 0..<64 { acceptors.add() }
    // Written unbuffered: the parent reads this line from a pipe to learn the port.
    FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(boundPort)\n".utf8))
    Thread.sleep(forTimeInterval: config.lifetimeSeconds)
    quit()
}

/// The threads that accept and serve connections: each takes one connection, serves it to
/// the end, and waits for the next.
final class Acceptors: Sendable {
    let listener: Int32
    let server: MockLLM
    /// Threads waiting in `accept`.
    private let waiting = Mutex(0)

    init(listener: Int32, server: MockLLM) {
        self.listener = listener
        self.server = server
    }

    func add() {
        waiting.withLock { $0 += 1 }
        Thread.detachNewThread { [self] in acceptForever() }
    }

    private func acceptForever() {
        var yes: Int32 = 1
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EMFILE || errno == ENFILE { usleep(10_000) }  // out of descriptors: let others finish
                continue
            }
            // Small answers must not wait for delayed ACKs (Nagle would add ~40 ms per request).
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            if waiting.withLock({ waiting -> Bool in
                waiting -= 1
                return waiting == 0
            }) {
                add()
            }
            server.serve(client)
            waiting.withLock { $0 += 1 }
        }
    }
}

run(Config.parse(Array(CommandLine.arguments.dropFirst())))
