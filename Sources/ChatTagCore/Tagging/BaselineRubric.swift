import Foundation

/// The offline baseline's rubric: rules over the business's messages that answer the
/// fields of `rubric@1` (``Taxonomy/rubric``). The floor every rubric prompt must beat.
enum BaselineRubric {
    static let clarifying = [
        "какой", "какую", "какое", "какие", "когда", "на какой", "во сколько", "удобно", "уточн", "подскажите, пожалуйста, как",
        "что именно", "к какому", "бюджет", "на сколько", "which", "when", "what time", "what kind",
    ]
    static let timeAspect = ["когда", "на какой день", "во сколько", "удобно", "время", "when", "what time", "день"]
    static let serviceAspect = ["какую услугу", "какой мастер", "к какому", "что именно", "какой процедур", "какое покрытие", "which service", "what kind"]
    static let clientTime = [
        "сегодня", "завтра", "послезавтра", "понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресен", "утр", "вечер",
        "today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]
    static let rude = [
        "пишите, когда", "не знаю", "у нас такого не бывает", "сами виноват", "не моя проблема", "читайте", "на сайте всё написано",
        "на сайте все написано", "ничем не могу", "невнимательн", "не задерживайте", "ваши проблемы", "whatever", "not my problem",
    ]
    static let price = ["₽", "руб", " р.", "$", "€"]

    /// The rubric values of a dialogue.
    static func values(for dialogue: Dialogue, intent: String) -> TagValues {
        func has(_ words: [String], in text: String) -> Bool { words.contains { text.contains($0) } }
        let messages = dialogue.messages.filter { $0.role != .system }
        guard let firstClient = messages.firstIndex(where: { $0.role == .client }) else {
            return ["needs_clarified": "none", "offer_made": "false", "rude_or_error": "false", "recommended_action": "none"]
        }
        let business = messages[firstClient...].filter { $0.role == .staff || $0.role == .bot }.map { $0.text.lowercased() }
        let client = messages.filter { $0.role == .client }.map { $0.text.lowercased() }.joined(separator: "\n")
        let businessText = business.joined(separator: "\n")
        // The first thread: the business's replies before the client writes again.
        var firstThread: [String] = []
        for message in messages[(firstClient + 1)...] {
            if message.role == .client, !firstThread.isEmpty { break }
            if message.role == .staff || message.role == .bot { firstThread.append(message.text.lowercased()) }
        }
        let firstText = firstThread.joined(separator: "\n")
        let offered =
            BaselineTagger.hasClockTime(firstText) || has(BaselineTagger.offer, in: firstText) || has(["записать вас", "запишу вас"], in: firstText)
            || (has(price, in: firstText) && firstText.contains(where: \.isNumber))
        let asked = business.contains { $0.contains("?") && has(clarifying, in: $0) }
        let timeKnown = has(clientTime, in: client) || BaselineTagger.hasClockTime(client) || has(timeAspect, in: businessText)
        let serviceKnown = has(serviceAspect, in: businessText) || intent == "booking" || intent == "question"
        let concreteSlot = BaselineTagger.hasClockTime(businessText) || has(BaselineTagger.offer, in: businessText)
        let needs: String
        if business.isEmpty {
            needs = "none"
        } else if (asked || concreteSlot) && timeKnown && serviceKnown {
            needs = "full"
        } else if asked || concreteSlot || businessText.contains(where: \.isNumber) {
            // A concrete answer (a slot, a price, a date) means the need was understood.
            needs = timeKnown || serviceKnown ? "full" : "partial"
        } else {
            needs = intent == "other" ? "full" : "partial"
        }
        let rudeOrError = has(rude, in: businessText)
        let action: String
        if intent == "complaint" && !concreteSlot {
            action = "redirect"
        } else if intent == "other" {
            action = "none"
        } else if needs == "none" {
            action = "clarify"
        } else if !offered && !concreteSlot {
            action = "template_reply"
        } else {
            action = rudeOrError ? "template_reply" : "none"
        }
        return ["needs_clarified": needs, "offer_made": offered ? "true" : "false", "rude_or_error": rudeOrError ? "true" : "false", "recommended_action": action]
    }
}
