import Foundation
import Testing

@testable import ChatTagCore
@testable import ChatTagHTTP

@Suite struct ChatWireTests {
    @Test func stringsAreEscapedSoAJSONParserReadsThemBackExactly() throws {
        let texts = [
            "", "plain ascii", "Здравствуйте! \"Окно\" в 12:00?", "back\\slash and /slash", "line\nbreak\r\ttab",
            "control \u{01}\u{1F} bytes", "emoji 👍❤️ and U+202F\u{202F}space", "\"", "\\\\\"\"", String(repeating: "длинный текст ", count: 500),
        ]
        for text in texts {
            var out = JSONOut()
            out.string(text)
            let decoded = try JSONSerialization.jsonObject(with: Data(out.bytes), options: [.fragmentsAllowed]) as? String
            #expect(decoded == text)
        }
        var out = JSONOut()
        out.string("a\"b\\c\nd\u{01}")
        #expect(String(decoding: out.bytes, as: UTF8.self) == #""a\"b\\c\nd\u0001""#)
    }

    @Test func aRequestBodyIsValidJSONWithEveryTurn() throws {
        let request = ChatRequest(
            model: "gpt-test", messages: [.init(role: "system", content: "Разметь \"диалог\"."), .init(role: "user", content: "Клиент: есть окно?\nАнна: да")],
            temperature: 0, maxTokens: 150, seed: 42, responseMode: .jsonSchema, taxonomy: .default, correlationID: "ct-1")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(RequestBody.encode(request))) as? [String: Any])
        let messages = try #require(object["messages"] as? [[String: String]])
        #expect(messages.map { $0["content"] } == ["Разметь \"диалог\".", "Клиент: есть окно?\nАнна: да"])
        #expect(object["model"] as? String == "gpt-test")
        #expect((object["response_format"] as? [String: Any])?["type"] as? String == "json_schema")
    }

    @Test func theRememberedPartsGiveTheSameBytesAndFollowAChangedTemplate() {
        func request(system: String, taxonomy: Taxonomy = .default) -> ChatRequest {
            ChatRequest(
                model: "m", messages: [.init(role: "system", content: system), .init(role: "user", content: "Диалог")], temperature: nil,
                maxTokens: nil, seed: nil, responseMode: .jsonSchema, taxonomy: taxonomy, correlationID: "c")
        }
        let parts = RepeatedParts()
        let other = Taxonomy(fields: [TaxonomyField(name: "тон", values: ["тёплый", "холодный"])])
        for (system, taxonomy) in [("Разметь «диалог».", Taxonomy.default), ("Разметь «диалог».", .default), ("Другой \"текст\"", other), ("Разметь «диалог».", .default)] {
            #expect(RequestBody.encode(request(system: system, taxonomy: taxonomy), parts: parts) == RequestBody.encode(request(system: system, taxonomy: taxonomy)))
        }
    }

    @Test func onlyAFiniteNonNegativeRetryAfterCounts() {
        func wait(_ headers: [String: String]) -> Double? { ResponseHeaders.retryAfter { headers[$0] } }
        #expect(wait(["Retry-After": "2"]) == 2)
        #expect(wait(["retry-after-ms": "1500", "Retry-After": "9"]) == 1.5)
        for bad in ["nan", "inf", "-1", "-inf"] {
            #expect(wait(["Retry-After": bad]) == nil, "\(bad)")
            #expect(wait(["retry-after-ms": bad]) == nil, "\(bad)")
        }
        #expect(wait(["retry-after-ms": "nan", "Retry-After": "3"]) == 3)
    }
}
