import Foundation

/// A Bitrix24 inbound webhook, `https://<portal>/rest/<user>/<secret>/`. The secret in it is a
/// password: the webhook is never stored, and it prints only masked, `https://<portal>/rest/1/••••/`.
///
/// ```swift
/// let webhook = try Bitrix24Webhook(parsing: "https://salon.bitrix24.ru/rest/1/abcd1234efgh/")
/// print(webhook)                      // https://salon.bitrix24.ru/rest/1/••••/
/// webhook.methodURL("crm.deal.list")  // the full URL, for the HTTP client only
/// ```
public struct Bitrix24Webhook: Sendable, Equatable, CustomStringConvertible {
    /// `https://<portal>/rest/<user>/<secret>/`, with the trailing slash.
    private let base: String
    /// The URL with the secret replaced by `••••`.
    public let masked: String
    /// The secret alone, so callers can make sure it appears nowhere else.
    public let secret: String

    /// Parses and checks a webhook URL; `https` is required except on a loopback host.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw CRMError.badWebhook(reason: "it is not a URL")
        }
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw CRMError.badWebhook(reason: "it must start with https://")
        }
        let parts = url.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, let restIndex = parts.firstIndex(of: "rest"), parts.count >= restIndex + 3,
            Int(parts[restIndex + 1]) != nil, !parts[restIndex + 2].isEmpty
        else {
            throw CRMError.badWebhook(reason: "its path is not /rest/<user>/<secret>/")
        }
        let prefix = parts[..<restIndex].map { "/" + $0 }.joined()
        let port = url.port.map { ":\($0)" } ?? ""
        let origin = "\(scheme)://\(host)\(port)\(prefix)/rest/\(parts[restIndex + 1])/"
        secret = parts[restIndex + 2]
        base = origin + secret + "/"
        masked = origin + "••••/"
    }

    /// The URL of a REST method, e.g. `…/rest/1/<secret>/crm.deal.list`.
    public func methodURL(_ method: String) -> String { base + method }

    /// The masked form: printing a webhook never shows its secret.
    public var description: String { masked }

    /// Replaces the secret wherever it occurs in `text` (an error text that quotes a URL).
    public func redact(_ text: String) -> String {
        text.replacingOccurrences(of: secret, with: "••••")
    }
}
