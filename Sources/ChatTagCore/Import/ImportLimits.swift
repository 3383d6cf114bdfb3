import Foundation

/// The bounds every import stays within, whatever the input: archives are inflated with a
/// hard cap on bytes and on the compression ratio (sizes written in zip headers are never
/// trusted), and no message or dialogue may grow past a size no chat reaches. Together they
/// keep an import's peak memory flat (under 200 MB) on any file.
///
/// ```swift
/// var limits = ImportLimits()
/// limits.maxUnzippedBytes = try ImportLimits.parseSize("500M")  // 524_288_000
/// ```
public struct ImportLimits: Sendable, Equatable {
    /// The most bytes one archive entry may inflate to; `--max-unzipped-size`, default 2 GiB.
    public var maxUnzippedBytes: Int
    /// The most an entry may inflate per compressed byte; `--max-unzip-ratio`, default 200.
    /// The first MiB of an entry is always allowed, so small files are never refused for it.
    public var maxUnzipRatio: Double

    /// One message, single- or multi-line, in bytes of UTF-8 (1 MiB).
    public static let maxMessageBytes = 1 << 20
    /// The text of one dialogue, in bytes of UTF-8 (8 MiB): a chat's conversation without a pause.
    public static let maxDialogueBytes = 8 << 20
    /// What one message counts for against ``maxDialogueBytes`` besides its text and author, in
    /// bytes: its time, role and line, so a dialogue of a million empty messages is bounded too.
    static let messageOverheadBytes = 100

    /// A message's weight against ``maxDialogueBytes``.
    static func weight(of message: RawMessage) -> Int {
        message.text.utf8.count + message.author.utf8.count + messageOverheadBytes
    }

    /// The raw text handed to the anonymizer threads at once, in bytes (2 MiB).
    static let batchBytes = 2 << 20

    public static let defaultUnzippedBytes = 2 << 30
    public static let defaultUnzipRatio = 200.0

    public init(maxUnzippedBytes: Int = defaultUnzippedBytes, maxUnzipRatio: Double = defaultUnzipRatio) {
        self.maxUnzippedBytes = maxUnzippedBytes
        self.maxUnzipRatio = maxUnzipRatio
    }

    /// Parses a size such as `2G`, `500M`, `64K`, `1.5GiB` or a bare number of bytes (binary units).
    public static func parseSize(_ text: String) -> Int? {
        var trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where trimmed.hasSuffix(suffix) && trimmed.count > suffix.count {
            trimmed = String(trimmed.dropLast(suffix.count))
            break
        }
        guard let unit = trimmed.last else { return nil }
        var scale = 1.0
        switch unit {
        case "K": scale = 1024
        case "M": scale = 1024 * 1024
        case "G": scale = 1024 * 1024 * 1024
        case "T": scale = 1024 * 1024 * 1024 * 1024
        default: break
        }
        if scale > 1 { trimmed.removeLast() }
        guard let value = Double(trimmed.trimmingCharacters(in: .whitespaces)), value > 0, value * scale < 9e18 else { return nil }
        return Int(value * scale)
    }

    /// `2 GiB`, `500 MiB`, `1234 bytes`: a size in words for messages.
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        return "\(bytes) bytes"
    }
}
