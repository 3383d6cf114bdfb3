import Testing

@testable import ChatTagCore

/// The run's circuit breaker as a pure value: every answer in, a verdict out, no server and no clock.
@Suite struct EndpointHealthTests {
    let html = ChatOutcome.malformed(status: 200, body: "<!DOCTYPE html>\n<html><body>It works!</body></html>")
    let empty = ChatOutcome.malformed(status: 200, body: "")

    func health(threshold: Int = 4) -> EndpointHealth {
        EndpointHealth(threshold: threshold, url: "http://127.0.0.1:8080", timeout: 60)
    }

    @Test func answersAreSortedIntoKindsOfNotAnEndpoint() {
        #expect(EndpointHealth.failure(of: html) == .html)
        #expect(EndpointHealth.failure(of: .malformed(status: 200, body: "\u{FEFF}  <HTML lang=ru>")) == .html)
        #expect(EndpointHealth.failure(of: .malformed(status: 203, body: "<?xml version=\"1.0\"?><rss/>")) == .html)
        #expect(EndpointHealth.failure(of: empty) == .empty)
        #expect(EndpointHealth.failure(of: .malformed(status: 200, body: " \r\n ")) == .empty)
        #expect(EndpointHealth.failure(of: .malformed(status: 200, body: "OK")) == .notACompletion)
        #expect(EndpointHealth.failure(of: .malformed(status: 200, body: #"{"status":"healthy"}"#)) == .notACompletion)
        #expect(EndpointHealth.failure(of: .timeout) == .noAnswer)
        #expect(EndpointHealth.failure(of: Answer.reply()) == nil)
        #expect(EndpointHealth.failure(of: Answer.http(502, "<html>Bad Gateway</html>")) == nil)
        #expect(EndpointHealth.failure(of: .connectionFailed("refused")) == nil)
    }

    @Test func theThresholdIsTheFirstWaveOfCallsAtMostEight() {
        #expect(EndpointHealth.threshold(concurrency: 1) == 1)
        #expect(EndpointHealth.threshold(concurrency: 4) == 4)
        #expect(EndpointHealth.threshold(concurrency: 64) == 8)
        #expect(EndpointHealth(threshold: 0, url: "u", timeout: 1).threshold == 1)
    }

    @Test(arguments: [
        (ChatOutcome.malformed(status: 200, body: "<html>"), EndpointHealth.Failure.html),
        (.malformed(status: 200, body: ""), .empty),
        (.malformed(status: 200, body: "garbage"), .notACompletion),
        (.timeout, .noAnswer),
    ])
    func failuresOfOneKindBeforeAnyAnswerTripAtTheThreshold(outcome: ChatOutcome, failure: EndpointHealth.Failure) {
        var health = health()
        for _ in 1...3 { #expect(health.note(outcome) == .holdBack) }
        #expect(health.note(outcome) == .trip(.notAnEndpoint(url: "http://127.0.0.1:8080", failure: failure, calls: 4, timeout: 60)))
    }

    @Test func mixedStrikesTripTooAndTheKindSeenMostNamesTheCause() {
        var health = health()
        for outcome in [Answer.http(503), Answer.http(429), .connectionFailed("reset"), Answer.http(400)] {
            for _ in 1...5 { #expect(health.note(outcome) == .carryOn) }
        }
        #expect(health.note(.timeout) == .holdBack)
        #expect(health.note(empty) == .holdBack)
        #expect(health.note(.timeout) == .holdBack)
        #expect(health.note(html) == .trip(.notAnEndpoint(url: "http://127.0.0.1:8080", failure: .noAnswer, calls: 4, timeout: 60)))
        #expect(health.strikes == [.noAnswer: 2, .empty: 1, .html: 1])
    }

    @Test func oneAnswerMeansTheEndpointIsOneAndLaterFailuresPauseTheRunInstead() {
        var health = health(threshold: 2)
        #expect(health.note(html) == .holdBack)
        #expect(health.note(Answer.reply()) == .carryOn)
        // An outage: the threshold in a row, then every further failure doubles the shared pause.
        let outage = [html, .timeout, Answer.http(503), .connectionFailed("reset"), empty, Answer.http(500), .timeout, .timeout, .timeout]
        let verdicts = outage.map { health.note($0) }
        #expect(
            verdicts == [
                .carryOn, .pause(seconds: 1), .pause(seconds: 2), .pause(seconds: 4), .pause(seconds: 8), .pause(seconds: 16), .pause(seconds: 30),
                .pause(seconds: 30), .pause(seconds: 30),
            ])
        // A 429 or a 4xx is an answer of a working endpoint: neither counts nor ends the outage.
        #expect(health.note(Answer.http(429)) == .carryOn)
        #expect(health.failuresInARow == 9)
        #expect(health.note(Answer.reply()) == .carryOn)
        #expect(health.failuresInARow == 0)
        #expect(health.note(Answer.http(503)) == .carryOn)
    }

    @Test func theMessageNamesTheURLAndTheLikelyFix() {
        let page = TaggingError.notAnEndpoint(url: "http://127.0.0.1:8080", failure: .html, calls: 8, timeout: 60)
        #expect(page.exitCode == .unavailable)
        #expect(page.description.contains("POST http://127.0.0.1:8080/chat/completions answered 8 calls with an HTML page"))
        #expect(page.description.contains("end in /v1"))
        let silent = TaggingError.notAnEndpoint(url: "http://10.0.0.5/v1/", failure: .noAnswer, calls: 4, timeout: 0.5)
        #expect(silent.description.contains("POST http://10.0.0.5/v1/chat/completions answered none of 4 calls within --timeout 0.5 s"))
        #expect(silent.description.contains("Is the server up"))
        #expect(silent.description.hasSuffix("Tags made so far are saved; run again to continue."))
    }
}
