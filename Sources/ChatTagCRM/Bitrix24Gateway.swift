import ChatTagCore
import Foundation

/// ``CRMGateway`` on Bitrix24's REST API, with the methods named in docs/crm.md:
/// `crm.contact.list` and `crm.deal.list` (first page with `start=0` for the total, the rest
/// through `batch`, 50 pages a call), `crm.activity.list` and `crm.activity.todo.add`,
/// `crm.lead.list` and `crm.lead.add`.
public struct Bitrix24Gateway: CRMGateway {
    let client: Bitrix24Client

    public init(client: Bitrix24Client) {
        self.client = client
    }

    public func contacts() async throws -> [CRMContact] {
        let rows = try await list(
            "crm.contact.list", ["select": .array([.string("ID"), .string("PHONE"), .string("ASSIGNED_BY_ID")]), "order": .object(["ID": .string("ASC")])])
        return rows.compactMap { row in
            guard let id = row["ID"]?.int else { return nil }
            let phones = (row["PHONE"]?.array ?? []).compactMap { $0["VALUE"]?.string }
            return CRMContact(id: id, phones: phones, responsibleID: row["ASSIGNED_BY_ID"]?.int)
        }
    }

    public func deals() async throws -> [CRMDeal] {
        let select: [BitrixJSON] = ["ID", "CONTACT_ID", "STAGE_SEMANTIC_ID", "DATE_CREATE", "ASSIGNED_BY_ID"].map { .string($0) }
        let rows = try await list("crm.deal.list", ["select": .array(select), "order": .object(["ID": .string("ASC")])])
        return rows.compactMap { row in
            guard let id = row["ID"]?.int else { return nil }
            return CRMDeal(
                id: id, contactID: row["CONTACT_ID"]?.int, stageSemantic: row["STAGE_SEMANTIC_ID"]?.string ?? "P",
                createdAtUnixMillis: Self.unixMillis(row["DATE_CREATE"]?.string), responsibleID: row["ASSIGNED_BY_ID"]?.int)
        }
    }

    public func findTodo(on owner: CRMOwner, marker: String) async throws -> Int? {
        let rows = try await list(
            "crm.activity.list",
            [
                "filter": .object(["OWNER_TYPE_ID": .number(Double(owner.kind.typeID)), "OWNER_ID": .number(Double(owner.id)), "PROVIDER_ID": .string("CRM_TODO")]),
                "select": .array([.string("ID"), .string("SUBJECT")]), "order": .object(["ID": .string("ASC")]),
            ])
        return rows.first { ($0["SUBJECT"]?.string ?? "").contains(marker) }?["ID"]?.int
    }

    public func addTodo(_ todo: CRMTodo) async throws -> Int {
        var params: [String: BitrixJSON] = [
            "ownerTypeId": .number(Double(todo.owner.kind.typeID)), "ownerId": .number(Double(todo.owner.id)), "deadline": .string(todo.deadline),
            "title": .string(todo.title), "description": .string(todo.description),
        ]
        if let responsible = todo.responsibleID { params["responsibleId"] = .number(Double(responsible)) }
        let reply = try await client.call("crm.activity.todo.add", params)
        guard let id = reply["result"]?["id"]?.int else { throw CRMError.badReply(method: "crm.activity.todo.add", detail: "no result.id") }
        return id
    }

    public func findLead(correlationID: String) async throws -> Int? {
        let reply = try await client.call(
            "crm.lead.list",
            [
                "filter": .object(["ORIGINATOR_ID": .string("chattag"), "ORIGIN_ID": .string(correlationID)]), "select": .array([.string("ID")]),
                "start": .number(-1),
            ])
        return reply["result"]?.array?.first?["ID"]?.int
    }

    public func addLead(_ lead: CRMLeadDraft) async throws -> Int {
        let reply = try await client.call(
            "crm.lead.add",
            [
                "fields": .object([
                    "TITLE": .string(lead.title), "COMMENTS": .string(lead.comments), "SOURCE_ID": .string("OTHER"), "ORIGINATOR_ID": .string("chattag"),
                    "ORIGIN_ID": .string(lead.correlationID),
                ])
            ])
        guard let id = reply["result"]?.int else { throw CRMError.badReply(method: "crm.lead.add", detail: "no result id") }
        return id
    }

    /// Every row of a list method: the first page (`start=0`) says `total`; the other pages are
    /// fetched with `batch`, up to 50 `start` offsets a call (``BitrixPaging``).
    func list(_ method: String, _ params: [String: BitrixJSON]) async throws -> [BitrixJSON] {
        var first = params
        first["start"] = .number(0)
        let reply = try await client.call(method, first)
        guard var rows = reply["result"]?.array else { throw CRMError.badReply(method: method, detail: "result is not a list") }
        guard reply["next"]?.int != nil, let total = reply["total"]?.int else { return rows }
        for starts in BitrixPaging.remainingStarts(total: total) {
            var commands: [String: BitrixJSON] = [:]
            for start in starts {
                var page = params
                page["start"] = .number(Double(start))
                commands["p\(start)"] = .string(method + "?" + BitrixJSON.object(page).query().joined(separator: "&"))
            }
            let batch = try await client.call("batch", ["halt": .number(1), "cmd": .object(commands)])
            guard let results = batch["result"]?["result"] else { throw CRMError.badReply(method: "batch", detail: "no result.result") }
            if let errors = batch["result"]?["result_error"], case let .object(failed) = errors, let (key, error) = failed.first {
                let code = error["error"]?.string ?? "error"
                let reply = CRMReply.classify(status: 200, error: code, description: error["error_description"]?.string)
                if case let .stop(stop) = client.policy.next(after: reply, attempt: Int.max, method: "\(method) (batch \(key))", webhook: client.webhook.masked) {
                    throw stop
                }
                throw CRMError.methodFailed(method: "\(method) (batch \(key))", code: code, description: error["error_description"]?.string ?? "")
            }
            for start in starts {
                guard let page = results["p\(start)"]?.array else { throw CRMError.badReply(method: "batch", detail: "no result for p\(start)") }
                rows += page
            }
        }
        return rows
    }

    /// Bitrix24 dates are ISO-8601 with an offset (`2026-11-16T10:00:00+03:00`).
    static func unixMillis(_ text: String?) -> Int64 {
        guard let text else { return 0 }
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { return 0 }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
