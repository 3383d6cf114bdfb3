/// Why an import file was refused. Every case names the file and, where there is one, the line,
/// and its message ends with what to do. The database is left as it was.
public enum ImportError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case empty(file: String)
    case unknownFormat(file: String)
    case unknownTimeZone(String)
    case invalidUTF8(file: String, line: Int)
    case lineTooLong(file: String, line: Int, bytes: Int, limit: Int)
    case malformed(file: String, line: Int, problem: String, fix: String)
    case notAnExport(file: String, problem: String)
    case noStaff(file: String, authors: [String])

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason)). Check the path and its permissions."
        case let .empty(file):
            return "\(file): the file is empty. Export the chat again and import the new file."
        case let .unknownFormat(file):
            return
                "\(file): line 1: not a chat export chattag knows (canonical JSONL, CSV, Telegram result.json, WhatsApp .txt/.zip). Name the format with --format, or export the chat again."
        case let .unknownTimeZone(name):
            return "unknown time zone '\(name)'. Use an IANA name such as Europe/Moscow with --tz."
        case let .invalidUTF8(file, line):
            return "\(file): line \(line): the text is not valid UTF-8. Save the file as UTF-8 (in Excel: \"CSV UTF-8\") and import it again."
        case let .lineTooLong(file, line, bytes, limit):
            return
                "\(file): line \(line): the line is \(bytes) bytes long, over the \(limit)-byte limit for one line. The file is probably not a chat export or is damaged; export it again."
        case let .malformed(file, line, problem, fix):
            return "\(file): line \(line): \(problem). \(fix)"
        case let .notAnExport(file, problem):
            return "\(file): line 1: \(problem). Use Telegram Desktop's \"Export chat history\" with the JSON format, or WhatsApp's \"Export chat\"."
        case let .noStaff(file, authors):
            let list = authors.prefix(12).joined(separator: ", ")
            return
                "\(file): no author is marked as staff, so every message would count as the client's. Name the business side with --staff \"NAME,NAME\" (authors in this file: \(list))."
        }
    }
}
