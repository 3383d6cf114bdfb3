import ChatTagCore
import Foundation
import Synchronization

/// Progress on stderr: a bar with rate and ETA on a terminal, redrawn at most 5 times a
/// second; a plain line every 5 seconds otherwise (cron logs stay readable).
final class ProgressReporter: Sendable {
    private struct Drawn {
        var lastDraw = -Double.infinity
        var drewBar = false
    }

    private let quiet: Bool
    private let terminal = isatty(2) == 1
    private let clock: Clock
    private let drawn = Mutex(Drawn())

    init(quiet: Bool, clock: Clock = SystemClock()) {
        self.quiet = quiet
        self.clock = clock
    }

    func update(_ progress: RunProgress) {
        guard !quiet else { return }
        let now = clock.monotonicSeconds()
        let interval = terminal ? 0.2 : 5
        let finished = progress.done >= progress.total
        let due = drawn.withLock { state -> Bool in
            guard finished || now - state.lastDraw >= interval else { return false }
            state.lastDraw = now
            if terminal { state.drewBar = true }
            return true
        }
        guard due else { return }
        let rate = progress.elapsed > 0 ? Double(progress.done) / progress.elapsed : 0
        let remaining = rate > 0 ? Double(progress.total - progress.done) / rate : 0
        let text = String(format: "%d/%d tagged (%d failed), %.1f/s, ETA %.0f s", progress.done, progress.total, progress.failed, rate, remaining)
        if terminal {
            let width = 24
            let filled = progress.total > 0 ? min(width, width * progress.done / progress.total) : width
            FileHandle.standardError.write(Data(("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text + "   ").utf8))
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    func finish() {
        if drawn.withLock({ $0.drewBar }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
