/// Saves a run's results as they arrive, in small transactions: one when `batchSize` results
/// wait or more than a quarter of a second has passed since the last write, so a killed run
/// loses at most the calls in flight and a slow trickle of answers is still saved promptly.
struct ResultRecorder {
    let store: TaggingStore
    let runID: Int64
    let key: TagKey
    let template: PromptTemplate
    /// Results per transaction at most.
    let batchSize: Int
    let clock: any Clock
    /// Seconds after the last write at which a waiting result is written anyway.
    let maxAge = 0.25
    private var buffer: [TagResult] = []
    private var lastWrite: Double

    init(store: TaggingStore, runID: Int64, key: TagKey, template: PromptTemplate, batchSize: Int, clock: any Clock) {
        self.store = store
        self.runID = runID
        self.key = key
        self.template = template
        self.batchSize = max(1, batchSize)
        self.clock = clock
        lastWrite = clock.monotonicSeconds()
        buffer.reserveCapacity(self.batchSize)
    }

    /// Adds a result; true when this wrote the waiting results to the store.
    mutating func add(_ result: TagResult) async throws -> Bool {
        buffer.append(result)
        guard buffer.count >= batchSize || clock.monotonicSeconds() - lastWrite > maxAge else { return false }
        return try await flush()
    }

    /// Writes the waiting results in one transaction; true when there were any.
    mutating func flush() async throws -> Bool {
        guard !buffer.isEmpty else { return false }
        try await store.record(buffer, runID: runID, key: key, template: template)
        buffer.removeAll(keepingCapacity: true)
        lastWrite = clock.monotonicSeconds()
        return true
    }
}
