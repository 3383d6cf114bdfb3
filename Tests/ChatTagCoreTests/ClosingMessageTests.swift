import Foundation
import Testing

@testable import ChatTagCore

/// Scores `ClosingMessage` on `Tests/Fixtures/closing-messages.jsonl` (hand-labeled final client
/// messages; the labeling rule is in `closing-messages.md`), prints precision and recall of
/// "closing" and every misclassified message, and fails below the targets. Precision matters
/// most: a question taken for a closing hides a client nobody answered.
@Suite struct ClosingMessageTests {
    struct Case: Decodable {
        var text: String
        var closing: Bool
        var note: String?
    }

    static let precisionTarget = 0.95
    static let recallTarget = 0.80

    static func loadCases() throws -> [Case] {
        let text = try String(contentsOf: TestSupport.fixtures.appendingPathComponent("closing-messages.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }

    @Test func fixtureHasTwoHundredLinesAndBothClasses() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 200)
        #expect(cases.filter(\.closing).count >= 80)
        #expect(cases.filter { !$0.closing }.count >= 80)
        #expect(Set(cases.map(\.text)).count == cases.count, "duplicate texts")
    }

    @Test func precisionAndRecallOfClosingMeetTheTargets() throws {
        let cases = try Self.loadCases()
        var truePositives = 0
        var falsePositives = 0
        var falseNegatives = 0
        var misses: [String] = []
        for item in cases {
            let predicted = ClosingMessage.isClosing(item.text)
            switch (predicted, item.closing) {
            case (true, true): truePositives += 1
            case (true, false):
                falsePositives += 1
                misses.append("taken for closing: «\(item.text)»")
            case (false, true):
                falseNegatives += 1
                misses.append("closing missed: «\(item.text)»")
            case (false, false): break
            }
        }
        let precision = truePositives + falsePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives)
        let recall = truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives)
        print(String(format: "closing messages: n=%d precision %.3f recall %.3f", cases.count, precision, recall))
        if !misses.isEmpty { print(misses.joined(separator: "\n")) }
        #expect(precision >= Self.precisionTarget)
        #expect(recall >= Self.recallTarget)
    }

    @Test func thanksAcknowledgementsAndGoodbyesClose() {
        #expect(ClosingMessage.isClosing("Спасибо!"))
        #expect(ClosingMessage.isClosing("спс"))
        #expect(ClosingMessage.isClosing("ок"))
        #expect(ClosingMessage.isClosing("Хорошо, жду"))
        #expect(ClosingMessage.isClosing("Спасибо, до встречи!"))
        #expect(ClosingMessage.isClosing("всего доброго"))
        #expect(ClosingMessage.isClosing("Отлично, записала себе"))
        #expect(ClosingMessage.isClosing("ok see you"))
        #expect(ClosingMessage.isClosing("СПАСИБООО"))
    }

    @Test func decisionsNotToProceedClose() {
        #expect(ClosingMessage.isClosing("Хорошо, подумаю"))
        #expect(ClosingMessage.isClosing("Не актуально"))
        #expect(ClosingMessage.isClosing("нет, спасибо"))
    }

    @Test func emojiStickersAndMaskedNamesClose() {
        #expect(ClosingMessage.isClosing("👍"))
        #expect(ClosingMessage.isClosing("🙏🙏"))
        #expect(ClosingMessage.isClosing("[стикер]"))
        #expect(ClosingMessage.isClosing("[STICKER ❤️]"))
        #expect(ClosingMessage.isClosing("Спасибо, [NAME_1]!"))
        #expect(!ClosingMessage.isClosing("😡"))
        #expect(!ClosingMessage.isClosing("[VOICE]"))
        #expect(!ClosingMessage.isClosing("[PHOTO]"))
    }

    @Test func questionsAndRequestsAfterThanksDoNotClose() {
        #expect(!ClosingMessage.isClosing("Спасибо, а во сколько?"))
        #expect(!ClosingMessage.isClosing("спасибо а парковка есть"))
        #expect(!ClosingMessage.isClosing("ок, а цена"))
        #expect(!ClosingMessage.isClosing("хорошо но можно пораньше"))
        #expect(!ClosingMessage.isClosing("ок, запишите меня на 15:00"))
        #expect(!ClosingMessage.isClosing("Спасибо, перезвоните мне"))
        #expect(!ClosingMessage.isClosing("Ок?"))
        #expect(!ClosingMessage.isClosing("?"))
    }

    @Test func waitingNudgesComplaintsAndContactsDoNotClose() {
        #expect(!ClosingMessage.isClosing("Жду ответа"))
        #expect(!ClosingMessage.isClosing("Спасибо, жду ответа"))
        #expect(!ClosingMessage.isClosing("Ау?"))
        #expect(!ClosingMessage.isClosing("алло"))
        #expect(!ClosingMessage.isClosing("Спасибо, но это дорого"))
        #expect(!ClosingMessage.isClosing("спасибо за ничего"))
        #expect(!ClosingMessage.isClosing("Мария, 8 916 123-45-67"))
        #expect(!ClosingMessage.isClosing("Спасибо, [PHONE_1]"))
        #expect(!ClosingMessage.isClosing(""))
    }
}
