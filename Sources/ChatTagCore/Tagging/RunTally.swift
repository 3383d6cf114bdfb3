import Foundation

/// A run's running totals: absorbs each dialogue's result as it arrives, says when the spend
/// reached `--max-cost`, and gives the run's summary, status and end-of-run warnings.
///
/// ```swift
/// var tally = RunTally(model: "gpt-4.1-mini", options: options, cached: plan.cached)
/// for result in results { tally.absorb(result) }
/// let summary = tally.summary(seconds: 12.5)
/// ```
public struct RunTally: Sendable {
    public let model: String
    public let prices: PriceTable
    /// The spend in USD at which the run stops scheduling; nil: no limit.
    public let maxCostUSD: Double?
    /// Tagged, cached, failed, calls and tokens so far.
    public private(set) var counts = RunSummary()
    /// The model versions that answered so far.
    public private(set) var modelVersions: Set<String> = []
    /// The system fingerprints seen so far.
    public private(set) var fingerprints: Set<String> = []
    /// Whether the spend reached ``maxCostUSD``.
    public private(set) var reachedCostLimit = false
    /// Latencies in milliseconds of the dialogues tagged.
    private var latencies: [Int] = []
    /// The values the model answered, to call out a model that answers the same every time.
    public private(set) var spread = AnswerSpread()
    /// The fields the template asks.
    let taxonomy: Taxonomy

    /// The totals of a run of `model` under `options`, with `cached` dialogues already tagged before it.
    public init(model: String, options: TaggingOptions, cached: Int = 0, taxonomy: Taxonomy = .default) {
        self.model = model
        self.taxonomy = taxonomy
        prices = options.prices
        maxCostUSD = options.maxCostUSD
        counts.cached = cached
    }

    /// Dialogues finished so far, tagged or failed.
    public var done: Int { counts.tagged + counts.failed }

    /// Counts one dialogue's result.
    public mutating func absorb(_ result: TagResult) {
        counts.calls += result.calls.count
        counts.tokensIn += result.tokensIn
        counts.tokensOut += result.tokensOut
        counts.cachedTokens += result.cachedTokens
        if result.isOK {
            counts.tagged += 1
            latencies.append(result.latencyMs)
            if let values = result.values { spread.add(values) }
        } else {
            counts.failed += 1
        }
        if let version = result.modelVersion { modelVersions.insert(version) }
        if let fingerprint = result.systemFingerprint { fingerprints.insert(fingerprint) }
        if let limit = maxCostUSD {
            let spent = prices.cost(model: model, tokensIn: counts.tokensIn, tokensOut: counts.tokensOut, cachedTokens: counts.cachedTokens) ?? 0
            if spent >= limit { reachedCostLimit = true }
        }
    }

    /// The run's summary after `seconds` of running: the counts, latency percentiles of the
    /// tagged dialogues, the models that answered and the cost when priced.
    public func summary(seconds: Double) -> RunSummary {
        var summary = counts
        summary.seconds = seconds
        let sorted = latencies.sorted()
        if !sorted.isEmpty {
            summary.latencyP50Ms = sorted[sorted.count / 2]
            summary.latencyP95Ms = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
        }
        summary.modelVersions = modelVersions.sorted()
        summary.costUSD = prices.cost(model: model, tokensIn: counts.tokensIn, tokensOut: counts.tokensOut, cachedTokens: counts.cachedTokens)
        return summary
    }

    /// How the run ended: `aborted` when it was stopped (an abort or an error), else by the spend
    /// limit, else finished with or without failures.
    public func status(aborted: Bool) -> RunStatus {
        if aborted { return .aborted }
        if reachedCostLimit { return .stoppedMaxCost }
        return counts.failed > 0 ? .finishedWithFailures : .finished
    }

    /// What the user should know at the end: the answering model or the system fingerprint
    /// changed since `previous` (the last run of this prompt and model), the spend limit stopped
    /// the run.
    public func warnings(previous: (modelVersion: String?, systemFingerprint: String?)?) -> [String] {
        var warnings: [String] = []
        if let old = previous?.modelVersion, !modelVersions.isEmpty, !modelVersions.contains(old) {
            warnings.append(
                "the model answering \(model) changed: \(old) before, \(modelVersions.sorted().joined(separator: ", ")) now. Weekly figures across this change are not comparable."
            )
        }
        if let old = previous?.systemFingerprint, !fingerprints.isEmpty, !fingerprints.contains(old) {
            warnings.append("the system fingerprint changed: \(old) before, \(fingerprints.sorted().joined(separator: ", ")) now (the provider changed its backend).")
        }
        warnings += spread.warnings(taxonomy: taxonomy)
        if reachedCostLimit, let limit = maxCostUSD {
            warnings.append(String(format: "stopped: the spend reached --max-cost $%.4f; run again with a higher limit to finish.", limit))
        }
        return warnings
    }
}
