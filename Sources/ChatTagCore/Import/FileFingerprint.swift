import Crypto
import Dispatch

/// SHA-256 of an import file, computed on another core while the file is parsed, so the
/// `imports` table can tell the same export imported twice at no cost to throughput.
final class FileFingerprint: @unchecked Sendable {
    private let group = DispatchGroup()
    private var digest = ""

    /// Holds the mapping alive until hashing ends, even when the import fails early.
    private struct Mapping: @unchecked Sendable {
        let file: MappedFile
    }

    init(file: MappedFile) {
        let mapping = Mapping(file: file)
        group.enter()
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
            digest = hasher.finalize().hexString
            group.leave()
        }
    }

    /// The hex digest. Waits on a plain thread (import runs synchronously), never inside a task.
    func wait() -> String {
        group.wait()
        return digest
    }
}
