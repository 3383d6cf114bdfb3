import Foundation
import Testing

@testable import ChatTagCore

@Suite struct RetryPolicyTests {
    @Test func readsRateLimitResetDurations() {
        #expect(RetryPolicy.parseDuration("6m0s") == 360)
        #expect(RetryPolicy.parseDuration("1.5s") == 1.5)
        #expect(RetryPolicy.parseDuration("20ms") == 0.02)
        #expect(RetryPolicy.parseDuration("1h2m3s") == 3723)
        #expect(RetryPolicy.parseDuration("soon") == nil)
    }

    @Test func backoffHasFullJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxRetries: 5, baseDelay: 0.5, maxDelay: 8)
        #expect(policy.delay(attempt: 1, retryAfter: nil, random: 1) == 0.5)
        #expect(policy.delay(attempt: 3, retryAfter: nil, random: 1) == 2)
        #expect(policy.delay(attempt: 3, retryAfter: nil, random: 0) == 0)
        #expect(policy.delay(attempt: 10, retryAfter: nil, random: 1) == 8)
        #expect(policy.delay(attempt: 1, retryAfter: 3, random: 0) == 3)
        #expect(RetryPolicy.isRetryable(.httpError(status: 429, body: "", retryAfter: nil, hints: RateLimitHints())))
        #expect(RetryPolicy.isRetryable(.httpError(status: 503, body: "", retryAfter: nil, hints: RateLimitHints())))
        #expect(!RetryPolicy.isRetryable(.httpError(status: 400, body: "", retryAfter: nil, hints: RateLimitHints())))
        #expect(RetryPolicy.isRetryable(.timeout))
    }
}
