/// `batch ingest --json`: the keys listed in docs/json.md under `batch-ingest`.
public struct BatchIngestOutput: Encodable, Sendable, Equatable {
    public var tagged: Int
    public var failed: Int
    /// Result lines whose dialogue is not in the database (not in the JSON).
    public var skippedDialogues: [String] = []

    enum CodingKeys: String, CodingKey { case tagged, failed }
}

/// `batch ingest`: the results of a provider's batch output file stored as tags and
/// `llm_calls` of the runs that prepared them. Every run the file names is checked before
/// anything is written, so a foreign or changed file changes nothing.
public struct BatchIngest {
    let store: BatchStore
    let format: BatchFileFormat
    let library: PromptLibrary
    let clock: Clock

    public init(store: BatchStore, format: BatchFileFormat, library: PromptLibrary, clock: Clock = SystemClock()) {
        self.store = store
        self.format = format
        self.library = library
        self.clock = clock
    }

    public func ingest(text: String, file: String, database: String) async throws -> BatchIngestOutput {
        var byRun: [Int64: [(result: BatchResult, dialogueID: String)]] = [:]
        let redactor = SecretRedactor(apiKey: nil)
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
            guard var result = format.parseResult(String(line)), let id = BatchCustomID.parse(result.customID) else {
                throw UseCaseError.notBatchOutput(file: file, line: offset + 1)
            }
            // A provider's words are stored only once what looks like a key is out of them.
            result.error = result.error.map(redactor.redact)
            if let reply = result.reply { result.reply = ChatOutcome.reply(reply, hints: RateLimitHints()).redacted(by: redactor).reply }
            byRun[id.runID, default: []].append((result, id.dialogueID))
        }
        var runs: [Int64: (key: TagKey, template: PromptTemplate)] = [:]
        for runID in byRun.keys.sorted() {
            guard let (key, name, version) = try await store.runKey(runID) else {
                throw UseCaseError.unknownRun(file: file, runID: runID, database: database)
            }
            let template = try library.template("\(name)@\(version)")
            guard template.hash == key.promptHash else {
                throw PromptError.preparedDifferently(id: template.id, file: file, preparedHash: key.promptHash, currentHash: template.hash)
            }
            runs[runID] = (key, template)
        }
        var output = BatchIngestOutput(tagged: 0, failed: 0)
        for (runID, lines) in byRun.sorted(by: { $0.key < $1.key }) {
            guard let (key, template) = runs[runID] else { continue }
            let parser = TagParser(taxonomy: template.taxonomy)
            var results: [TagResult] = []
            var summary = RunSummary()
            for (line, dialogueID) in lines {
                guard let contentHash = try await store.contentHash(of: dialogueID) else {
                    output.skippedDialogues.append(dialogueID)
                    continue
                }
                let result = Self.tagResult(line, dialogueID: dialogueID, contentHash: contentHash, parser: parser, at: clock.nowUnixMillis())
                if result.isOK { summary.tagged += 1 } else { summary.failed += 1 }
                summary.calls += 1
                summary.tokensIn += result.tokensIn
                summary.tokensOut += result.tokensOut
                results.append(result)
            }
            for chunk in stride(from: 0, to: results.count, by: 200) {
                try await store.record(Array(results[chunk..<min(results.count, chunk + 200)]), runID: runID, key: key, template: template)
            }
            summary.modelVersions = Array(Set(results.compactMap(\.modelVersion))).sorted()
            try await store.finishRun(runID, summary: summary, status: summary.failed > 0 ? .batchIngestedWithFailures : .batchIngested)
            output.tagged += summary.tagged
            output.failed += summary.failed
        }
        return output
    }

    /// One result line as a tag and its one call: the reply parsed against the taxonomy, or
    /// the line's error.
    static func tagResult(_ line: BatchResult, dialogueID: String, contentHash: String, parser: TagParser, at unixMillis: Int64) -> TagResult {
        var result = TagResult(
            dialogueID: dialogueID, contentHash: contentHash, values: nil, error: line.error, modelVersion: line.reply?.modelVersion,
            systemFingerprint: line.reply?.systemFingerprint, tokensIn: line.reply?.tokensIn ?? 0, tokensOut: line.reply?.tokensOut ?? 0,
            latencyMs: 0, truncated: false, calls: [])
        var call = CallRecord(
            attempt: 1, correlationID: line.customID, startedAt: ChatTime(unixMillis: unixMillis, offsetSeconds: 0), httpStatus: line.status,
            outcome: .ok, latencyMs: 0, tokensIn: line.reply?.tokensIn, tokensOut: line.reply?.tokensOut, modelVersion: line.reply?.modelVersion,
            systemFingerprint: line.reply?.systemFingerprint, rawReply: line.reply?.content, error: line.error)
        if let reply = line.reply {
            switch parser.parse(reply.content) {
            case let .success(values): result.values = values
            case let .failure(rejection):
                result.error = "invalid reply: \(rejection.reason)"
                call.outcome = .invalidReply
                call.error = rejection.reason
            }
        } else {
            call.outcome = .httpError
        }
        result.calls = [call]
        return result
    }
}
