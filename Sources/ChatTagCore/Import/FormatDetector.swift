/// Decides an export's format from its first bytes (and the `.zip` signature), so users
/// rarely need `--format`.
enum FormatDetector {
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> ExportFormat? {
        if ZipArchive.isZip(bytes) { return .whatsapp }
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        while start < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return nil }
        if bytes[start] == 0x7B {
            // Telegram Desktop always writes indented JSON: its first line is a lone "{".
            var next = start + 1
            while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x0D || bytes[next] == 0x09 { next += 1 }
            return next < bytes.count && bytes[next] == 0x0A ? .telegram : .jsonl
        }
        if WhatsAppText.looksLikeWhatsApp(bytes) { return .whatsapp }
        var lineEnd = start
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, lineEnd - start < 4096 { lineEnd += 1 }
        let header = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]), as: UTF8.self).lowercased()
        if header.contains("dialogue_id") { return .csv }
        return nil
    }
}
