import Testing

@testable import ChatTagCore

@Suite struct DialogueFactsTests {
    func message(_ minute: Int, _ role: Role, _ author: String, _ text: String = "…") -> Message {
        Message(at: ChatTime(unixMillis: Int64(minute) * 60_000, offsetSeconds: 10_800), role: role, author: author, text: text)
    }

    func facts(_ messages: [Message]) -> DialogueFacts {
        DialogueFacts(Dialogue(id: "d", source: "s", channel: "c", messages: messages))
    }

    @Test func aClientWhoClosesTheConversationAfterTheReplyIsNotWaiting() {
        let closed = facts([
            message(0, .client, "c-1", "Сколько стоит маникюр?"), message(5, .staff, "Анна", "1800 ₽"), message(6, .client, "c-1", "Спасибо"),
            message(7, .client, "c-1", "👍"),
        ])
        #expect(!closed.unanswered && closed.closedByClient)
        // A thank-you with a question still waits for an answer.
        let asking = facts([
            message(0, .client, "c-1", "Сколько стоит маникюр?"), message(5, .staff, "Анна", "1800 ₽"),
            message(6, .client, "c-1", "Спасибо, а во сколько можно?"),
        ])
        #expect(asking.unanswered && !asking.closedByClient)
        // «Ок» to nobody closes nothing: the business never replied.
        let ignored = facts([message(0, .client, "c-1", "Сколько стоит маникюр?"), message(30, .client, "c-1", "Ок")])
        #expect(ignored.unanswered && !ignored.closedByClient)
        // A closing after an unanswered question does not hide the question.
        let mixed = facts([
            message(0, .client, "c-1", "Есть окно в субботу?"), message(5, .staff, "Анна", "Есть 12:00"), message(6, .client, "c-1", "А в воскресенье?"),
            message(60, .client, "c-1", "Ок"),
        ])
        #expect(mixed.unanswered)
    }

    @Test func firstResponseCountsFromTheFirstClientMessageToTheFirstLaterReply() {
        let dialogue = Dialogue(
            id: "d", source: "s", channel: "c",
            messages: [
                message(0, .system, "system"), message(1, .client, "c-1"), message(3, .client, "c-1"), message(10, .bot, "Бот"),
                message(12, .staff, "Анна"), message(20, .client, "c-1"),
            ])
        let facts = DialogueFacts(dialogue)
        #expect(facts.firstResponder == "Бот")
        #expect(facts.firstResponseSeconds == 540)
        #expect(facts.unanswered)
    }

    @Test func aDialogueNobodyAnsweredHasNoResponder() {
        let facts = DialogueFacts(Dialogue(id: "d", source: "s", channel: "c", messages: [message(0, .client, "c-1")]))
        #expect(facts.firstResponder == nil && facts.firstResponseSeconds == nil && facts.unanswered)
        let staffOnly = DialogueFacts(Dialogue(id: "d", source: "s", channel: "c", messages: [message(0, .staff, "Анна")]))
        #expect(!staffOnly.unanswered && staffOnly.firstResponder == nil)
    }
}
