#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of an import file. Parsers read bytes in place; pages already
/// read are handed back to the kernel with ``releaseConsumed(upTo:)``, so resident memory
/// stays flat however large the file is.
///
/// Only regular files are mapped: a FIFO, a device or a socket is refused before it is
/// opened (opening a FIFO for reading blocks until a writer comes).
public final class MappedFile {
    /// How the file is named in messages (masked like text where it comes from the user).
    public let path: String
    public let bytes: UnsafeBufferPointer<UInt8>
    private let base: UnsafeMutableRawPointer?
    private var released = 0
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Maps `path`; `label` names it in errors (defaults to the path).
    public convenience init(path: String, label: String? = nil) throws {
        let shown = label ?? path
        var info = stat()
        guard stat(path, &info) == 0 else { throw ImportError.unreadable(file: shown, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ImportError.notRegular(file: shown, kind: Self.kind(of: info.st_mode)) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw ImportError.unreadable(file: shown, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        try self.init(descriptor: descriptor, label: shown)
    }

    /// Maps an open descriptor of a regular file (such as an unlinked temporary file); the
    /// caller keeps ownership of the descriptor, which may be closed once this returns.
    init(descriptor: Int32, label: String) throws {
        self.path = label
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ImportError.unreadable(file: label, reason: String(cString: strerror(errno))) }
        // The file may have been swapped between stat and open.
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ImportError.notRegular(file: label, kind: Self.kind(of: info.st_mode)) }
        let size = Int(info.st_size)
        if size == 0 {
            base = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw ImportError.unreadable(file: label, reason: String(cString: strerror(errno)))
        }
        _ = madvise(mapped, size, MADV_SEQUENTIAL)
        base = mapped
        bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
    }

    /// What a file that is not a regular file is, in words for an error message.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        default: return "not a regular file"
        }
    }

    /// Drops the resident pages before `offset`; reading them again still works (the kernel
    /// pages them back in from the file).
    public func releaseConsumed(upTo offset: Int) {
        guard let base else { return }
        let end = (offset / Self.pageSize) * Self.pageSize
        guard end - released >= 8 << 20 else { return }
        _ = madvise(base + released, end - released, MADV_DONTNEED)
        released = end
    }

    /// Drops every resident page read so far and starts counting again from the start, for a
    /// reader that walks the file a second time.
    public func restartPass() {
        guard let base else { return }
        _ = madvise(base, bytes.count, MADV_DONTNEED)
        released = 0
    }

    /// Hands back the resident pages of a range that a side reader (the fingerprint) has
    /// finished with; whole pages only.
    public func dropPages(_ range: Range<Int>) {
        guard let base else { return }
        let start = (range.lowerBound + Self.pageSize - 1) / Self.pageSize * Self.pageSize
        let end = range.upperBound / Self.pageSize * Self.pageSize
        guard end > start else { return }
        _ = madvise(base + start, end - start, MADV_DONTNEED)
    }

    deinit {
        if let base { munmap(base, bytes.count) }
    }
}
