import ChatTagCore
import Foundation

/// The OpenAI Batch API file formats (also what `vllm run-batch` reads and writes): one
/// request per line to prepare, one result per line to ingest.
public struct OpenAIBatchFormat: BatchFileFormat {
    public init() {}

    public func requestLine(customID: String, request: ChatRequest) -> String { BatchFiles.requestLine(customID: customID, request: request) }

    public func parseResult(_ line: String) -> BatchResult? { BatchFiles.parseResult(line) }
}

/// The encoding behind ``OpenAIBatchFormat``.
public enum BatchFiles {

    /// One request line: `{"custom_id","method":"POST","url":"/v1/chat/completions","body":{…}}`.
    public static func requestLine(customID: String, request: ChatRequest) -> String {
        var out = JSONOut()
        out.raw("{\"custom_id\":")
        out.string(customID)
        out.raw(",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":")
        out.bytes += RequestBody.encode(request)
        out.raw("}")
        return String(decoding: out.bytes, as: UTF8.self)
    }

    public typealias ResultLine = BatchResult

    /// Reads an output line: `{"custom_id", "response": {"status_code", "body"}, "error"}`.
    public static func parseResult(_ line: String) -> ResultLine? {
        guard let object = JSONValue.parse(Array(line.utf8)), let customID = object["custom_id"]?.string else { return nil }
        var result = ResultLine(customID: customID, reply: nil, status: nil, error: nil)
        if let error = object["error"], error != .null {
            result.error = error["message"]?.string ?? error["code"]?.string ?? "\(error)"
            return result
        }
        guard let response = object["response"], response != .null else {
            result.error = "the line has neither a response nor an error"
            return result
        }
        result.status = response["status_code"]?.int64.map { Int($0) }
        guard let body = response["body"] else {
            result.error = "the response has no body"
            return result
        }
        guard result.status == 200 else {
            result.error = "HTTP \(result.status ?? 0): " + (body["error"]?["message"]?.string ?? "\(body)").prefix(300)
            return result
        }
        guard let message = body["choices"]?.array?.first?["message"] else {
            result.error = "the body is not a chat completion"
            return result
        }
        let usage = body["usage"]
        result.reply = ChatReply(
            content: message["content"]?.string ?? "", modelVersion: body["model"]?.string, systemFingerprint: body["system_fingerprint"]?.string,
            tokensIn: usage?["prompt_tokens"]?.int64.map { Int($0) }, tokensOut: usage?["completion_tokens"]?.int64.map { Int($0) })
        return result
    }
}
