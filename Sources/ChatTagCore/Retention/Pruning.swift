import Foundation

/// `prune --json`: the keys listed in docs/json.md under `prune`.
public struct PruneOutput: Encodable, Sendable, Equatable {
    public var dryRun: Bool
    /// The cutoff instant, ISO-8601 with the offset of the report zone (`--tz`).
    public var cutoff: String
    public var dialogues: Int
    public var messages: Int
    public var textBytes: Int
    public var rawReplies: Int
    public var replyBytes: Int
    public var reports: Int
    /// Hand-labeled dialogues past the window, kept whole.
    public var keptLabeled: Int
    public var fileBytesBefore: Int
    public var fileBytesAfter: Int

    enum CodingKeys: String, CodingKey {
        case cutoff, dialogues, messages, reports
        case dryRun = "dry_run"
        case textBytes = "text_bytes"
        case rawReplies = "raw_replies"
        case replyBytes = "reply_bytes"
        case fileBytesBefore = "file_bytes_before"
        case fileBytesAfter = "file_bytes_after"
        case keptLabeled = "kept_labeled"
    }
}

/// Retention as a use case: past the window, message text, raw model replies and old
/// rendered reports go; facts, tags and audit metadata stay; hand-labeled dialogues are kept.
public struct Pruning {
    let store: RetentionStore
    let clock: Clock

    public init(store: RetentionStore, clock: Clock = SystemClock()) {
        self.store = store
        self.clock = clock
    }

    /// Seconds in a window written as days, weeks or hours (`90d`, `12w`, `2160h`); nil for
    /// anything else or less than a day — `3m` could mean minutes or months, and pruning
    /// cannot be undone.
    public static func window(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let number = Double(trimmed.dropLast()), number.isFinite, number > 0 else { return nil }
        let seconds: Double
        switch unit {
        case "d": seconds = number * 86_400
        case "w": seconds = number * 7 * 86_400
        case "h": seconds = number * 3600
        default: return nil
        }
        return (86_400...(100 * 365 * 86_400)).contains(seconds) ? seconds : nil
    }

    /// Prunes (or, with `dryRun`, only counts) what is older than `windowSeconds`.
    public func prune(windowSeconds: Double, dryRun: Bool, zone: ZoneResolver) throws -> PruneOutput {
        let cutoff = clock.nowUnixMillis() - Int64(windowSeconds * 1000)
        let before = store.fileBytes()
        let totals = dryRun ? try store.prunePlan(before: cutoff) : try store.prune(before: cutoff)
        return PruneOutput(
            dryRun: dryRun, cutoff: ChatTime(unixMillis: cutoff, offsetSeconds: zone.offset(atUnixSeconds: cutoff / 1000)).iso8601,
            dialogues: totals.dialogues, messages: totals.messages, textBytes: totals.textBytes, rawReplies: totals.rawReplies,
            replyBytes: totals.replyBytes, reports: totals.reports, keptLabeled: totals.keptLabeled,
            fileBytesBefore: before, fileBytesAfter: store.fileBytes())
    }
}
