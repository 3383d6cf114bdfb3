import Foundation
import Testing

@testable import ChatTagCore

@Suite struct DialogueRendererTests {
    func dialogue(_ count: Int, text: String = "Сообщение") -> Dialogue {
        let start: Int64 = 1_736_074_800_000
        var messages: [Message] = []
        for index in 0..<count {
            let at = ChatTime(unixMillis: start + Int64(index) * 7 * 60_000, offsetSeconds: 10_800)
            let isClient = index % 2 == 0
            messages.append(Message(at: at, role: isClient ? .client : .staff, author: isClient ? "c-1a2b3c4d" : "Анна", text: "\(text) \(index)"))
        }
        return Dialogue(id: "d", source: "s", channel: "whatsapp", messages: messages)
    }

    @Test func rendersRelativeTimesRolesAndStaffNames() {
        var sample = dialogue(3)
        sample.messages[2].at.unixMillis += 26 * 3600 * 1000
        let (text, truncated) = DialogueRenderer().render(sample)
        #expect(!truncated)
        #expect(text == "[+0:00] client: \"Сообщение 0\"\n[+0:07] staff (Анна): \"Сообщение 1\"\n[+1d 2:14] client: \"Сообщение 2\"")
    }

    @Test func aLabelingSheetShowsTheTextAsWrittenWithLineBreaksMarked() {
        var sample = dialogue(2)
        sample.messages[0].text = "Есть окно?\r\nИ «сколько» стоит?\u{2028}\u{202E}ок"
        let (text, _) = DialogueRenderer(style: .reading).render(sample)
        #expect(text == "[+0:00] client: Есть окно? ⏎ И «сколько» стоит? ⏎ \\u202eок\n[+0:07] staff (Анна): Сообщение 1")
        #expect(DialogueRenderer(style: .reading).render(dialogue(1)).text == "[+0:00] client: Сообщение 0")
    }

    @Test func longDialoguesKeepTheOpeningAndTheLatestTurns() {
        let long = dialogue(400, text: String(repeating: "длинный текст ", count: 5))
        let (text, truncated) = DialogueRenderer(tokenBudget: 600).render(long)
        let lines = text.split(separator: "\n")
        #expect(truncated)
        #expect(lines.first?.hasPrefix("[+0:00] client: \"длинный") == true)
        #expect(lines.last?.hasSuffix(" 399\"") == true)
        #expect(lines.contains { $0.hasPrefix("[…") && $0.hasSuffix("messages omitted…]") })
        #expect(DialogueRenderer.estimateTokens(text) <= 620)
    }
}
