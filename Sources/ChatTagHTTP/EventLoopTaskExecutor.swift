import NIOCore

/// Runs Swift tasks on one NIO event loop: the loop that also reads and writes the client's
/// connections. A run whose tasks prefer this executor handles an answer and writes the next
/// request on the same thread, with no wake-up of another thread in between.
final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
