import ChatTagCore
import Foundation

/// ``OpenLinesGateway`` on Bitrix24: sessions are the CRM activities of provider
/// `IMOPENLINES_SESSION` (`crm.activity.list`; the session id is `ASSOCIATED_ENTITY_ID`, the
/// binding `OWNER_TYPE_ID`/`OWNER_ID`), and each session's messages come from
/// `imopenlines.session.history.get`, 50 sessions to a `batch` call.
extension Bitrix24Gateway: OpenLinesGateway {
    public func openLineSessions(since: Int64?) async throws -> [OpenLineSession] {
        var filter: [String: BitrixJSON] = ["PROVIDER_ID": .string("IMOPENLINES_SESSION")]
        if let since { filter[">=START_TIME"] = .string(ChatTime(unixMillis: since, offsetSeconds: 0).iso8601) }
        let select: [BitrixJSON] = ["ID", "OWNER_TYPE_ID", "OWNER_ID", "ASSOCIATED_ENTITY_ID", "START_TIME"].map { .string($0) }
        let rows = try await list("crm.activity.list", ["filter": .object(filter), "select": .array(select), "order": .object(["ID": .string("ASC")])])
        var seen: Set<Int> = []
        return rows.compactMap { row -> OpenLineSession? in
            guard let id = row["ASSOCIATED_ENTITY_ID"]?.int, seen.insert(id).inserted else { return nil }
            let kind: CRMOwner.Kind? = [1: .lead, 2: .deal, 3: .contact][row["OWNER_TYPE_ID"]?.int ?? 0]
            let binding = kind.flatMap { kind in row["OWNER_ID"]?.int.map { CRMOwner(kind: kind, id: $0) } }
            return OpenLineSession(id: id, startedAtUnixMillis: Self.unixMillis(row["START_TIME"]?.string), binding: binding)
        }
    }

    public func sessionHistories(_ sessionIDs: [Int]) async throws -> [Int: OpenLineHistory] {
        var histories: [Int: OpenLineHistory] = [:]
        for start in stride(from: 0, to: sessionIDs.count, by: BitrixPaging.batchLimit) {
            let chunk = sessionIDs[start..<min(start + BitrixPaging.batchLimit, sessionIDs.count)]
            var commands: [String: BitrixJSON] = [:]
            for id in chunk { commands["s\(id)"] = .string("imopenlines.session.history.get?SESSION_ID=\(id)") }
            let batch = try await client.call("batch", ["halt": .number(0), "cmd": .object(commands)])
            guard let results = batch["result"]?["result"] else { throw CRMError.badReply(method: "batch", detail: "no result.result") }
            for id in chunk {
                guard let result = results["s\(id)"] else { continue }
                histories[id] = Self.history(result)
            }
        }
        return histories
    }

    /// `result.message` (messages by id: `id`, `senderid`, `date`, `text`) and `result.users`
    /// (participants by id: `name`, `bot`, `connector` — the external client).
    static func history(_ result: BitrixJSON) -> OpenLineHistory {
        let messages = (result["message"]?.array ?? []).compactMap { item -> OpenLineMessage? in
            guard let id = item["id"]?.int, let date = item["date"]?.string else { return nil }
            return OpenLineMessage(
                id: id, senderID: item["senderid"]?.int ?? 0, at: ChatTime(unixMillis: unixMillis(date), offsetSeconds: offsetSeconds(date)),
                text: item["text"]?.string ?? "")
        }
        var users: [Int: OpenLineUser] = [:]
        for item in result["users"]?.array ?? [] {
            guard let id = item["id"]?.int else { continue }
            users[id] = OpenLineUser(id: id, name: item["name"]?.string ?? "user \(id)", isBot: item["bot"]?.truthy ?? false, isClient: item["connector"]?.truthy ?? false)
        }
        return OpenLineHistory(messages: messages, users: users)
    }

    /// The offset of an ISO-8601 time (`+03:00`), seconds.
    static func offsetSeconds(_ text: String) -> Int32 {
        guard !text.hasSuffix("Z") else { return 0 }
        let tail = text.suffix(6)
        guard tail.count == 6, let sign = tail.first, sign == "+" || sign == "-", let hours = Int32(tail.dropFirst().prefix(2)), let minutes = Int32(tail.suffix(2))
        else { return 0 }
        return (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
    }
}

extension BitrixJSON {
    /// `true`, `"Y"`, `1`, `"true"` (Bitrix24 writes flags all these ways).
    var truthy: Bool {
        switch self {
        case let .bool(value): return value
        case let .number(value): return value != 0
        case let .string(text): return ["y", "true", "1"].contains(text.lowercased())
        default: return false
        }
    }
}
