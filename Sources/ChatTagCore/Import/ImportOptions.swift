import Foundation

/// The export formats chattag reads.
public enum ExportFormat: String, Sendable, CaseIterable {
    case auto, jsonl, csv, telegram, whatsapp
}

/// How one `chattag import` reads its files.
public struct ImportOptions: Sendable {
    public var format: ExportFormat
    /// Names of the business's own people (matched without regard to case or spacing).
    public var staff: [String]
    /// Names of the business's bots.
    public var bots: [String]
    /// Once the business has replied (or the client closed), a chat is cut into dialogues
    /// where two messages are further apart than this, in seconds.
    public var sessionGapSeconds: Double
    /// A client message waiting for a reply keeps the dialogue open this long (seconds from
    /// the first message still waiting), so a next-morning or Monday reply stays with it.
    public var replyWindowSeconds: Double
    /// The zone of times written without an offset.
    public var zone: ZoneResolver
    /// Caps on archives; see ``ImportLimits``.
    public var limits = ImportLimits()
    /// Where "now" comes from, for refusing times in the future.
    public var clock: any Clock = SystemClock()

    public init(
        format: ExportFormat = .auto, staff: [String] = [], bots: [String] = [], sessionGapSeconds: Double = 12 * 3600,
        replyWindowSeconds: Double = 7 * 86_400, zone: ZoneResolver
    ) {
        self.format = format
        self.staff = staff
        self.bots = bots
        self.sessionGapSeconds = sessionGapSeconds
        self.replyWindowSeconds = replyWindowSeconds
        self.zone = zone
    }

    /// Parses durations such as `12h`, `90m`, `2d`, `3600s` or a bare number of hours.
    public static func parseDuration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last else { return nil }
        let scale: Double
        var number = String(trimmed.dropLast())
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        default:
            scale = 3600
            number = trimmed
        }
        guard let value = Double(number), value > 0 else { return nil }
        return value * scale
    }
}
