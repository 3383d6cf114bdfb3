import CZlib

/// Finds and inflates the chat text inside a WhatsApp export `.zip` (the `.txt` beside the
/// media files). Only what WhatsApp writes is supported: stored or deflated entries, no ZIP64.
struct ZipArchive {
    struct Entry {
        var name: String
        var method: UInt16
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let path: String

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
            guard cursor + 46 <= bytes.count, u32(cursor) == 0x0201_4B50 else { throw damaged("bad directory entry") }
            let nameLength = u16(cursor + 28)
            let extraLength = u16(cursor + 30)
            let commentLength = u16(cursor + 32)
            guard cursor + 46 + nameLength <= bytes.count else { throw damaged("bad name") }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(cursor + 46)..<(cursor + 46 + nameLength)]), as: UTF8.self)
            result.append(
                Entry(name: name, method: UInt16(u16(cursor + 10)), compressedSize: u32(cursor + 20), uncompressedSize: u32(cursor + 24), localHeaderOffset: u32(cursor + 42)))
            cursor += 46 + nameLength + extraLength + commentLength
        }
        return result
    }

    /// The chat text: the first `.txt` entry (WhatsApp names it `_chat.txt` or `WhatsApp Chat with ….txt`).
    func chatText() throws -> (name: String, bytes: [UInt8]) {
        guard let entry = try entries().first(where: { $0.name.lowercased().hasSuffix(".txt") && !$0.name.hasPrefix("__MACOSX") }) else {
            throw ImportError.notAnExport(file: path, problem: "the zip holds no .txt chat file")
        }
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, u32(header) == 0x0403_4B50 else { throw damaged("bad local header") }
        let dataStart = header + 30 + u16(header + 26) + u16(header + 28)
        guard dataStart + entry.compressedSize <= bytes.count else { throw damaged("entry runs past the end") }
        let compressed = UnsafeBufferPointer(rebasing: bytes[dataStart..<(dataStart + entry.compressedSize)])
        switch entry.method {
        case 0:
            return (entry.name, Array(compressed))
        case 8:
            return (entry.name, try inflate(compressed, expected: entry.uncompressedSize))
        default:
            throw damaged("compression method \(entry.method) is not supported")
        }
    }

    private func inflate(_ input: UnsafeBufferPointer<UInt8>, expected: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw damaged("zlib init") }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(expected, 1))
        let status: Int32 = output.withUnsafeMutableBufferPointer { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress
            stream.avail_out = uInt(out.count)
            return CZlib.inflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { throw damaged("inflate status \(status)") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
