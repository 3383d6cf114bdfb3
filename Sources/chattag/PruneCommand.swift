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
            Hand-labeled dialogues are kept whole. The database is vacuumed afterwards, so the removed text is gone from the file as well.

            Examples:
              chattag prune --older-than 90d --dry-run
              chattag prune --older-than 12w
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("older-than"), help: "The window, e.g. 90d, 12w or 2160h.") var olderThan: String
    @Flag(name: .customLong("dry-run"), help: "Only say what would be removed.") var dryRun = false

    func validate() throws {
        guard Pruning.window(olderThan) != nil else {
            throw ValidationError("--older-than takes a window of at least a day in days, weeks or hours, such as 90d, 12w or 2160h (got '\(olderThan)').")
        }
    }

    func run() throws {
        let lock = try RunLock(databasePath: global.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let store = try global.existingStore()
        let result = try Pruning(store: store).prune(windowSeconds: Pruning.window(olderThan) ?? 0, dryRun: dryRun, zone: try global.zone())
        if global.json {
            try OutputOptions.print(try JSONOutput.text(result))
            return
        }
        let what =
            "\(result.dialogues) dialogues started before \(result.cutoff): text of \(result.messages) messages (\(Self.bytes(result.textBytes))) and \(result.rawReplies) raw replies (\(Self.bytes(result.replyBytes))), and \(result.reports) reports written before then"
        let kept =
            result.keptLabeled > 0
            ? " \(result.keptLabeled) hand-labeled dialogues that old are kept whole: they are the validation set." : ""
        if dryRun {
            try OutputOptions.print("would remove, from \(what). Tags and audit metadata stay.\(kept) Run again without --dry-run to remove them.")
        } else {
            try OutputOptions.print(
                "removed, from \(what); database file \(Self.bytes(result.fileBytesBefore)) → \(Self.bytes(result.fileBytesAfter)).\(kept)")
        }
    }

    static func bytes(_ count: Int) -> String {
        count < 1024 ? "\(count) B" : count < 1 << 20 ? String(format: "%.1f KB", Double(count) / 1024) : String(format: "%.1f MB", Double(count) / 1_048_576)
    }
}
