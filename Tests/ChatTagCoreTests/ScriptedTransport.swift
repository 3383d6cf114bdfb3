import Synchronization

@testable import ChatTagCore

/// An endpoint in memory: answers each request with the next outcome of its script (then
/// with `otherwise`), keeps every request it received, and can make each call take time on a
/// ``TestClock``.
final class ScriptedTransport: ChatTransport {
    private struct Log {
        var script: [ChatOutcome]
        var requests: [ChatRequest] = []
    }

    private let log: Mutex<Log>
    private let otherwise: ChatOutcome
    private let clock: TestClock?
    private let callSeconds: Double

    init(_ script: [ChatOutcome], otherwise: ChatOutcome = .connectionFailed("the script ran out"), clock: TestClock? = nil, callSeconds: Double = 0) {
        log = Mutex(Log(script: script))
        self.otherwise = otherwise
        self.clock = clock
        self.callSeconds = callSeconds
    }

    /// The requests received, in order.
    var requests: [ChatRequest] { log.withLock { $0.requests } }

    func send(_ request: ChatRequest, timeout: Double) async -> ChatOutcome {
        clock?.advance(by: callSeconds)
        return log.withLock { log in
            log.requests.append(request)
            return log.script.isEmpty ? otherwise : log.script.removeFirst()
        }
    }
}

/// Outcomes as an endpoint sends them.
enum Answer {
    static let validContent = #"{"intent":"question","sentiment":"neutral","missed_lead":true}"#

    static func reply(_ content: String = validContent, model: String = "m-1", fingerprint: String? = nil, tokensIn: Int = 10, tokensOut: Int = 5) -> ChatOutcome {
        .reply(ChatReply(content: content, modelVersion: model, systemFingerprint: fingerprint, tokensIn: tokensIn, tokensOut: tokensOut), hints: RateLimitHints())
    }

    static func http(_ status: Int, _ body: String = #"{"error":{"message":"boom"}}"#, retryAfter: Double? = nil) -> ChatOutcome {
        .httpError(status: status, body: body, retryAfter: retryAfter, hints: RateLimitHints())
    }

    /// The 400 a server without structured outputs sends.
    static let refusesFormat = http(400, #"{"error":{"message":"response_format json_schema is not supported"}}"#)
}

extension Dialogue {
    /// A one-message dialogue asking a price, numbered.
    static func question(_ number: Int) -> Dialogue {
        let message = Message(at: ChatTime(unixMillis: 1_736_074_800_000, offsetSeconds: 10_800), role: .client, author: "c-1", text: "Сколько стоит маникюр? \(number)")
        let digits = String(number)
        return Dialogue(id: "d" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits, source: "jsonl:t.jsonl", channel: "site", messages: [message])
    }
}
