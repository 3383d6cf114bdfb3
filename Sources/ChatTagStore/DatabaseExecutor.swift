import Dispatch
import Foundation
import Synchronization

/// A serial executor on a dedicated thread. SQLite calls block; running the store's actor
/// here keeps them off Swift's cooperative threads (one per core), so HTTP completions are
/// never stuck behind a write.
final class DatabaseExecutor: SerialExecutor, Sendable {
    private let jobs = Mutex<[UnownedJob]>([])
    /// Signalled when `jobs` stops being empty; the thread sleeps on it (a plain thread, not a task).
    private let jobsArrived = DispatchSemaphore(value: 0)

    init(name: String) {
        // The thread holds the executor strongly: it serves jobs for the whole process. An
        // unowned reference crashed when a store was released before its thread had started
        // (a command that fails at once).
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let wasEmpty = jobs.withLock { jobs in
            defer { jobs.append(unowned) }
            return jobs.isEmpty
        }
        // The thread empties the list each time it wakes, so one signal per empty → non-empty
        // change wakes it exactly as often as there is work.
        if wasEmpty { jobsArrived.signal() }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }

    private func loop() {
        var batch: [UnownedJob] = []
        while true {
            jobsArrived.wait()
            jobs.withLock { swap(&$0, &batch) }
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
