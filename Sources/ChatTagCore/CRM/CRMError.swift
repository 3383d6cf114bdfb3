/// Why a CRM command stopped. Each case carries the facts and ends with what to do; the
/// webhook appears only masked.
public enum CRMError: ChatTagError, Equatable {
    /// No webhook was given.
    case noWebhook
    /// The webhook URL is malformed.
    case badWebhook(reason: String)
    /// The portal refused the webhook: expired, revoked, wrong secret, or a missing scope.
    case refused(webhook: String, method: String, code: String, status: Int)
    /// The portal blocked REST calls for overload (`OVERLOAD_LIMIT`).
    case overloaded(webhook: String, method: String)
    /// The rate limit (`QUERY_LIMIT_EXCEEDED`) did not clear within the waits allowed.
    case rateLimited(webhook: String, method: String, waits: Int)
    /// The portal could not be reached, or kept failing (5xx, timeouts).
    case unreachable(webhook: String, method: String, reason: String)
    /// A method answered with an error of its own.
    case methodFailed(method: String, code: String, description: String)
    /// A reply was not in the documented shape.
    case badReply(method: String, detail: String)

    public var exitCode: ExitStatus {
        switch self {
        case .noWebhook, .badWebhook: return .usage
        default: return .unavailable
        }
    }

    public var description: String {
        switch self {
        case .noWebhook:
            return
                "no Bitrix24 webhook given. Pass --webhook-file FILE (or --webhook URL, or set CHATTAG_BITRIX24_WEBHOOK) with the inbound webhook https://<portal>/rest/<user>/<secret>/."
        case let .badWebhook(reason):
            return
                "the Bitrix24 webhook is not usable: \(reason). Copy the inbound webhook URL from Bitrix24 (Developer resources → Other → Inbound webhook), https://<portal>/rest/<user>/<secret>/."
        case let .refused(webhook, method, code, status):
            return
                "Bitrix24 refused the webhook \(webhook) on \(method) (HTTP \(status), \(code)): it has expired, was revoked, or lacks the scope. Create a new inbound webhook with the crm (and imopenlines) scope and pass it with --webhook-file."
        case let .overloaded(webhook, method):
            return
                "Bitrix24 blocked REST calls of \(webhook) for overload (OVERLOAD_LIMIT, on \(method)). Nothing more was sent; ask the portal's administrator to contact Bitrix24 support, then run the command again."
        case let .rateLimited(webhook, method, waits):
            return
                "Bitrix24 kept answering QUERY_LIMIT_EXCEEDED on \(method) for \(webhook) after \(waits) waits. Another integration may be using the portal's limit; run the command again later."
        case let .unreachable(webhook, method, reason):
            return "Bitrix24 at \(webhook) did not answer \(method): \(reason). Check the portal's address and the network, then run the command again."
        case let .methodFailed(method, code, description):
            return "Bitrix24 answered \(method) with \(code): \(description). Check the webhook's scope and the user's permissions in the CRM."
        case let .badReply(method, detail):
            return "Bitrix24's reply to \(method) was not in the documented shape (\(detail)). Run again with --verbose and report it."
        }
    }
}
