import Testing

@testable import ChatTagCore

@Suite struct WordingTests {
    let ru = Wording(.ru), en = Wording(.en)

    @Test func durationsReadAsPeopleSayThem() {
        #expect(ru.duration(45) == "45 с" && en.duration(45) == "45 s")
        #expect(ru.duration(252) == "4 мин 12 с" && ru.duration(240) == "4 мин")
        #expect(ru.duration(1500) == "25 мин" && en.duration(1500) == "25 min")
        #expect(ru.duration(3900) == "1 ч 05 мин" && en.duration(3900) == "1 h 05 min")
        #expect(ru.duration(2 * 86_400 + 3 * 3600) == "2 дн 3 ч")
        #expect(ru.duration(nil) == "—")
        #expect(ru.durationChange(600, 620) == "−20 с" && ru.durationChange(600, 600) == "0" && ru.durationChange(nil, 3) == "—")
    }

    @Test func russianUsesTheDecimalComma() {
        #expect(ru.decimal(0.853) == "0,85" && en.decimal(0.853) == "0.85")
        #expect(ru.signed(0.05) == "+0,050" && ru.signed(-0.12, digits: 2) == "−0,12" && ru.signed(0) == "0,000")
        #expect(ru.percent(0.374) == "37%" && ru.percent(nil) == "—")
    }

    @Test func countsCarryTheirDenominator() {
        #expect(ru.of(16, 37) == "16 из 37" && en.of(16, 37) == "16 of 37")
        #expect(ru.dialogues(1) == "1 диалог" && ru.dialogues(3) == "3 диалога" && ru.dialogues(11) == "11 диалогов" && ru.dialogues(21) == "21 диалог")
    }

    @Test func tinyPValuesAreABoundNotZero() {
        #expect(ru.pValue(0.00001) == "p < 0,0001" && en.pValue(0.00001) == "p < 0.0001")
        #expect(ru.pValue(0.0123) == "p = 0,0123")
        let decisive = PairedComparison(correctA: Array(repeating: false, count: 40), correctB: Array(repeating: true, count: 40))
        #expect(decisive.verdict(ru).hasPrefix("B лучше (p < 0,0001, доля верных +1,000)"))
        #expect(!decisive.verdict.contains("p = 0.0000"))
    }

    @Test func theLanguageComesFromTheEnvironmentWhenNamed() {
        #expect(OutputLanguage(environmentValue: "en") == .en && OutputLanguage(environmentValue: "ru_RU.UTF-8") == .ru)
        #expect(OutputLanguage(environmentValue: "C.UTF-8") == nil && OutputLanguage(environmentValue: nil) == nil)
    }
}
