import Foundation

/// `--model baseline`: an offline, deterministic tagger built on keyword and rule lists for
/// the default taxonomy (Russian and English). It reads roles and timing as the LLM does —
/// who asked, whether anyone offered a concrete slot, whether the client gave up — and is
/// the floor every prompt must beat in an A/B comparison.
public struct BaselineTagger: DialogueTagger {
    public static let modelName = "baseline"
    /// Changes whenever the rules change, so cached baseline tags are not reused across versions.
    public static let version = "baseline-rules-1"

    /// Where the one call's start time and latency come from.
    public let clock: any Clock
    /// The fields to answer: the default taxonomy, or the rubric's.
    public let taxonomy: Taxonomy

    public init(clock: any Clock = SystemClock(), taxonomy: Taxonomy = .default) {
        self.clock = clock
        self.taxonomy = taxonomy
    }

    /// Whether the baseline has rules for every field of `taxonomy`.
    public static func answers(_ taxonomy: Taxonomy) -> Bool { taxonomy == .default || taxonomy == .rubric }

    static let complaint = [
        "жалоб", "ужасн", "плохо сдела", "испортил", "верните деньги", "верните", "недовол", "претензи", "обман",
        "хамств", "грубо", "не понравил", "разочарова", "безобраз", "кошмар", "слезло", "слез через", "отвалил",
        "complain", "terrible", "refund", "disappointed", "awful", "rude",
    ]
    static let booking = [
        "запис", "окно", "окошк", "перенес", "перенос", "отмен", "свободн", "на завтра", "на сегодня", "в субботу",
        "в воскресенье", "в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "оформ", "заказать",
        "book", "appointment", "reschedule", "cancel", "slot", "available",
    ]
    static let question = [
        "сколько", "цена", "цены", "стоит", "стоимост", "прайс", "есть ли", "работаете", "адрес", "как добраться",
        "до скольки", "можно ли", "подскажите", "how much", "price", "do you", "where", "?",
    ]
    static let negative = [
        "ужас", "плохо", "недовол", "жаль", "разочар", "отврат", "кошмар", "обидно", "бесит", "долго ждать",
        "сколько можно", "не актуально", "terrible", "bad", "awful", "angry", "😡", "😠", "👎", "😢", "😞",
    ]
    static let positive = [
        "спасибо", "благодар", "отлично", "супер", "класс", "прекрасн", "замечательн", "здорово", "понравил",
        "thank", "great", "perfect", "love", "❤", "👍", "😊", "🙏", "🥰", "😍",
    ]
    static let offer = [
        "записал", "записали", "запишу", "записать вас", "записываю", "ждём вас", "ждем вас", "подтверждаю", "подтвердил",
        "ссылк", "онлайн-запис", "забронир", "оформил", "booked", "see you", "confirmed", "link",
    ]
    static let gaveUp = [
        "не актуально", "неактуально", "уже записал", "нашла другой", "нашел другой", "передумал", "не нужно",
        "no longer", "never mind", "nevermind",
    ]
    static let declined = ["не подходит", "не смогу", "подумаю", "дорого", "не надо", "нет, спасибо", "not now", "too expensive"]

    public func tag(_ dialogue: Dialogue, state: RunState, limiter: AdaptiveLimiter) async -> TagResult? {
        let startedAt = clock.nowUnixMillis()
        let started = clock.monotonicSeconds()
        let values = taxonomy == .rubric ? Self.rubricValues(for: dialogue) : Self.values(for: dialogue)
        let latency = Int((clock.monotonicSeconds() - started) * 1000)
        let call = CallRecord(
            attempt: 1, correlationID: "baseline-\(dialogue.id)", startedAt: ChatTime(unixMillis: startedAt, offsetSeconds: 0),
            httpStatus: nil, outcome: .ok, latencyMs: latency, tokensIn: 0, tokensOut: 0, modelVersion: Self.version, systemFingerprint: nil,
            rawReply: "{" + values.keys.sorted().map { "\"\($0)\":\"\(values[$0]!)\"" }.joined(separator: ",") + "}", error: nil)
        return TagResult(
            dialogueID: dialogue.id, contentHash: dialogue.contentHash, values: values, error: nil, modelVersion: Self.version,
            systemFingerprint: nil, tokensIn: 0, tokensOut: 0, latencyMs: latency, truncated: false, calls: [call])
    }

    /// The baseline's rubric values for a dialogue (``Taxonomy/rubric``).
    public static func rubricValues(for dialogue: Dialogue) -> TagValues {
        BaselineRubric.values(for: dialogue, intent: values(for: dialogue)["intent"] ?? "other")
    }

    /// The baseline's tag values for a dialogue.
    public static func values(for dialogue: Dialogue) -> TagValues {
        let clientTexts = dialogue.messages.filter { $0.role == .client }.map { $0.text.lowercased() }
        let client = clientTexts.joined(separator: "\n")
        func has(_ words: [String], in text: String) -> Bool { words.contains { text.contains($0) } }
        let intent: String
        if has(complaint, in: client) {
            intent = "complaint"
        } else if has(booking, in: client) {
            intent = "booking"
        } else if has(question, in: client) {
            intent = "question"
        } else {
            intent = "other"
        }
        let negativeCount = negative.filter { client.contains($0) }.count
        let positiveCount = positive.filter { client.contains($0) }.count
        let sentiment: String
        if intent == "complaint" || negativeCount > positiveCount {
            sentiment = "negative"
        } else if positiveCount > 0 && positiveCount >= negativeCount {
            sentiment = "positive"
        } else {
            sentiment = "neutral"
        }
        let interested = intent == "booking" || intent == "question" || client.contains("[phone_") || client.contains("[email_")
        // The CRM outcome is what the tag is checked against, so the tagger never reads it.
        var offered = false
        var gaveUpAfterReply = false
        var sawBusinessReply = false
        for message in dialogue.messages {
            let text = message.text.lowercased()
            switch message.role {
            case .staff, .bot:
                sawBusinessReply = true
                if has(offer, in: text) || Self.hasClockTime(text) { offered = true }
            case .client:
                if sawBusinessReply && has(gaveUp, in: text) { gaveUpAfterReply = true }
                if offered && has(declined, in: text) { return ["intent": intent, "sentiment": sentiment, "missed_lead": "false"] }
            case .system:
                break
            }
        }
        let missed = interested && intent != "complaint" && (!offered || gaveUpAfterReply)
        return ["intent": intent, "sentiment": sentiment, "missed_lead": missed ? "true" : "false"]
    }

    /// A concrete time of day offered in the text: `12:00`, `15.30`.
    static func hasClockTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4 else { return false }
        for index in 1..<(bytes.count - 2) where bytes[index] == 0x3A || bytes[index] == 0x2E {
            let before = bytes[index - 1]
            let after1 = bytes[index + 1]
            let after2 = bytes[index + 2]
            if (0x30...0x39).contains(before) && (0x30...0x35).contains(after1) && (0x30...0x39).contains(after2) {
                let tail = index + 3 < bytes.count ? bytes[index + 3] : 0x20
                if !(0x30...0x39).contains(tail) && tail != 0x2E { return true }
            }
        }
        return false
    }
}
