import ArgumentParser
import ChatTagCRM
import ChatTagCore
import Foundation

/// Where the Bitrix24 webhook comes from: `--webhook`, `--webhook-file`, or
/// `CHATTAG_BITRIX24_WEBHOOK`. The webhook holds a secret, so it is never stored or printed
/// whole; a file (mode 0600) keeps it out of the shell history and the process list.
struct Bitrix24Options: ParsableArguments {
    @Option(help: "The inbound webhook, https://<portal>/rest/<user>/<secret>/ (prefer --webhook-file; env CHATTAG_BITRIX24_WEBHOOK).")
    var webhook: String?
    @Option(name: .customLong("webhook-file"), help: "A file holding the inbound webhook URL.", completion: .file()) var webhookFile: String?
    @Option(help: "Seconds a single Bitrix24 call may take.") var timeout: Double = 60

    func resolvedWebhook(environment: [String: String]) throws -> Bitrix24Webhook {
        if let webhook { return try Bitrix24Webhook(parsing: webhook) }
        if let webhookFile {
            guard let data = FileManager.default.contents(atPath: webhookFile) else {
                throw UseCaseError.unreadable(path: webhookFile, reason: "no such file, or not readable")
            }
            return try Bitrix24Webhook(parsing: String(decoding: data, as: UTF8.self))
        }
        if let value = environment["CHATTAG_BITRIX24_WEBHOOK"], !value.isEmpty { return try Bitrix24Webhook(parsing: value) }
        throw CRMError.noWebhook
    }

    /// The client for one command; call `shutdown()` when done.
    func client(environment: [String: String]) throws -> Bitrix24Client {
        Bitrix24Client(webhook: try resolvedWebhook(environment: environment), timeoutSeconds: timeout)
    }

    /// Runs `body` with a client and prints what it returns (JSON with --json, else its
    /// summary); the client is shut down whatever happens.
    func run<Summary: CRMCommandSummary>(_ global: GlobalOptions, _ body: (Bitrix24Gateway) async throws -> Summary) async throws {
        let client = try client(environment: global.environment)
        let summary: Summary
        do {
            summary = try await body(Bitrix24Gateway(client: client))
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
        try OutputOptions.print(global.json ? try JSONOutput.text(summary) : summary.summary)
    }
}

/// What a `crm bitrix24` command prints: JSON for scripts, a summary for people.
protocol CRMCommandSummary: Encodable {
    var summary: String { get }
}

extension CRMOutcomeSummary: CRMCommandSummary {}
extension OpenLinesImportSummary: CRMCommandSummary {}
extension CRMPushSummary: CRMCommandSummary {}
