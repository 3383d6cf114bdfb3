/// One line of a provider's batch output file, read by a ``BatchFileFormat``.
public struct BatchResult: Sendable, Equatable {
    public var customID: String
    /// The completion's reply when the line holds a 200 response with a chat completion.
    public var reply: ChatReply?
    /// The HTTP status of the response, when there is one.
    public var status: Int?
    /// Why the line is not a reply: an error object, a non-200 body, or a body that is not a completion.
    public var error: String?

    public init(customID: String, reply: ChatReply?, status: Int?, error: String?) {
        self.customID = customID
        self.reply = reply
        self.status = status
        self.error = error
    }
}

/// The wire format of batch files (the OpenAI Batch API's, which `vllm run-batch` reads
/// too). Implemented in ChatTagHTTP, beside the request encoding it shares with live calls.
public protocol BatchFileFormat: Sendable {
    /// One request line for `request`, carrying `customID`.
    func requestLine(customID: String, request: ChatRequest) -> String
    /// One output line, or nil when the line is not a batch result.
    func parseResult(_ line: String) -> BatchResult?
}

/// The `custom_id` of a dialogue in a prepared batch: the run that prepared it and the
/// dialogue, so ingest knows the prompt, model and parameters without flags.
public enum BatchCustomID {
    public static func make(runID: Int64, dialogueID: String) -> String { "r\(runID):\(dialogueID)" }

    public static func parse(_ text: String) -> (runID: Int64, dialogueID: String)? {
        guard text.hasPrefix("r"), let colon = text.firstIndex(of: ":"), let run = Int64(text[text.index(after: text.startIndex)..<colon]) else { return nil }
        return (run, String(text[text.index(after: colon)...]))
    }
}

/// What batch ingest needs from the database besides a run's: which run a result belongs
/// to, and the stored content of its dialogue.
public protocol BatchStore: TaggingStore {
    /// The prompt hash, model and parameters hash a run was made with.
    func runKey(_ runID: Int64) async throws -> (key: TagKey, promptName: String, promptVersion: String)?
    /// The content hash of a stored dialogue, or nil when it is not in the database.
    func contentHash(of dialogueID: String) async throws -> String?
}
