import ArgumentParser
import ChatTagCore
import ChatTagStore
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Tag every dialogue not yet tagged with this prompt and model (resumable; cached tags are reused).",
        discussion: """
            The endpoint follows the official SDKs: OPENAI_BASE_URL (default https://api.openai.com/v1) and OPENAI_API_KEY;
            --base-url and --api-key-file override them. Exit 1 when some dialogues failed (their reason is in tags.error),
            69 when the endpoint is unreachable, refuses the key, or is not an API (its first answers are HTML pages, empty
            or none at all), 75 when another run holds the database.

            Examples:
              chattag run -p tagging@1 -m baseline
              chattag run -p tagging@2 -m gpt-4.1-mini --concurrency 16 --max-cost 2
              chattag run -p tagging@2 -m qwen2.5 --base-url http://127.0.0.1:8080/v1 --dry-run
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: PromptOptions

    @Option(name: [.short, .long], help: "The template, NAME@VERSION (e.g. tagging@1; default: prompt in chattag.toml).", completion: PromptOptions.completion)
    var prompt: String?
    @Option(name: [.short, .long], help: "The model to ask for; baseline is the offline tagger (default: model in chattag.toml).") var model: String?
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
    @Flag(
        help:
            "Ask for log-probabilities and keep a confidence per field (OpenAI and llama.cpp's server give them; validate then shows calibration). Off by default: some models refuse the parameter."
    )
    var logprobs = false
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
        options.logprobs = logprobs
        options.prices = try global.prices(file: prices)
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
        let template = try source.library().template(try global.prompt(prompt))
        let model = try global.model(model)
        let options = try options()
        let lock = try RunLock(databasePath: global.databasePath)
        defer { withExtendedLifetime(lock) {} }
        let store = try RunStore(path: global.databasePath)
        let setup = try endpointOptions.setup(global, store: store, options: options)
        try await setup.withRun(template: template, model: model) { made in
            if dryRun {
                try await printPreview(made)
                return
            }
            var run = made
            let reporter = ProgressReporter(quiet: global.quiet || global.json)
            run.onProgress = { reporter.update($0) }
            run.onWarning = { message in FileHandle.standardError.write(Data(("chattag: warning: " + message + "\n").utf8)) }
            let plan = try await store.plan(run.key, filter: options.filter)
            if !global.json {
                var line = "\(template.id) × \(model): \(plan.selected) dialogues, \(plan.cached) cached, \(plan.pending) to tag"
                if let estimate = run.runEstimate(plan) {
                    line += "; estimate ≤ \(estimate.tokensIn + estimate.tokensOut) tokens"
                    if let cost = estimate.costUSD { line += String(format: ", ≤ $%.4f", cost) }
                }
                global.note(line)
            }
            let (runID, summary) = try await run.run(plan: plan)
            reporter.finish()
            try printSummary(RunOutput(runID: runID, summary: summary, template: template, model: model), offline: !run.tagger.callsAnEndpoint)
            if summary.failed > 0 {
                throw UseCaseError.someFailed("\(summary.failed) dialogues failed; their reason is in tags.error (run \(runID)). Run again to retry them.")
            }
        }
    }

    func printPreview(_ run: TaggingRun) async throws {
        let preview = try await run.preview()
        var lines: [String] = []
        if let id = preview.dialogueID {
            lines.append("=== \(run.template.id) for dialogue \(id)\(preview.truncated ? " (cut to the token budget)" : "") ===")
            lines.append("--- system ---\n\(preview.system)\n--- user ---\n\(preview.user)")
        } else {
            lines.append("nothing to tag: every selected dialogue already has a tag for \(run.template.id) and \(run.model).")
        }
        var line = "\(preview.plan.selected) dialogues selected, \(preview.plan.cached) cached, \(preview.plan.pending) to tag"
        if let estimate = preview.estimate {
            line += "; estimate ≤ \(estimate.tokensIn) tokens in, ≤ \(estimate.tokensOut) out"
            if let cost = estimate.costUSD { line += String(format: ", ≤ $%.4f", cost) } else { line += " (no price for \(run.model))" }
        } else {
            line += "; the offline baseline calls nothing and costs nothing"
        }
        lines.append(line)
        try OutputOptions.print(lines.joined(separator: "\n"))
    }

    func printSummary(_ output: RunOutput, offline: Bool) throws {
        if global.json {
            try OutputOptions.print(try JSONOutput.text(output))
            return
        }
        guard !global.quiet else { return }
        var lines = ["run \(output.runID): tagged \(output.tagged), cached \(output.cached), failed \(output.failed)"]
        if !offline {
            let cached = output.cachedTokens > 0 ? " (\(output.cachedTokens) from the prompt cache)" : ""
            lines.append("calls \(output.calls), tokens \(output.tokensIn) in\(cached) / \(output.tokensOut) out, \(String(format: "%.1f", output.seconds)) s")
            if let p50 = output.latencyP50Ms, let p95 = output.latencyP95Ms { lines.append("latency p50 \(p50) ms, p95 \(p95) ms") }
            if let cost = output.costUSD { lines.append(String(format: "cost ≈ $%.4f", cost)) }
            if !output.modelVersions.isEmpty { lines.append("answered by \(output.modelVersions.joined(separator: ", "))") }
        } else {
            lines.append("offline baseline, \(String(format: "%.1f", output.seconds)) s")
        }
        try OutputOptions.print(lines.joined(separator: "\n"))
    }
}
