import ChatTagCore
import ChatTagStore

/// The one place where errors become exit codes (PRODUCT.md): 1 some items failed,
/// 2 usage, 65 bad input data, 69 endpoint unreachable or refusing, 70 internal error.
enum ExitCodes {
    static let someFailed: Int32 = 1
    static let usage: Int32 = 2
    static let badInput: Int32 = 65
    static let unavailable: Int32 = 69
    static let internalError: Int32 = 70
    /// Another run holds the database (EX_TEMPFAIL): try again later.
    static let busy: Int32 = 75

    /// The exit code of an error chattag raises itself; nil leaves it to ArgumentParser.
    static func code(for error: Error) -> Int32? {
        switch error {
        case let importError as ImportError:
            if case .unknownTimeZone = importError { return usage }
            if case .noStaff = importError { return usage }
            return badInput
        case let promptError as PromptError:
            if case .notFound = promptError { return usage }
            return badInput
        case let taggingError as TaggingError:
            switch taggingError {
            case .endpointRefused, .endpointUnreachable: return unavailable
            case .costLimit, .badOption: return usage
            case .databaseBusy: return busy
            }
        case is DatabaseError, is AnonymizerError:
            return internalError
        default:
            return nil
        }
    }
}
