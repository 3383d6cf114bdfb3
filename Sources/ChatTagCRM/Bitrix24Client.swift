import AsyncHTTPClient
import ChatTagCore
import ChatTagHTTP
import Foundation
import NIOCore

/// Calls Bitrix24 REST methods through an inbound webhook: `POST <webhook><method>` with a
/// JSON body, the documented reply (`result`, `next`, `total`, `time`, or `error` and
/// `error_description`) parsed, and the leaky-bucket rate limit waited out by
/// ``CRMCallPolicy``. The webhook's secret appears in no message: errors carry the masked URL.
///
/// ```swift
/// let client = Bitrix24Client(webhook: try Bitrix24Webhook(parsing: url))
/// let reply = try await client.call("crm.deal.list", ["start": .number(0)])
/// try await client.shutdown()
/// ```
public final class Bitrix24Client: Sendable {
    public let webhook: Bitrix24Webhook
    let policy: CRMCallPolicy
    let clock: Clock
    let timeout: TimeAmount
    private let client: HTTPClient

    /// Bytes read at most from a reply.
    static let maxBodyBytes = 32 << 20

    /// `environment` is where the proxy (`HTTPS_PROXY`, `NO_PROXY`) and extra CA certificates
    /// (`SSL_CERT_FILE`) are read from, as for the model endpoint (``HTTPEnvironment``).
    public init(
        webhook: Bitrix24Webhook, policy: CRMCallPolicy = CRMCallPolicy(), clock: Clock = SystemClock(), timeoutSeconds: Double = 60,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.webhook = webhook
        self.policy = policy
        self.clock = clock
        timeout = .milliseconds(Int64(timeoutSeconds * 1000))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(for: webhook, environment: environment))
    }

    /// HTTP/1.1, no silent reconnects, and the environment's proxy and CA certificates.
    static func configuration(for webhook: Bitrix24Webhook, environment: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        if let url = URL(string: webhook.methodURL("")) {
            HTTPEnvironment.apply(to: &configuration, for: url, environment: environment)
        }
        return configuration
    }

    /// Closes the connections.
    public func shutdown() async throws { try await client.shutdown() }

    /// Calls `method` with `params` and returns the whole reply body (`result`, `next`,
    /// `total`, …), after waiting out the rate limit and retrying server errors as the
    /// policy says. Throws ``CRMError`` for everything else.
    public func call(_ method: String, _ params: [String: BitrixJSON] = [:]) async throws -> BitrixJSON {
        var rateLimited = 0
        var transient = 0
        while true {
            let (reply, body) = await attempt(method, params)
            let attempt: Int
            switch reply {
            case .rateLimited:
                rateLimited += 1
                attempt = rateLimited
            case .transient:
                transient += 1
                attempt = transient
            default:
                attempt = 1
            }
            switch policy.next(after: reply, attempt: attempt, method: method, webhook: webhook.masked) {
            case .proceed:
                guard let body else { throw CRMError.badReply(method: method, detail: "not JSON") }
                return body
            case let .retry(seconds):
                await clock.sleep(seconds: seconds)
            case let .stop(error):
                throw error
            }
        }
    }

    /// One HTTP exchange, classified.
    private func attempt(_ method: String, _ params: [String: BitrixJSON]) async -> (CRMReply, BitrixJSON?) {
        do {
            var request = HTTPClientRequest(url: webhook.methodURL(method))
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: Array(BitrixJSON.object(params).encoded())))
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: Self.maxBodyBytes)
            let body = BitrixJSON(data: Data(bytes.readableBytesView))
            let reply = CRMReply.classify(status: Int(response.status.code), error: body?["error"]?.string, description: body?["error_description"]?.string)
            if reply == .ok, body?["result"] == nil {
                return (.transient(reason: "HTTP \(response.status.code) without a result"), body)
            }
            return (reply, body)
        } catch {
            return (.transient(reason: webhook.redact(String(describing: error))), nil)
        }
    }
}
