import Dispatch
import Foundation
import Synchronization

/// Runs the import stages on all cores while keeping file order and flat memory:
/// the calling thread parses and hands over batches of raw dialogues; anonymizer threads
/// mask them; one writer thread hands the results, in order, to `emit` (the store).
/// Queues are bounded, so at most a few batches are in memory whatever the file's size.
///
/// All shared state is in one `Mutex`; threads that find nothing to do sleep on a semaphore
/// (they are plain threads, never tasks) and are woken by the change they wait for.
final class ImportPipeline: Sendable {
    struct Batch: Sendable {
        var sequence: Int
        var dialogues: [RawDialogue]
    }

    struct Result: Sendable {
        var dialogues: [Dialogue]
        var sawBusinessSide: Bool
        var clientAuthors: [String]
    }

    /// The caller's `emit`, which captures the caller's own variables and so is not `Sendable`.
    ///
    /// `@unchecked` because a closure's captures cannot be checked. It is safe as
    /// ``DialogueImporter`` uses it: `emit` runs only on the writer thread, one call at a time,
    /// and the importer reads what `emit` changes (the report, the authors) only after
    /// ``finish(cancelling:)`` has seen the writer end under `state`'s lock, which orders the
    /// writer's changes before those reads.
    private struct Emitter: @unchecked Sendable {
        let emit: (Result) throws -> Void
    }

    private struct State {
        var waiting: [Batch] = []
        var finished: [Int: Result] = [:]
        var nextToWrite = 0
        var submitted = 0
        var inputClosed = false
        var failure: (any Error)?
        var activeWorkers: Int
        var writerDone = false
        /// Dropped in ``finish(cancelling:)`` so the caller's closure never outlives the import.
        var emitter: Emitter?
        /// Set by the writer, and by the caller's thread, just before they sleep.
        var writerSleeps = false
        var callerSleeps = false

        /// Which sleeping threads a change must wake; clears their flags.
        mutating func wake(writer: Bool = false, caller: Bool = false, workers: Int = 0) -> Wakeups {
            var wakeups = Wakeups(workers: workers)
            if writer && writerSleeps {
                writerSleeps = false
                wakeups.writer = true
            }
            if caller && callerSleeps {
                callerSleeps = false
                wakeups.caller = true
            }
            return wakeups
        }
    }

    /// Wake-ups decided under the lock and sent after it is released.
    private struct Wakeups {
        var workers = 0
        var writer = false
        var caller = false
    }

    private let state: Mutex<State>
    private let workers: Int
    private let maxInFlight: Int
    private let transform: @Sendable (Batch, inout AuthorCache) -> Result
    /// One signal per batch waiting for a worker, and one per worker when input ends or fails.
    private let workAvailable = DispatchSemaphore(value: 0)
    private let writerWakeup = DispatchSemaphore(value: 0)
    /// Wakes the caller's thread, asleep in ``submit(_:)`` or ``finish(cancelling:)``.
    private let callerWakeup = DispatchSemaphore(value: 0)

    /// `transform` runs on `workers` threads, each with its own author cache; `emit` runs on one writer thread, in order.
    init(workers: Int, transform: @escaping @Sendable (Batch, inout AuthorCache) -> Result, emit: @escaping (Result) throws -> Void) {
        self.transform = transform
        self.workers = workers
        maxInFlight = workers * 2 + 1
        state = Mutex(State(activeWorkers: workers, emitter: Emitter(emit: emit)))
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
        while true {
            let accepted = try state.withLock { state throws -> Bool in
                if let failure = state.failure { throw failure }
                if state.submitted - state.nextToWrite >= maxInFlight {
                    state.callerSleeps = true
                    return false
                }
                state.waiting.append(Batch(sequence: state.submitted, dialogues: dialogues))
                state.submitted += 1
                return true
            }
            if accepted {
                workAvailable.signal()
                return
            }
            callerWakeup.wait()
        }
    }

    /// Stops accepting input and waits until every submitted batch is written (or dropped
    /// after a failure). Rethrows the writer's error.
    func finish(cancelling: Bool = false) throws {
        send(
            state.withLock { state in
                let wasRunning = !state.inputClosed && state.failure == nil
                state.inputClosed = true
                if cancelling && state.failure == nil { state.failure = CancellationError() }
                return state.wake(writer: true, workers: wasRunning ? workers : 0)
            })
        while true {
            let ended = state.withLock { state in
                guard state.writerDone && state.activeWorkers == 0 else {
                    state.callerSleeps = true
                    return false
                }
                state.emitter = nil
                return true
            }
            if ended { break }
            callerWakeup.wait()
        }
        if !cancelling, let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// What a worker does next.
    private enum WorkerStep {
        case transform(Batch)
        case stop(Wakeups)
        /// Woken with nothing to do, which the semaphore's count rules out; kept safe anyway.
        case sleep
    }

    private func work() {
        var cache = AuthorCache()
        while true {
            workAvailable.wait()
            let step = state.withLock { state -> WorkerStep in
                if state.failure != nil || (state.waiting.isEmpty && state.inputClosed) {
                    state.activeWorkers -= 1
                    return .stop(state.wake(caller: true))
                }
                return state.waiting.isEmpty ? .sleep : .transform(state.waiting.removeFirst())
            }
            switch step {
            case let .transform(batch):
                let result = transform(batch, &cache)
                send(
                    state.withLock { state in
                        state.finished[batch.sequence] = result
                        return state.wake(writer: true)
                    })
            case let .stop(wakeups):
                send(wakeups)
                return
            case .sleep:
                continue
            }
        }
    }

    /// What the writer does next.
    private enum WriterStep {
        case write(Result, Emitter?)
        case stop(Wakeups)
        case sleep
    }

    private func write() {
        while true {
            let step = state.withLock { state -> WriterStep in
                if state.failure != nil || (state.inputClosed && state.nextToWrite == state.submitted) {
                    state.writerDone = true
                    return .stop(state.wake(caller: true))
                }
                if let result = state.finished.removeValue(forKey: state.nextToWrite) { return .write(result, state.emitter) }
                state.writerSleeps = true
                return .sleep
            }
            switch step {
            case let .write(result, emitter):
                var error: (any Error)?
                do {
                    try emitter?.emit(result)
                } catch let failure {
                    error = failure
                }
                send(
                    state.withLock { state in
                        let failsNow = error != nil && state.failure == nil
                        if failsNow { state.failure = error }
                        state.nextToWrite += 1
                        return state.wake(caller: true, workers: failsNow ? workers : 0)
                    })
            case let .stop(wakeups):
                send(wakeups)
                return
            case .sleep:
                writerWakeup.wait()
            }
        }
    }

    private func send(_ wakeups: Wakeups) {
        for _ in 0..<wakeups.workers { workAvailable.signal() }
        if wakeups.writer { writerWakeup.signal() }
        if wakeups.caller { callerWakeup.signal() }
    }
}
