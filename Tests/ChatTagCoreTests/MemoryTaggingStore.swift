import Synchronization

@testable import ChatTagCore

/// A ``TaggingStore`` in memory: pending dialogues are those without an `ok` result yet;
/// results, runs and their statuses are kept for the test to read.
final class MemoryTaggingStore: TaggingStore {
    struct Run {
        var start: RunStart
        var status: RunStatus = .running
        var summary: RunSummary?
    }

    private struct Contents {
        var dialogues: [Dialogue]
        var results: [TagResult] = []
        var writes = 0
        var runs: [Run] = []
        var previous: (modelVersion: String?, systemFingerprint: String?)?
    }

    private let contents: Mutex<Contents>

    init(dialogues: [Dialogue], previous: (modelVersion: String?, systemFingerprint: String?)? = nil) {
        contents = Mutex(Contents(dialogues: dialogues.sorted { $0.id < $1.id }, previous: previous))
    }

    /// The results recorded, in the order written.
    var results: [TagResult] { contents.withLock { $0.results } }
    /// Transactions written.
    var writes: Int { contents.withLock { $0.writes } }
    var runs: [Run] { contents.withLock { $0.runs } }

    func register(_ template: PromptTemplate) async throws {}

    func plan(_ key: TagKey, filter: DialogueFilter) async throws -> RunPlan {
        contents.withLock { contents in
            let tagged = Set(contents.results.filter(\.isOK).map(\.dialogueID))
            let pending = contents.dialogues.filter { !tagged.contains($0.id) }
            return RunPlan(
                selected: contents.dialogues.count, cached: contents.dialogues.count - pending.count, pending: pending.count,
                pendingTextBytes: pending.reduce(0) { $0 + $1.messages.reduce(0) { $0 + $1.text.utf8.count } },
                pendingMessages: pending.reduce(0) { $0 + $1.messages.count })
        }
    }

    func pendingDialogues(_ key: TagKey, filter: DialogueFilter, afterID: String?, limit: Int) async throws -> [Dialogue] {
        contents.withLock { contents in
            let tagged = Set(contents.results.filter(\.isOK).map(\.dialogueID))
            return Array(contents.dialogues.filter { $0.id > (afterID ?? "") && !tagged.contains($0.id) }.prefix(limit))
        }
    }

    func beginRun(_ run: RunStart) async throws -> Int64 {
        contents.withLock { contents in
            contents.runs.append(Run(start: run))
            return Int64(contents.runs.count)
        }
    }

    func record(_ results: [TagResult], runID: Int64, key: TagKey, template: PromptTemplate) async throws {
        contents.withLock {
            $0.results += results
            $0.writes += 1
        }
    }

    func finishRun(_ runID: Int64, summary: RunSummary, status: RunStatus) async throws {
        contents.withLock {
            $0.runs[Int(runID) - 1].status = status
            $0.runs[Int(runID) - 1].summary = summary
        }
    }

    func previousAnswer(_ key: TagKey, before runID: Int64) async throws -> (modelVersion: String?, systemFingerprint: String?)? {
        contents.withLock { $0.previous }
    }
}
