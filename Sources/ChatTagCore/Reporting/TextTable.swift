import Foundation

/// A table of text cells printed aligned for a terminal or as a Markdown table. The first
/// column and the `textColumns` are left-aligned, the others right-aligned (they hold numbers).
public struct TextTable: Sendable {
    public var headers: [String]
    public var rows: [[String]]
    public var textColumns: Set<Int>

    public init(headers: [String], rows: [[String]] = [], textColumns: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.textColumns = textColumns.union([0])
    }

    /// Columns padded to their widest cell, two spaces apart.
    public func terminal() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
                return textColumns.contains(column) ? cell + padding : padding + cell
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// A GitHub-flavoured Markdown table; `|` inside cells is escaped.
    public func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").split(whereSeparator: \.isNewline).joined(separator: " ") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + headers.indices.map { textColumns.contains($0) ? "---|" : "---:|" }.joined()
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// How reports write numbers for people.
public enum ReportText {
    /// `45s`, `4m 12s`, `1h 05m`, `2d 3h`; `—` for none.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "—" }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m \(String(format: "%02d", whole % 60))s" }
        if whole < 86_400 { return "\(whole / 3600)h \(String(format: "%02d", whole / 60 % 60))m" }
        return "\(whole / 86_400)d \(whole / 3600 % 24)h"
    }

    /// `37%`; `—` for none.
    public static func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        return "\(Int((rate * 100).rounded()))%"
    }

    /// `+3`, `−2`, `0`.
    public static func change(_ value: Int) -> String { value > 0 ? "+\(value)" : value < 0 ? "−\(-value)" : "0" }

    /// A signed duration change: `+1m 05s`, `−20s`; `—` when either side is missing.
    public static func durationChange(_ now: Double?, _ before: Double?) -> String {
        guard let now, let before else { return "—" }
        let delta = now - before
        if delta.rounded() == 0 { return "0" }
        return (delta > 0 ? "+" : "−") + duration(abs(delta))
    }

    /// Escapes text for HTML element content and attribute values.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
