import CZlib
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Hostile import files, built in a test's temporary folder: zip archives with forged sizes or
/// bombs inside, FIFOs, sockets and sparse files. Compressed data is made by streaming, so
/// building a 1 GB bomb holds only its compressed bytes in memory.
enum HostileInputs {
    /// Raw deflate (as in a zip entry) of `prefix` followed by `chunk` repeated `times` times.
    static func deflated(prefix: [UInt8], repeating chunk: [UInt8], times: Int, level: Int32 = 9) -> [UInt8] {
        var stream = z_stream()
        _ = deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        func feed(_ input: [UInt8], finish: Bool) {
            input.withUnsafeBufferPointer { pending in
                stream.next_in = UnsafeMutablePointer(mutating: pending.baseAddress)
                stream.avail_in = uInt(pending.count)
                while true {
                    let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        let status = CZlib.deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
                        output += out[0..<(out.count - Int(stream.avail_out))]
                        return status
                    }
                    if finish ? status == Z_STREAM_END : (stream.avail_in == 0 && stream.avail_out != 0) { break }
                }
            }
        }
        feed(prefix, finish: false)
        for _ in 0..<times { feed(chunk, finish: false) }
        feed([], finish: true)
        return output
    }

    /// A one-entry zip. `writtenSize` is the uncompressed size the headers claim (forged at will).
    static func zip(entry name: String, method: UInt16 = 8, data: [UInt8], writtenSize: UInt32) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
        func u32(_ value: Int) -> [UInt8] { u16(value & 0xFFFF) + u16((value >> 16) & 0xFFFF) }
        let nameBytes = Array(name.utf8)
        let sizes = u32(0) + u32(data.count) + u32(Int(writtenSize))
        var archive = u32(0x0403_4B50) + u16(20) + u16(0) + u16(Int(method)) + u16(0) + u16(0) + sizes + u16(nameBytes.count) + u16(0) + nameBytes
        archive += data
        let directoryOffset = archive.count
        let directory =
            u32(0x0201_4B50) + u16(20) + u16(20) + u16(0) + u16(Int(method)) + u16(0) + u16(0) + sizes + u16(nameBytes.count) + u16(0) + u16(0)
            + u16(0) + u16(0) + u32(0) + u32(0) + nameBytes
        archive += directory
        archive += u32(0x0605_4B50) + u16(0) + u16(0) + u16(1) + u16(1) + u32(directory.count) + u32(directoryOffset) + u16(0)
        return archive
    }

    /// A named pipe nobody writes to.
    static func fifo(at path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    /// A listening UNIX socket's file; the descriptor is left open until the test process ends.
    static func socket(at path: String) throws {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    /// A sparse file of `size` bytes whose start is `head` (the rest reads as zeros, stored nowhere).
    static func sparse(at path: String, head: [UInt8], size: Int64) throws {
        FileManager.default.createFile(atPath: path, contents: Data(head))
        guard truncate(path, off_t(size)) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }
}
