import Foundation
import Testing

@testable import ChatTagCore

@Suite struct TagParserTests {
    let parser = TagParser(taxonomy: .default)

    @Test func readsPlainFencedAndProseReplies() throws {
        let expected: TagValues = ["intent": "booking", "sentiment": "neutral", "missed_lead": "true"]
        for reply in [
            #"{"intent":"booking","sentiment":"neutral","missed_lead":true}"#,
            "```json\n{\"intent\": \"booking\", \"sentiment\": \"neutral\", \"missed_lead\": true}\n```",
            #"Конечно! Вот разметка: {"intent":"booking","sentiment":"neutral","missed_lead":true} Надеюсь, помог."#,
        ] {
            #expect(try parser.parse(reply).get() == expected)
        }
    }

    @Test func normalizesCaseSynonymsAndRussianBooleans() throws {
        let reply = #"{"intent":"Запись","sentiment":"НЕГАТИВНЫЙ","missed_lead":"да","reason":"ignored"}"#
        #expect(try parser.parse(reply).get() == ["intent": "booking", "sentiment": "negative", "missed_lead": "true"])
        #expect(try parser.parse(#"{"intent":" Booking\n","sentiment":"Neutral","missed_lead":" НЕТ "}"#).get()["missed_lead"] == "false")
        // A template's own values, capitals and ё included, match however the model spells them.
        let warm = TagParser(taxonomy: Taxonomy(fields: [TaxonomyField(name: "тон", values: ["Тёплый", "холодный"])]))
        for spelled in ["Тёплый", "тёплый", " ТЕПЛЫЙ ", "теплый"] {
            #expect(try warm.parse(#"{"тон":"\#(spelled)"}"#).get() == ["тон": "Тёплый"], "\(spelled)")
        }
    }

    @Test func rejectsValuesOutsideTheTaxonomyAndMissingFields() {
        guard case let .failure(outside) = parser.parse(#"{"intent":"purchase","sentiment":"neutral","missed_lead":false}"#) else {
            Issue.record("accepted purchase")
            return
        }
        #expect(outside.reason.contains("purchase"))
        guard case let .failure(missing) = parser.parse(#"{"intent":"other","sentiment":"neutral"}"#) else {
            Issue.record("accepted a missing field")
            return
        }
        #expect(missing.reason.contains("missed_lead"))
        guard case .failure = parser.parse("Извините, не могу помочь.") else {
            Issue.record("accepted prose")
            return
        }
    }
}
