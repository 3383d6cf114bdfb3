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

    /// An HTML table inside a scrolling box (narrow screens scroll the table, not the page);
    /// text columns left-aligned, numbers right-aligned.
    public func html(class name: String? = nil) -> String {
        let h = ReportText.html
        func cell(_ tag: String, _ column: Int, _ text: String) -> String {
            "<\(tag)\(textColumns.contains(column) ? " class=\"t\"" : "")>\(h(text))</\(tag)>"
        }
        let head = "<tr>" + headers.enumerated().map { cell("th", $0, $1) }.joined() + "</tr>"
        let body = rows.map { "<tr>" + $0.enumerated().map { cell("td", $0, $1) }.joined() + "</tr>" }.joined()
        return "<div class=\"scroll\"><table\(name.map { " class=\"\($0)\"" } ?? "")>" + head + body + "</table></div>"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// Escaping shared by the HTML pages.
public enum ReportText {
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
