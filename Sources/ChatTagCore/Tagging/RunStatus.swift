/// How a run ended (or that it has not yet), as stored in `runs.status`.
public enum RunStatus: String, Sendable, CaseIterable {
    /// Started and not finished: in progress, or killed.
    case running
    /// Every selected dialogue was tagged.
    case finished
    /// Ran to the end, with some dialogues recorded as failed.
    case finishedWithFailures = "finished_with_failures"
    /// Stopped early: the endpoint refused the run or could not be reached, or an error ended it.
    case aborted
    /// Stopped early because the spend reached `--max-cost`.
    case stoppedMaxCost = "stopped_max_cost"
    /// A batch file was written for the provider's batch API; no results yet.
    case batchPrepared = "batch_prepared"
    /// A batch's results were read back, all of them tags.
    case batchIngested = "batch_ingested"
    /// A batch's results were read back, some of them failures.
    case batchIngestedWithFailures = "batch_ingested_with_failures"
}
