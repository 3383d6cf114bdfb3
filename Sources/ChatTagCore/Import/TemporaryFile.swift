import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An unlinked temporary file (in `TMPDIR`): it disappears when its descriptor is closed,
/// even if the process is killed.
struct TemporaryFile {
    let descriptor: Int32
    let label: String

    init(label: String) throws {
        self.label = label
        var template = Array((FileManager.default.temporaryDirectory.path + "/chattag-unzip-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw ImportError.unreadable(file: label, reason: "cannot create a temporary file: " + String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw ImportError.unreadable(file: label, reason: "cannot write the unzipped text to a temporary file: " + String(cString: strerror(errno)))
            }
            offset += count
        }
    }

    func close() {
        closeDescriptor(descriptor)
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
