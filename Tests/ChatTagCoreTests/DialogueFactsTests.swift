import Testing

@testable import ChatTagCore

@Suite struct DialogueFactsTests {
    func message(_ minute: Int, _ role: Role, _ author: String) -> Message {
        Message(at: ChatTime(unixMillis: Int64(minute) * 60_000, offsetSeconds: 10_800), role: role, author: author, text: "…")
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
