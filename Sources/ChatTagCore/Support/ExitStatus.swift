/// How a chattag command ended, as scripts and schedulers read it.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// All done.
    case success = 0
    /// Finished, but some items failed; their reasons are stored.
    case someFailed = 1
    /// The command line is wrong, or the command has nothing to work on yet.
    case usage = 2
    /// An input file is bad; nothing of it was stored.
    case badInput = 65
    /// The endpoint (or the CRM) is unreachable or refuses the key.
    case unavailable = 69
    /// Something chattag did not expect; the message describes it in one line.
    case internalError = 70
    /// An output file cannot be created or written.
    case cannotWrite = 73
    /// Another run holds the database: try again later.
    case busy = 75
}

/// An error meant for the person running chattag: it knows its exit code, and its
/// description says what happened, where (file, line, value), and ends with the fix.
///
/// ```swift
/// catch let error as ChatTagError {
///     print(error)                  // "chat.csv: line 12: …. Fix …"
///     exit(error.exitCode.rawValue)
/// }
/// ```
public protocol ChatTagError: Error, CustomStringConvertible {
    var exitCode: ExitStatus { get }
}

extension ImportError: ChatTagError {
    public var exitCode: ExitStatus {
        switch self {
        case .unknownTimeZone, .noStaff: return .usage
        default: return .badInput
        }
    }
}

extension PromptError: ChatTagError {
    public var exitCode: ExitStatus {
        switch self {
        case .notFound, .versionRequired: return .usage
        default: return .badInput
        }
    }
}

extension TaggingError: ChatTagError {
    public var exitCode: ExitStatus {
        switch self {
        case .endpointRefused, .endpointUnreachable, .notAnEndpoint: return .unavailable
        case .costLimit, .badOption: return .usage
        case .databaseBusy: return .busy
        }
    }
}

extension AnonymizerError: ChatTagError {
    public var exitCode: ExitStatus { .internalError }
}
