import Testing

@testable import ChatTagCore

@Suite struct ChatTimeTests {
    @Test func parsesOffsetAndKeepsItWhenPrinted() throws {
        let time = try #require(ChatTime.parseISO8601("2025-01-05T14:00:00+03:00", zone: TestSupport.zone()))
        #expect(time.unixMillis == 1_736_074_800_000)
        #expect(time.offsetSeconds == 10_800)
        #expect(time.iso8601 == "2025-01-05T14:00:00+03:00")
    }

    @Test func readsTimesWithoutOffsetInTheGivenZone() throws {
        let moscow = try #require(ChatTime.parseISO8601("2025-07-01 09:30", zone: TestSupport.zone()))
        #expect(moscow.iso8601 == "2025-07-01T09:30:00+03:00")
        let berlin = try #require(ChatTime.parseISO8601("2025-07-01T09:30:00", zone: TestSupport.zone("Europe/Berlin")))
        #expect(berlin.iso8601 == "2025-07-01T09:30:00+02:00")
        let berlinWinter = try #require(ChatTime.parseISO8601("2025-01-01T09:30:00", zone: TestSupport.zone("Europe/Berlin")))
        #expect(berlinWinter.iso8601 == "2025-01-01T09:30:00+01:00")
    }

    @Test func handlesUTCFractionsAndNegativeOffsets() throws {
        let utc = try #require(ChatTime.parseISO8601("2025-03-04T07:02:11.250Z", zone: TestSupport.zone()))
        #expect(utc.iso8601 == "2025-03-04T07:02:11.250Z")
        let newYork = try #require(ChatTime.parseISO8601("2025-03-04T02:02:11-05:00", zone: TestSupport.zone()))
        #expect(newYork.unixMillis == utc.unixMillis - 250)
        #expect(newYork.iso8601 == "2025-03-04T02:02:11-05:00")
    }

    @Test func rejectsWhatIsNotATime() {
        for text in ["", "2025-13-01T10:00:00Z", "yesterday", "2025-01-05", "2025-01-05T25:00:00Z", "2025-01-05T10:00:00+03:00 extra"] {
            #expect(ChatTime.parseISO8601(Substring(text), zone: TestSupport.zone()) == nil, "\(text)")
        }
    }

    @Test func civilDatesRoundTripAcrossLeapYearsAndTheEpoch() {
        for days in [-719_468, -1, 0, 59, 11_016, 19_782, 20_000, 2_932_896] {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 2024, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 2025, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 2025, month: 4, day: 31).isValid)
    }
}
