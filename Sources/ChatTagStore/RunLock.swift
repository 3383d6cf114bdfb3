import ChatTagCore

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock beside the database (`chattag.db.lock`), held for a whole `chattag run`
/// so two schedules never tag the same database at once. The kernel releases it when the
/// process ends, even after `kill -9`.
public final class RunLock {
    private let descriptor: Int32

    /// Takes the lock or throws ``TaggingError/databaseBusy(_:)`` at once.
    public init(databasePath: String) throws {
        let path = databasePath + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw TaggingError.databaseBusy(databasePath) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw TaggingError.databaseBusy(databasePath)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
