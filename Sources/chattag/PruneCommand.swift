import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Retention: remove message text and raw model replies of dialogues older than the window; tags, timestamps and audit metadata stay.",
        discussion: """
            A dialogue's age is counted from its first message. Pruned dialogues still count in reports and views, and are never sent for tagging again.
            The database is vacuumed afterwards, so the removed text is gone from the file as well.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("older-than"), help: "The window, e.g. 90d, 12w or 2160h.") var olderThan: String
    @Flag(name: .customLong("dry-run"), help: "Only say what would be removed.") var dryRun = false

    /// Seconds in a window written as days, weeks or hours (`90d`, `12w`, `2160h`); nil for
    /// anything else or less than a day — `3m` could mean minutes or months, and pruning
    /// cannot be undone.
    static func window(_ text: String) -> Double? {
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

    func validate() throws {
        guard Self.window(olderThan) != nil else {
            throw ValidationError("--older-than takes a window of at least a day in days, weeks or hours, such as 90d, 12w or 2160h (got '\(olderThan)').")
        }
    }

    func run() throws {
        let seconds = Self.window(olderThan)!
        let cutoff = Int64((Date().timeIntervalSince1970 - seconds) * 1000)
        let cutoffText = ChatTime(unixMillis: cutoff, offsetSeconds: 0).iso8601
        let lock = try RunLock(databasePath: global.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let store = try global.openStore()
        let retention = Retention(database: store.database)
        let sizeBefore = Self.fileSize(global.databasePath)
        let totals = dryRun ? try retention.plan(before: cutoff) : try retention.prune(before: cutoff)
        let sizeAfter = Self.fileSize(global.databasePath)
        if global.json {
            let object: [String: Any] = [
                "dry_run": dryRun, "cutoff": cutoffText, "dialogues": totals.dialogues, "messages": totals.messages, "text_bytes": totals.textBytes,
                "raw_replies": totals.rawReplies, "reply_bytes": totals.replyBytes, "reports": totals.reports, "file_bytes_before": sizeBefore, "file_bytes_after": sizeAfter,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            return
        }
        let what =
            "\(totals.dialogues) dialogues started before \(cutoffText): text of \(totals.messages) messages (\(Self.bytes(totals.textBytes))) and \(totals.rawReplies) raw replies (\(Self.bytes(totals.replyBytes))), and \(totals.reports) reports written before then"
        if dryRun {
            print("would remove, from \(what). Tags, audit metadata and hand-labeled dialogues stay. Run again without --dry-run to remove them.")
        } else {
            print("removed, from \(what); database file \(Self.bytes(sizeBefore)) → \(Self.bytes(sizeAfter)).")
        }
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func bytes(_ count: Int) -> String {
        count < 1024 ? "\(count) B" : count < 1 << 20 ? String(format: "%.1f KB", Double(count) / 1024) : String(format: "%.1f MB", Double(count) / 1_048_576)
    }
}
