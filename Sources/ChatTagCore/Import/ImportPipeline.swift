import Foundation

/// Runs the import stages on all cores while keeping file order and flat memory:
/// the calling thread parses and hands over batches of raw dialogues; anonymizer threads
/// mask them; one writer thread hands the results, in order, to `emit` (the store).
/// Queues are bounded, so at most a few batches are in memory whatever the file's size.
final class ImportPipeline: @unchecked Sendable {
    struct Batch: @unchecked Sendable {
        var sequence: Int
        var dialogues: [RawDialogue]
    }

    struct Result {
        var dialogues: [Dialogue]
        var sawBusinessSide: Bool
        var clientAuthors: [String]
    }

    private let condition = NSCondition()
    private var waiting: [Batch] = []
    private var finished: [Int: Result] = [:]
    private var nextToWrite = 0
    private var submitted = 0
    private var inputClosed = false
    private var failure: Error?
    private var activeWorkers = 0
    private var writerDone = false
    private let maxInFlight: Int

    private let transform: @Sendable (Batch, inout AuthorCache) -> Result
    /// Dropped in ``finish(cancelling:)`` so the caller's closure never outlives the import.
    private var emit: ((Result) throws -> Void)?

    /// `transform` runs on `workers` threads, each with its own author cache; `emit` runs on one writer thread, in order.
    init(workers: Int, transform: @escaping @Sendable (Batch, inout AuthorCache) -> Result, emit: @escaping (Result) throws -> Void) {
        self.transform = transform
        self.emit = emit
        maxInFlight = workers * 2 + 1
        activeWorkers = workers
        for _ in 0..<workers {
            let thread = Thread { [self] in work() }
            thread.stackSize = 4 << 20
            thread.start()
        }
        let writer = Thread { [self] in write() }
        writer.stackSize = 4 << 20
        writer.start()
    }

    /// Hands a batch over; blocks while too many are in flight. Throws the writer's error.
    func submit(_ dialogues: [RawDialogue]) throws {
        condition.lock()
        defer { condition.unlock() }
        while failure == nil && submitted - nextToWrite >= maxInFlight { condition.wait() }
        if let failure { throw failure }
        waiting.append(Batch(sequence: submitted, dialogues: dialogues))
        submitted += 1
        condition.broadcast()
    }

    /// Stops accepting input and waits until every submitted batch is written (or dropped
    /// after a failure). Rethrows the writer's error.
    func finish(cancelling: Bool = false) throws {
        condition.lock()
        defer { condition.unlock() }
        inputClosed = true
        if cancelling && failure == nil { failure = CancellationError() }
        condition.broadcast()
        while !writerDone || activeWorkers > 0 { condition.wait() }
        emit = nil
        if let failure, !cancelling { throw failure }
    }

    private func work() {
        var cache = AuthorCache()
        while true {
            condition.lock()
            while waiting.isEmpty && !inputClosed && failure == nil { condition.wait() }
            if failure != nil || (waiting.isEmpty && inputClosed) {
                activeWorkers -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = waiting.removeFirst()
            condition.unlock()
            let result = transform(batch, &cache)
            condition.lock()
            finished[batch.sequence] = result
            condition.broadcast()
            condition.unlock()
        }
    }

    private func write() {
        while true {
            condition.lock()
            while finished[nextToWrite] == nil && failure == nil && !(inputClosed && nextToWrite == submitted) { condition.wait() }
            if failure != nil || (inputClosed && nextToWrite == submitted) {
                writerDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let result = finished.removeValue(forKey: nextToWrite)!
            let emit = self.emit
            condition.unlock()
            do {
                try emit?(result)
            } catch {
                condition.lock()
                if failure == nil { failure = error }
                condition.unlock()
            }
            condition.lock()
            nextToWrite += 1
            condition.broadcast()
            condition.unlock()
        }
    }
}
