import Foundation

/// Where the pipeline reads the time: the system clock in production, a hand-set one in
/// tests, so retry waits, run durations, report weeks and retention cutoffs are tested
/// without sleeping.
public protocol Clock: Sendable {
    /// Milliseconds since the Unix epoch, wall-clock time (stored as timestamps).
    func nowUnixMillis() -> Int64
    /// Seconds on a monotonic scale, for durations (latencies, run time); only differences
    /// between two readings mean anything.
    func monotonicSeconds() -> Double
    /// Suspends the calling task for `seconds` (a retry wait, a rate-limit pause).
    func sleep(seconds: Double) async
}

extension Clock {
    /// The current wall-clock time as an ISO-8601 timestamp in UTC, as stored in the tables.
    public func timestamp() -> String {
        ChatTime(unixMillis: nowUnixMillis(), offsetSeconds: 0).iso8601
    }
}

/// The system's clocks: `Date` for wall time, `ContinuousClock` for durations and sleeps.
public struct SystemClock: Clock {
    private static let origin = ContinuousClock.now

    public init() {}

    public func nowUnixMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    public func monotonicSeconds() -> Double {
        let elapsed = ContinuousClock.now - Self.origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func sleep(seconds: Double) async {
        guard seconds > 0, seconds.isFinite else { return }
        // Not rounded to milliseconds: a run spaces its first calls well under one apart.
        try? await Task.sleep(for: .seconds(seconds))
    }
}
