/// How a report is rendered for people or machines.
public enum PageFormat: String, Sendable, CaseIterable, Codable {
    /// A compact table for the terminal.
    case table
    case md
    case json
    case html
    /// A long CSV a spreadsheet pivots (weekly report only).
    case csv

    /// The format a file name asks for by its extension (`week.html` → html), if any.
    public init?(fileExtensionOf path: String) {
        let lower = path.lowercased()
        guard let dot = lower.lastIndex(of: "."), !lower[dot...].contains("/") else { return nil }
        switch lower[lower.index(after: dot)...] {
        case "html", "htm": self = .html
        case "md", "markdown": self = .md
        case "json": self = .json
        case "csv": self = .csv
        case "txt": self = .table
        default: return nil
        }
    }
}
