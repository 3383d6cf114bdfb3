/// Writes CSV the way spreadsheets read it back (RFC 4180): a field is quoted when it holds
/// the delimiter, a quote or a line break (or always, for sheets people fill in), quotes
/// doubled, rows ended with CRLF.
public enum CSVText {
    /// One field, quoted when it needs to be (or when `always`).
    public static func field(_ text: String, delimiter: String = ",", always: Bool = false) -> String {
        guard always || text.contains(delimiter) || text.contains("\"") || text.contains("\n") || text.contains("\r") else { return text }
        var quoted = "\""
        for character in text {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }

    /// Rows of fields as CSV text, each row ended with CRLF.
    public static func rows(_ rows: [[String]], delimiter: String = ",") -> String {
        rows.map { $0.map { field($0, delimiter: delimiter) }.joined(separator: delimiter) + "\r\n" }.joined()
    }
}
