import ArgumentParser
import ChatTagCore
import ChatTagHTTP
import ChatTagStore
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Tag every dialogue not yet tagged with this prompt and model (resumable; cached tags are reused).",
        discussion: """
            The endpoint follows the official SDKs: OPENAI_BASE_URL (default https://api.openai.com/v1) and OPENAI_API_KEY;
            --base-url and --api-key-file override them. Exit 1 when some dialogues failed (their reason is in tags.error),
            69 when the endpoint is unreachable or refuses the key, 75 when another run holds the database.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions

    @Option(help: "The template, NAME@VERSION (e.g. tagging@1).") var prompt: String
    @Option(help: "The model to ask for.") var model: String
    @Option(help: "Calls in flight at most.") var concurrency: Int = 8
    @Option(help: "Requests per minute at most.") var rpm: Int?
    @Option(help: "Tokens per minute at most.") var tpm: Int?
    @Option(help: "Only dialogues that started on or after this date (YYYY-MM-DD, in --tz).") var since: String?
    @Option(help: "Tag at most this many dialogues.") var limit: Int?
    @Flag(name: .customLong("only-labeled"), help: "Only dialogues with hand labels.") var onlyLabeled = false
    @Flag(name: .customLong("dry-run"), help: "Print the rendered prompt of one dialogue and the estimate for all; call nothing.") var dryRun = false
    @Option(help: "Seconds one request may take in total.") var timeout: Double = 60
    @Option(name: .customLong("max-retries"), help: "Retries per dialogue after 429, 5xx, timeouts and connection errors.") var maxRetries: Int = 5
    @Option(name: .customLong("max-cost"), help: "Refuse a run estimated above, and stop one whose spend reaches, this many USD.") var maxCost: Double?
    @Option(help: "A JSON price table {\"model\": {\"input\": USD per 1M, \"output\": USD per 1M}} (env CHATTAG_PRICES).") var prices: String?
    @Option(name: .customLong("token-budget"), help: "Tokens a dialogue may take in the prompt; longer ones keep the opening and the latest turns.") var tokenBudget: Int = 3000
    @OptionGroup var endpointOptions: EndpointOptions

    func validate() throws {
        guard concurrency >= 1 && concurrency <= 1024 else { throw ValidationError("--concurrency must be between 1 and 1024.") }
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds.") }
        guard maxRetries >= 0 else { throw ValidationError("--max-retries must be 0 or more.") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more.") }
    }

    func options() throws -> TaggingOptions {
        var options = TaggingOptions()
        options.concurrency = concurrency
        options.requestsPerMinute = rpm
        options.tokensPerMinute = tpm
        options.timeout = timeout
        options.retry.maxRetries = maxRetries
        options.tokenBudget = tokenBudget
        options.maxCostUSD = maxCost
        if let file = prices ?? global.environment["CHATTAG_PRICES"] { try options.prices.merge(file: file) }
        var filter = DialogueFilter(limit: limit, onlyLabeled: onlyLabeled)
        if let since {
            guard let time = ChatTime.parseISO8601(Substring(since + "T00:00:00"), zone: try global.zone()) else {
                throw ValidationError("--since takes a date as YYYY-MM-DD (got '\(since)').")
            }
            filter.sinceUnixMillis = time.unixMillis
        }
        options.filter = filter
        return options
    }

    func run() async throws {
        let template = try source.library().template(prompt)
        let options = try options()
        let (url, apiKey) = try endpointOptions.endpoint(global.environment)
        let lock = try RunLock(databasePath: global.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let store = try RunStore(path: global.databasePath)
        try await EndpointOptions.withTaggingRun(template: template, model: model, url: url, apiKey: apiKey, store: store, options: options) { made in
            var run = made
            if dryRun {
                try await printDryRun(run, store: store, options: options)
                return
            }
            let reporter = ProgressReporter(quiet: global.quiet || global.json)
            run.onProgress = { reporter.update($0) }
            run.onWarning = { message in FileHandle.standardError.write(Data(("chattag: warning: " + message + "\n").utf8)) }
            let plan = try await store.plan(run.key, filter: options.filter)
            let estimate = run.estimate(plan)
            if !global.quiet && !global.json {
                var line =
                    "\(template.id) × \(model): \(plan.selected) dialogues, \(plan.cached) cached, \(plan.pending) to tag; estimate ≤ \(estimate.tokensIn + estimate.tokensOut) tokens"
                if let cost = estimate.costUSD { line += String(format: ", ≤ $%.4f", cost) }
                global.note(line)
            }
            let (runID, summary) = try await run.run(plan: plan)
            reporter.finish()
            try printSummary(summary, runID: runID, template: template, plan: plan, estimate: estimate)
            if summary.failed > 0 {
                throw CommandFailure(
                    message: "\(summary.failed) dialogues failed; their reason is in tags.error (run \(runID)). Run again to retry them.", code: ExitCodes.someFailed)
            }
        }
    }

    func printDryRun(_ run: TaggingRun, store: RunStore, options: TaggingOptions) async throws {
        let plan = try await store.plan(run.key, filter: options.filter)
        let estimate = run.estimate(plan)
        if let first = try await store.pendingDialogues(run.key, filter: options.filter, afterID: nil, limit: 1).first {
            let (text, truncated) = DialogueRenderer(tokenBudget: tokenBudget).render(first)
            let messages = run.template.messages(dialogue: text)
            print("=== \(run.template.id) for dialogue \(first.id)\(truncated ? " (cut to the token budget)" : "") ===")
            print("--- system ---\n\(messages.system)\n--- user ---\n\(messages.user)")
        } else {
            print("nothing to tag: every selected dialogue already has a tag for \(run.template.id) and \(model).")
        }
        var line = "\(plan.selected) dialogues selected, \(plan.cached) cached, \(plan.pending) to tag; estimate ≤ \(estimate.tokensIn) tokens in, ≤ \(estimate.tokensOut) out"
        if let cost = estimate.costUSD { line += String(format: ", ≤ $%.4f", cost) } else { line += " (no price for \(model))" }
        print(line)
    }

    func printSummary(_ summary: RunSummary, runID: Int64, template: PromptTemplate, plan: RunPlan, estimate: (tokensIn: Int, tokensOut: Int, costUSD: Double?)) throws {
        if global.json {
            var object: [String: Any] = [
                "run_id": runID, "tagged": summary.tagged, "cached": summary.cached, "failed": summary.failed, "calls": summary.calls,
                "tokens_in": summary.tokensIn, "tokens_out": summary.tokensOut, "seconds": (summary.seconds * 1000).rounded() / 1000,
                "model_versions": summary.modelVersions, "model": model,
                "prompt": ["name": template.name, "version": template.version, "hash": template.hash],
            ]
            object["cost_usd"] = summary.costUSD ?? NSNull()
            object["latency_p50_ms"] = summary.latencyP50Ms ?? NSNull()
            object["latency_p95_ms"] = summary.latencyP95Ms ?? NSNull()
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            return
        }
        guard !global.quiet else { return }
        var lines = [
            "run \(runID): tagged \(summary.tagged), cached \(summary.cached), failed \(summary.failed)",
            "calls \(summary.calls), tokens \(summary.tokensIn) in / \(summary.tokensOut) out, \(String(format: "%.1f", summary.seconds)) s",
        ]
        if let p50 = summary.latencyP50Ms, let p95 = summary.latencyP95Ms { lines.append("latency p50 \(p50) ms, p95 \(p95) ms") }
        if let cost = summary.costUSD { lines.append(String(format: "cost ≈ $%.4f", cost)) }
        if !summary.modelVersions.isEmpty { lines.append("answered by \(summary.modelVersions.joined(separator: ", "))") }
        print(lines.joined(separator: "\n"))
    }
}

/// Progress on stderr: a bar with rate and ETA on a terminal, a plain line every few seconds
/// otherwise (cron logs stay readable).
final class ProgressReporter: @unchecked Sendable {
    private let quiet: Bool
    private let terminal = isatty(2) == 1
    private let lock = NSLock()
    private var lastLine = Date.distantPast
    private var drewBar = false

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func update(_ progress: RunProgress) {
        guard !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        let rate = progress.elapsed > 0 ? Double(progress.done) / progress.elapsed : 0
        let remaining = rate > 0 ? Double(progress.total - progress.done) / rate : 0
        let text = String(format: "%d/%d tagged (%d failed), %.1f/s, ETA %.0f s", progress.done, progress.total, progress.failed, rate, remaining)
        if terminal {
            let width = 24
            let filled = progress.total > 0 ? min(width, width * progress.done / progress.total) : width
            FileHandle.standardError.write(Data(("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text + "   ").utf8))
            drewBar = true
        } else if Date().timeIntervalSince(lastLine) >= 5 {
            FileHandle.standardError.write(Data((text + "\n").utf8))
            lastLine = Date()
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewBar { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// Where the endpoint is: flags override the official SDKs' environment variables.
struct EndpointOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: "The endpoint, e.g. http://127.0.0.1:8080/v1 (env OPENAI_BASE_URL).") var baseURL: String?
    @Option(name: .customLong("api-key-file"), help: "A file holding the API key (instead of OPENAI_API_KEY).") var apiKeyFile: String?

    func endpoint(_ environment: [String: String]) throws -> (URL, String?) {
        let text = baseURL ?? environment["OPENAI_BASE_URL"] ?? "https://api.openai.com/v1"
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("the endpoint '\(text)' is not an http(s) URL; set OPENAI_BASE_URL or --base-url.")
        }
        var key = environment["OPENAI_API_KEY"]
        if let apiKeyFile {
            guard let data = FileManager.default.contents(atPath: apiKeyFile) else {
                throw ValidationError("cannot read the API key file \(apiKeyFile).")
            }
            key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return (url, key)
    }

    /// Runs `body` with a run that uses the offline baseline for `--model baseline`, the HTTP
    /// endpoint otherwise; the endpoint's connections start closing when `body` returns or throws
    /// (the command ends right after, so nothing waits for them).
    static func withTaggingRun<T>(
        template: PromptTemplate, model: String, url: URL, apiKey: String?, store: RunStore, options: TaggingOptions,
        _ body: (TaggingRun) async throws -> T
    ) async throws -> T {
        if model == BaselineTagger.modelName {
            guard template.taxonomy == .default else {
                throw ValidationError("--model baseline tags only the default taxonomy (intent, sentiment, missed_lead); \(template.id) declares other fields.")
            }
            return try await body(
                TaggingRun(template: template, model: model, tagger: BaselineTagger(), store: store, options: options, endpoint: "offline:\(BaselineTagger.version)"))
        }
        let transport = AsyncHTTPChatClient(baseURL: url, apiKey: apiKey, maxConnections: options.concurrency)
        let run = TaggingRun(template: template, model: model, transport: transport, store: store, options: options, endpoint: url.absoluteString)
        do {
            let value = try await body(run)
            transport.closeWithoutWaiting()
            return value
        } catch {
            transport.closeWithoutWaiting()
            throw error
        }
    }
}
