import Foundation
import Synchronization

/// Turns wall-clock times written without an offset (WhatsApp, some CSV rows) into instants,
/// using the IANA zone the user names with `--tz` (default `Europe/Moscow`).
///
/// Offsets are cached per local hour, so a million-message import asks `TimeZone` a few
/// thousand times, not a million.
public final class ZoneResolver: Sendable {
    /// The IANA identifier, e.g. `Europe/Moscow`.
    public let identifier: String
    private let zone: TimeZone
    /// Offset in seconds by local hour (local seconds / 3600, rounded down).
    private let cache = Mutex<[Int64: Int32]>([:])

    /// Fails with ``ImportError/unknownTimeZone(_:)`` for a name `TimeZone` does not know.
    public init(identifier: String) throws {
        guard let zone = TimeZone(identifier: identifier) else { throw ImportError.unknownTimeZone(identifier) }
        self.identifier = identifier
        self.zone = zone
    }

    /// The offset in seconds that applies at a wall-clock time given as seconds since the epoch
    /// as if it were UTC. In a spring-forward gap the later offset wins.
    public func offset(forLocalSeconds localSeconds: Int64) -> Int32 {
        let hourKey = floorDiv(localSeconds, 3600)
        return cache.withLock { cache in
            if let cached = cache[hourKey] { return cached }
            let guess = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds))))
            let refined = Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds - guess))))
            cache[hourKey] = refined
            return refined
        }
    }

    /// The offset in seconds at an instant.
    public func offset(atUnixSeconds seconds: Int64) -> Int32 {
        Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
    }
}
