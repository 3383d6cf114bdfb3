import Synchronization

@testable import ChatTagCore

/// A clock that only moves when told to or when someone sleeps on it: a sleep returns at
/// once, advancing the time by its length, and is noted, so retry waits are asserted exactly
/// and cost no time.
final class TestClock: ChatTagCore.Clock {
    private struct Time {
        var seconds: Double
        var sleeps: [Double] = []
    }

    /// Wall time at 0 s on the monotonic scale: 2025-01-06 09:00 UTC.
    let epochMillis: Int64 = 1_736_154_000_000
    private let time: Mutex<Time>

    init(seconds: Double = 1000) {
        time = Mutex(Time(seconds: seconds))
    }

    /// The lengths of the sleeps taken, in order, in seconds.
    var sleeps: [Double] { time.withLock { $0.sleeps } }

    /// Moves the time on, as a call that takes `seconds` would.
    func advance(by seconds: Double) {
        time.withLock { $0.seconds += seconds }
    }

    func nowUnixMillis() -> Int64 { epochMillis + Int64((monotonicSeconds() * 1000).rounded()) }

    func monotonicSeconds() -> Double { time.withLock { $0.seconds } }

    func sleep(seconds: Double) async {
        time.withLock {
            $0.sleeps.append(seconds)
            $0.seconds += max(0, seconds)
        }
    }
}
