import Testing

@testable import ChatTagCore

@Suite struct CSVTextTests {
    @Test func fieldsAreQuotedOnlyWhenTheyNeedIt() {
        #expect(CSVText.field("Анна") == "Анна")
        #expect(CSVText.field("a;b", delimiter: ";") == "\"a;b\"")
        #expect(CSVText.field("a;b") == "a;b")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVText.field("x", always: true) == "\"x\"")
        #expect(CSVText.rows([["a", "b,c"], ["", "d"]]) == "a,\"b,c\"\r\n,d\r\n")
    }

    @Test func excerptsAreOneLineAndCutAtAWord() {
        #expect(Excerpt.of("Здравствуйте!\nСколько стоит?", limit: 140) == "Здравствуйте! Сколько стоит?")
        #expect(Excerpt.of("one two three four", limit: 10) == "one two…")
        #expect(Excerpt.of("abcdefghijkl", limit: 5) == "abcd…")
    }
}
