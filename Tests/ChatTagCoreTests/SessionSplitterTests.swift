import Testing

@testable import ChatTagCore

/// Dialogue boundaries that follow the conversation, on hand-worked chats (times in Moscow,
/// session gap 12 h, reply window 7 days).
@Suite struct SessionSplitterTests {
    static let hour: Int64 = 3_600_000
    /// Friday 2026-11-20 00:00 in Moscow.
    static let friday: Int64 = 1_795_554_000_000

    static func message(_ hoursAfterFriday: Double, _ author: String, _ text: String) -> RawMessage {
        RawMessage(at: ChatTime(unixMillis: friday + Int64(hoursAfterFriday * Double(hour)), offsetSeconds: 10_800), author: author, text: text, line: 1)
    }

    static func split(_ messages: [RawMessage], replyWindowDays: Double = 7) -> [[String]] {
        let options = ImportOptions(staff: ["Анна"], sessionGapSeconds: 12 * 3600, replyWindowSeconds: replyWindowDays * 86_400, zone: TestSupport.zone())
        var splitter = SessionSplitter(options: options, channel: "whatsapp", chatKey: "k")
        var dialogues: [[String]] = []
        for message in messages { if let done = try! splitter.add(message) { dialogues.append(done.messages.map(\.text)) } }
        if let last = splitter.flush() { dialogues.append(last.messages.map(\.text)) }
        return dialogues
    }

    @Test func anOvernightReplyStaysWithTheQuestion() {
        // 18:40 question, 09:05 next morning the answer: 14 h 25 min apart, over the 12 h gap.
        let dialogues = Self.split([Self.message(18 + 40.0 / 60, "Мария", "Есть окно на завтра?"), Self.message(33 + 5.0 / 60, "Анна", "Есть 12:00")])
        #expect(dialogues == [["Есть окно на завтра?", "Есть 12:00"]])
    }

    @Test func aMondayReplyToFridayEveningStaysAndSoDoesTheClientsNudge() {
        let dialogues = Self.split([
            Self.message(19, "Мария", "Можно записаться на понедельник?"), Self.message(34, "Мария", "Ау"), Self.message(72 + 10, "Анна", "Да, 15:00 свободно"),
        ])
        #expect(dialogues.count == 1 && dialogues[0].count == 3)
    }

    @Test func aReplyPastTheWindowStartsANewDialogueAndTheOldOneStaysUnanswered() {
        let dialogues = Self.split([Self.message(10, "Мария", "Сколько стоит стрижка?"), Self.message(10 + 8 * 24, "Анна", "Извините, 1500 ₽")])
        #expect(dialogues == [["Сколько стоит стрижка?"], ["Извините, 1500 ₽"]])
    }

    @Test func aClientReturningNextDayWithANewQuestionStartsANewDialogue() {
        let dialogues = Self.split([
            Self.message(10, "Мария", "Сколько стоит маникюр?"), Self.message(10.1, "Анна", "1800 ₽"), Self.message(10.2, "Мария", "Спасибо"),
            Self.message(35, "Мария", "А педикюр?"), Self.message(35.5, "Анна", "2200 ₽"),
        ])
        #expect(dialogues == [["Сколько стоит маникюр?", "1800 ₽", "Спасибо"], ["А педикюр?", "2200 ₽"]])
    }

    @Test func anOkToNobodyKeepsTheQuestionWaiting() {
        // «Ок» closes nothing the business never answered: the late reply still belongs.
        let dialogues = Self.split([Self.message(18, "Мария", "Есть окно?"), Self.message(18.5, "Мария", "Ок"), Self.message(33, "Анна", "Есть 11:00")])
        #expect(dialogues.count == 1)
    }
}
