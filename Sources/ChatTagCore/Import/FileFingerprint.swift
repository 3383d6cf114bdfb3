import Crypto
import Dispatch
import Synchronization

/// SHA-256 of an import file, computed on another core while the file is parsed, so the
/// `imports` table can tell the same export imported twice at no cost to throughput.
final class FileFingerprint: Sendable {
    /// The hex digest, set once by the hashing thread.
    private let digest = Mutex("")
    /// Signalled when `digest` is set.
    private let hashed = DispatchSemaphore(value: 0)

    /// Holds the mapping alive until hashing ends, even when the import fails early.
    ///
    /// `@unchecked` because ``MappedFile`` holds raw pointers into an `mmap`. Sharing it with the
    /// hashing thread is safe: that thread reads only `bytes` (a `let` pointing at a read-only
    /// mapping) and calls ``MappedFile/dropPages(_:)``, which changes no stored property; the
    /// one mutable property, `released`, is changed only by the parsing thread.
    private struct Mapping: @unchecked Sendable {
        let file: MappedFile
    }

    init(file: MappedFile) {
        let mapping = Mapping(file: file)
        DispatchQueue.global(qos: .utility).async { [self] in
            let bytes = mapping.file.bytes
            var hasher = SHA256()
            let chunk = 4 << 20
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + chunk)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset..<end])))
                mapping.file.dropPages(offset..<end)
                offset = end
            }
            let hex = hasher.finalize().hexString
            digest.withLock { $0 = hex }
            hashed.signal()
        }
    }

    /// The hex digest. Waits on a plain thread (import runs synchronously), never inside a task.
    func wait() -> String {
        hashed.wait()
        // Passed on, so a second call returns at once too.
        hashed.signal()
        return digest.withLock { $0 }
    }
}
