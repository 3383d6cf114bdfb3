import Testing

@testable import ChatTagCore

@Suite struct AnonymizerTests {
    let anonymizer = TestSupport.anonymizer(staff: ["Анна Смирнова"])

    @Test func masksEachKindWithNumberedPlaceholders() {
        #expect(anonymizer.mask("Мой номер +7 (916) 123-45-67, почта olga.p@mail.ru") == "Мой номер [PHONE_1], почта [EMAIL_1]")
        #expect(anonymizer.mask("карта 4276 3800 1234 5679 и ИНН 7707083893") == "карта [CARD_1] и ИНН [INN_1]")
        #expect(anonymizer.mask("СНИЛС 112-233-445 95") == "СНИЛС [SNILS_1]")
        #expect(anonymizer.mask("паспорт 45 06 123456") == "паспорт [PASSPORT_1]")
        #expect(anonymizer.mask("счёт 40817810099910004312") == "счёт [ACCOUNT_1]")
        #expect(anonymizer.mask("пишите @masha_petrova или t.me/masha_petrova") == "пишите [HANDLE_1] или [HANDLE_2]")
    }

    @Test func theSameValueGetsTheSamePlaceholderWithinADialogue() {
        let raw = RawDialogue(
            id: "d1", channel: "whatsapp", chatKey: "d1",
            messages: [
                RawMessage(at: ChatTime(unixMillis: 0, offsetSeconds: 0), author: "Мария", role: .client, text: "Позвоните 8 916 123-45-67", line: 1),
                RawMessage(
                    at: ChatTime(unixMillis: 1000, offsetSeconds: 0), author: "Анна Смирнова", role: .staff, text: "Записала номер +7 916 123 45 67, а второй 8 903 765-43-21?",
                    line: 2),
            ])
        let dialogue = anonymizer.anonymize(raw, source: "test", idPrefix: "t")
        #expect(dialogue.messages[0].text == "Позвоните [PHONE_1]")
        #expect(dialogue.messages[1].text == "Записала номер [PHONE_1], а второй [PHONE_2]?")
    }

    @Test func clientsGetKeyedPseudonymsAndStaffKeepTheirNames() {
        let raw = RawDialogue(
            id: nil, channel: "whatsapp", chatKey: "chat",
            messages: [
                RawMessage(at: ChatTime(unixMillis: 0, offsetSeconds: 0), author: "Мария Петрова", text: "Здравствуйте, это Мария Петрова", line: 1),
                RawMessage(at: ChatTime(unixMillis: 1000, offsetSeconds: 0), author: "Анна Смирнова", text: "Добрый день! Я Анна, администратор", line: 2),
            ])
        let dialogue = anonymizer.anonymize(raw, source: "test", idPrefix: "wa")
        #expect(dialogue.messages[0].role == .client)
        #expect(dialogue.messages[0].author == TestSupport.pseudonyms.client("name:мария петрова"))
        #expect(dialogue.messages[0].text == "Здравствуйте, это [NAME_1]")
        #expect(dialogue.messages[1].role == .staff)
        #expect(dialogue.messages[1].author == "Анна Смирнова")
        #expect(dialogue.messages[1].text == "Добрый день! Я Анна, администратор")
        let otherKey = Anonymizer(names: TestSupport.names, pseudonyms: Pseudonymizer(secret: Array("another key".utf8)))
        #expect(otherKey.anonymize(raw, source: "test", idPrefix: "wa").messages[0].author != dialogue.messages[0].author)
    }

    @Test func namesInAnyCaseAndDiminutiveAreOnePerson() {
        #expect(anonymizer.mask("Запишите Марию, потом Машеньку и Маше напомните") == "Запишите [NAME_1], потом [NAME_1] и [NAME_1] напомните")
        #expect(anonymizer.mask("Иванова Мария Петровна придёт в 15:00") == "[NAME_1] придёт в 15:00")
        #expect(anonymizer.mask("меня зовут оля") == "меня зовут [NAME_1]")
    }

    @Test func leavesPricesTimesDatesOrdersAndLookAlikeWordsAlone() {
        for text in [
            "Стоимость 1 500 ₽, со скидкой 15% — 1275 руб.", "Ждём вас 12.03 в 15:30", "Запись на 15.03.2025 с 10.00 до 12.00",
            "Ваш заказ №4581236 отправлен, трек RA123456789RU", "Надежда есть, что успеем к 18:00", "Вера в успех — это важно",
            "Букет из роз и лилий", "Работаем с 9 до 21, 8 марта тоже", "Промокод SPRING25 даёт скидку 500 р",
        ] {
            #expect(anonymizer.mask(text) == text)
        }
    }

    @Test func birthDatesAreMaskedButVisitDatesAreNot() {
        #expect(anonymizer.mask("дата рождения 12.03.1990, запись на 14.03.2025") == "дата рождения [BIRTHDATE_1], запись на 14.03.2025")
        #expect(anonymizer.mask("родилась 3 мая 1992") == "родилась [BIRTHDATE_1]")
    }

    @Test func streetAddressesAreMaskedAndTheCityKept() {
        #expect(anonymizer.mask("г. Казань, ул. Баумана, д. 19, кв. 5") == "г. Казань, [ADDRESS_1]")
        #expect(anonymizer.mask("доставка: Ленинградское ш., 16А стр. 3") == "доставка: [ADDRESS_1]")
    }

    @Test func checksumsAcceptValidAndRejectLookAlikes() {
        func digits(_ text: String) -> [UInt8] { text.compactMap { $0.wholeNumberValue.map(UInt8.init) } }
        #expect(Checksums.luhn(digits("4276380012345679")))
        #expect(!Checksums.luhn(digits("4276380012345678")))
        #expect(Checksums.inn(digits("7707083893")))
        #expect(!Checksums.inn(digits("7707083894")))
        #expect(Checksums.inn(digits("500100732259")))
        #expect(Checksums.snils(digits("11223344595")))
        #expect(!Checksums.snils(digits("11223344596")))
    }
}
