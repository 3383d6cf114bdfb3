/// `batch prepare`: one request line per dialogue not yet tagged with this prompt, model and
/// parameters, under a run of its own whose id the lines carry (so ingest needs no flags).
public struct BatchPreparation {
    /// What was written.
    public struct Prepared: Sendable, Equatable {
        public var runID: Int64
        public var requests: Int
    }

    let store: TaggingStore
    let format: BatchFileFormat

    public init(store: TaggingStore, format: BatchFileFormat) {
        self.store = store
        self.format = format
    }

    /// Writes the requests through `write` (one line each, newline included) and records
    /// the run as `batch_prepared`.
    public func prepare(template: PromptTemplate, model: String, options: TaggingOptions, destination: String, write: (String) throws -> Void) async throws
        -> Prepared
    {
        try await store.register(template)
        let key = options.key(template: template, model: model)
        let runID = try await store.beginRun(options.runStart(template: template, model: model, endpoint: "batch:\(destination)"))
        let filled = template.filled()
        let renderer = DialogueRenderer(tokenBudget: options.tokenBudget)
        var after: String?
        var written = 0
        let cap = options.filter.limit ?? Int.max
        while written < cap {
            let page = try await store.pendingDialogues(key, filter: options.filter, afterID: after, limit: 256)
            if page.isEmpty { break }
            after = page.last?.id
            for dialogue in page where written < cap {
                let messages = filled.messages(dialogue: renderer.render(dialogue).text)
                var turns = [ChatRequest.Turn(role: "system", content: messages.system), ChatRequest.Turn(role: "user", content: messages.user)]
                if messages.system.isEmpty { turns.removeFirst() }
                let request = ChatRequest(
                    model: model, messages: turns, temperature: template.temperature, maxTokens: template.maxTokens, seed: template.seed,
                    responseMode: .jsonSchema, taxonomy: template.taxonomy, correlationID: "")
                try write(format.requestLine(customID: BatchCustomID.make(runID: runID, dialogueID: dialogue.id), request: request) + "\n")
                written += 1
            }
        }
        try await store.finishRun(runID, summary: RunSummary(), status: .batchPrepared)
        return Prepared(runID: runID, requests: written)
    }
}
