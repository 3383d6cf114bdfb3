import ChatTagCore
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        "+7 916 123-45-67", "+7(916)123-45-67", "8 (916) 123-45-67", "89161234567", "8-916-123-45-67", "7 916 1234567", "+79161234567",
        "916 123 45 67", "(916) 123-45-67", "9161234567", " +7 (916) 123 45 67 ",
    ])
    func russianNotationsBecomeOneNumber(_ text: String) {
        #expect(PhoneNumber.normalized(text) == "+79161234567")
    }

    @Test func otherCountriesKeepTheirCode() {
        #expect(PhoneNumber.normalized("+44 20 7946 0958") == "+442079460958")
        #expect(PhoneNumber.normalized("+375 29 123-45-67") == "+375291234567")
    }

    @Test(arguments: ["123-45-67", "12:30", "", "+7 916", "8 916 123 45 67 89 01"])
    func fragmentsAreNotNumbers(_ text: String) {
        #expect(PhoneNumber.normalized(text) == nil)
    }

    @Test func keysAreKeyedAndAgreeAcrossNotations() {
        let key = Pseudonymizer(secret: Array("secret-one".utf8))
        let other = Pseudonymizer(secret: Array("secret-two".utf8))
        let first = PhoneNumber.key("8 (916) 123-45-67", with: key)
        #expect(first == PhoneNumber.key("+7 916 123 45 67", with: key))
        #expect(first != PhoneNumber.key("8 (916) 123-45-67", with: other))
        #expect(first?.hasPrefix("p-") == true && first?.count == 34)
        #expect(first?.contains("9161234567") == false)
    }

    @Test func theAnonymizerKeepsKeyedPhonesOfTheDialogue() throws {
        let key = Pseudonymizer(secret: Array("secret-one".utf8))
        let anonymizer = Anonymizer(names: try .bundled(), pseudonyms: key, staff: ["Анна"])
        let raw = RawDialogue(
            id: "d1", channel: "whatsapp", chatKey: "chat",
            messages: [
                RawMessage(at: ChatTime(unixMillis: 0, offsetSeconds: 10800), author: "+7 903 555-12-34", text: "Мой номер 8 (916) 123-45-67, перезвоните", line: 1),
                RawMessage(at: ChatTime(unixMillis: 60000, offsetSeconds: 10800), author: "Анна", text: "Наш номер 8 800 555-35-35", line: 2),
            ])
        let dialogue = anonymizer.anonymize(raw, source: "test", idPrefix: "t")
        #expect(!dialogue.messages[0].text.contains("916"))
        let expected = ["8 (916) 123-45-67", "+7 903 555-12-34", "8 800 555-35-35"].compactMap { PhoneNumber.key($0, with: key) }.sorted()
        #expect(dialogue.phoneKeys == expected)
    }
}
