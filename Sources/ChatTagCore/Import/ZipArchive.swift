import CZlib
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds and inflates the chat text inside a WhatsApp export `.zip` (the `.txt` beside the
/// media files). Only what WhatsApp writes is supported: stored or deflated entries, no ZIP64.
///
/// Sizes written in the archive are never trusted: the entry is inflated in 1 MiB steps into
/// an unlinked temporary file, stopping at the first byte past ``ImportLimits``, so a forged
/// size or a zip bomb costs neither memory nor more than the limit of disk.
struct ZipArchive {
    struct Entry {
        var name: String
        var method: UInt16
        var compressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    /// How the archive is named in messages.
    let path: String
    let limits: ImportLimits
    /// Masks an entry's name for messages (it may hold a client's name or phone).
    var maskName: (String) -> String = { $0 }

    static func isZip(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    private func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
    private func u32(_ offset: Int) -> Int { u16(offset) | u16(offset + 2) << 16 }

    private func damaged(_ problem: String) -> ImportError {
        .malformed(file: path, line: 1, problem: "the zip archive is damaged (\(problem))", fix: "Export the chat from WhatsApp again, or unzip it and import the .txt file.")
    }

    func entries() throws -> [Entry] {
        guard bytes.count >= 22 else { throw damaged("too short") }
        var end = -1
        var offset = bytes.count - 22
        while offset >= max(0, bytes.count - 65_557) {
            if u32(offset) == 0x0605_4B50 {
                end = offset
                break
            }
            offset -= 1
        }
        guard end >= 0 else { throw damaged("no central directory") }
        let count = u16(end + 10)
        var cursor = u32(end + 16)
        var result: [Entry] = []
        for _ in 0..<count {
            guard cursor >= 0, cursor + 46 <= bytes.count, u32(cursor) == 0x0201_4B50 else { throw damaged("bad directory entry") }
            let nameLength = u16(cursor + 28)
            let extraLength = u16(cursor + 30)
            let commentLength = u16(cursor + 32)
            guard cursor + 46 + nameLength <= bytes.count else { throw damaged("bad name") }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(cursor + 46)..<(cursor + 46 + nameLength)]), as: UTF8.self)
            result.append(Entry(name: name, method: UInt16(u16(cursor + 10)), compressedSize: u32(cursor + 20), localHeaderOffset: u32(cursor + 42)))
            cursor += 46 + nameLength + extraLength + commentLength
        }
        return result
    }

    /// The chat text: the first `.txt` entry (WhatsApp names it `_chat.txt` or `WhatsApp Chat
    /// with ….txt`), inflated into a temporary file that is gone once the mapping is.
    func chatText() throws -> (name: String, file: MappedFile) {
        guard let entry = try entries().first(where: { $0.name.lowercased().hasSuffix(".txt") && !$0.name.hasPrefix("__MACOSX") }) else {
            throw ImportError.notAnExport(file: path, problem: "the zip holds no .txt chat file")
        }
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, u32(header) == 0x0403_4B50 else { throw damaged("bad local header") }
        let dataStart = header + 30 + u16(header + 26) + u16(header + 28)
        guard dataStart + entry.compressedSize <= bytes.count else { throw damaged("entry runs past the end") }
        let compressed = UnsafeBufferPointer(rebasing: bytes[dataStart..<(dataStart + entry.compressedSize)])
        guard entry.method == 0 || entry.method == 8 else { throw damaged("compression method \(entry.method) is not supported") }
        let output = try TemporaryFile(label: path)
        defer { output.close() }
        let allowed = min(limits.maxUnzippedBytes, max(1 << 20, Int(min(Double(entry.compressedSize) * limits.maxUnzipRatio, 9e18))))
        let overLimit = {
            allowed == limits.maxUnzippedBytes
                ? ImportError.archiveOverLimit(
                    file: path, entry: maskName(entry.name), limit: ImportLimits.describe(limits.maxUnzippedBytes), flag: "--max-unzipped-size")
                : ImportError.archiveOverLimit(
                    file: path, entry: maskName(entry.name), limit: "\(Self.format(limits.maxUnzipRatio)) times its compressed size", flag: "--max-unzip-ratio")
        }
        if entry.method == 0 {
            guard compressed.count <= allowed else { throw overLimit() }
            try output.append(compressed)
        } else {
            try inflate(compressed, into: output, allowed: allowed, overLimit: overLimit)
        }
        return (entry.name, try MappedFile(descriptor: output.descriptor, label: path))
    }

    static func format(_ ratio: Double) -> String {
        ratio == ratio.rounded() ? String(Int(ratio)) : String(ratio)
    }

    private func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: TemporaryFile, allowed: Int, overLimit: () -> ImportError) throws {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw damaged("zlib init") }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { buffer.deallocate() }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(input.count)
        var written = 0
        while true {
            stream.next_out = buffer
            stream.avail_out = uInt(chunk)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = chunk - Int(stream.avail_out)
            written += produced
            guard written <= allowed else { throw overLimit() }
            try output.append(UnsafeBufferPointer(start: buffer, count: produced))
            if status == Z_STREAM_END { return }
            guard status == Z_OK else { throw damaged("inflate status \(status)") }
            // Input used up and nothing more comes out: the entry is cut short.
            if stream.avail_in == 0 && produced == 0 { throw damaged("the compressed data ends too early") }
        }
    }
}
