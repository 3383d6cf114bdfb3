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
    /// A FIFO, a device, a socket or a directory: refused before it is opened.
    case notRegular(file: String, kind: String)
    /// An archive entry that inflates past the size limit (bytes) or the ratio limit.
    case archiveOverLimit(file: String, entry: String, limit: String, flag: String)
    /// One message over ``ImportLimits/maxMessageBytes``, single- or multi-line.
    case messageTooLong(file: String, line: Int, limit: Int)
    /// One dialogue (a chat's conversation without a pause) over ``ImportLimits/maxDialogueBytes``.
    case dialogueTooLarge(file: String, line: Int, limit: Int)

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
                "\(file): line \(line): the line is over the \(limit)-byte limit for one line (\(bytes) bytes read without a line break). The file is probably not a chat export or is damaged; export it again."
        case let .malformed(file, line, problem, fix):
            return "\(file): line \(line): \(problem). \(fix)"
        case let .notAnExport(file, problem):
            return "\(file): line 1: \(problem). Use Telegram Desktop's \"Export chat history\" with the JSON format, or WhatsApp's \"Export chat\"."
        case let .noStaff(file, authors):
            let list = authors.prefix(12).joined(separator: ", ")
            return
                "\(file): no author is marked as staff, so every message would count as the client's. Name the business side with --staff \"NAME,NAME\" (authors in this file: \(list))."
        case let .notRegular(file, kind):
            return "\(file): \(kind), not a regular file; chattag reads only files and archives. Save the export to a file and import that."
        case let .archiveOverLimit(file, entry, limit, flag):
            return
                "\(file): archive entry \(entry): it inflates past \(limit), so it is refused unread (a damaged or hostile archive). Unzip it yourself and import the .txt, or raise the limit with \(flag) if the chat is really that large."
        case let .messageTooLong(file, line, limit):
            return
                "\(file): line \(line): the message starting here is over \(limit) bytes (\(limit >> 20) MiB), longer than any chat message. The file is damaged or not a chat export; export it again, or cut the message."
        case let .dialogueTooLarge(file, line, limit):
            return
                "\(file): line \(line): the dialogue starting here holds over \(limit >> 20) MiB (of text, or counting 100 bytes a message), more than any one conversation. The file is damaged, or a dialogue id or a chat without pauses covers what should be many dialogues; export it again, or split it."
        }
    }
}
