import Foundation
import MockHTTP
import Synchronization

/// The stand-in's portal: contacts, deals, leads, activities (Open Lines sessions among them)
/// and session histories in memory, the leaky bucket,
/// and the REST methods chattag calls, answered in Bitrix24's documented shapes (`result`,
/// `next`, `total`, `time`; `error` and `error_description` on failure).
final class Portal: Sendable {
    struct State {
        var contacts: [[String: Any]] = []
        var deals: [[String: Any]] = []
        var leads: [[String: Any]] = []
        var activities: [[String: Any]] = []
        var histories: [String: Any] = [:]
        var nextID = 1000
        var bucket = 0.0
        var bucketAt = monotonicNanoseconds()
        var requests = 0
        var rateLimited = 0
        var batches = 0
        var methods: [String: Int] = [:]
        var revoked = false
    }

    /// `@unchecked` because `State` holds Foundation values (`[String: Any]`), which cannot be
    /// checked; every access goes through `state`'s `Mutex`.
    struct Box: @unchecked Sendable { var state: State }

    let config: Config
    private let state: Mutex<Box>

    init(config: Config, data: [String: Any]) {
        self.config = config
        var state = State()
        state.contacts = data["contacts"] as? [[String: Any]] ?? []
        state.deals = data["deals"] as? [[String: Any]] ?? []
        state.leads = data["leads"] as? [[String: Any]] ?? []
        state.activities = data["activities"] as? [[String: Any]] ?? []
        state.histories = data["histories"] as? [String: Any] ?? [:]
        state.revoked = config.revoked
        self.state = Mutex(Box(state: state))
    }

    /// Answers one HTTP request.
    func respond(to request: Request) -> Response {
        if request.path == "/_state" { return Response(status: 200, body: json(snapshot())) }
        if request.path == "/_revoke" {
            state.withLock { $0.state.revoked = true }
            return Response(status: 200, body: json(["result": true]))
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count == 4, parts[0] == "rest" else {
            return error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
        }
        let (count, limited, revoked) = state.withLock { box -> (Int, Bool, Bool) in
            box.state.requests += 1
            let now = monotonicNanoseconds()
            box.state.bucket = max(0, box.state.bucket - config.drain * Double(now - box.state.bucketAt) / 1e9)
            box.state.bucketAt = now
            if box.state.bucket + 1 > Double(config.bucket) {
                box.state.rateLimited += 1
                return (box.state.requests, true, box.state.revoked)
            }
            box.state.bucket += 1
            return (box.state.requests, false, box.state.revoked)
        }
        if parts[1] != config.user || parts[2] != config.secret {
            return error(401, "INVALID_CREDENTIALS", "Invalid request credentials")
        }
        if revoked { return error(401, "expired_token", "The access token provided has expired.") }
        if config.overload { return error(503, "OVERLOAD_LIMIT", "REST API is blocked due to overload.") }
        if limited { return error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests") }
        if config.failEvery > 0 && count % config.failEvery == 0 { return error(500, "INTERNAL_SERVER_ERROR", "Internal server error") }
        var method = parts[3]
        if method.hasSuffix(".json") { method.removeLast(5) }
        let params = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
        let started = Date()
        let answer = call(method, params)
        if config.slowMs > 0 && (config.slowMethod == nil || config.slowMethod == method) { usleep(UInt32(config.slowMs) * 1000) }
        switch answer {
        case let .success(body):
            var body = body
            body["time"] = Self.time(since: started)
            return Response(status: 200, body: json(body))
        case let .failure(failure):
            return error(failure.status, failure.code, failure.text)
        }
    }

    struct Failure: Error {
        var status: Int
        var code: String
        var text: String
    }

    /// One method's reply body (without `time`), or its error.
    func call(_ method: String, _ params: [String: Any]) -> Result<[String: Any], Failure> {
        state.withLock { $0.state.methods[method, default: 0] += 1 }
        switch method {
        case "crm.contact.list": return .success(list(state.withLock { $0.state.contacts }, params, multiFields: ["PHONE", "EMAIL"]))
        case "crm.deal.list": return .success(list(state.withLock { $0.state.deals }, params))
        case "crm.lead.list": return .success(list(state.withLock { $0.state.leads }, params))
        case "crm.activity.list": return .success(list(state.withLock { $0.state.activities }, params))
        case "crm.activity.todo.add": return addTodo(params)
        case "crm.lead.add": return addLead(params)
        case "imopenlines.session.history.get": return history(params)
        case "batch": return batch(params)
        default: return .failure(Failure(status: 404, code: "ERROR_METHOD_NOT_FOUND", text: "Method not found!"))
        }
    }

    /// A list method: `filter` (equality, `>`/`<`/`>=`/`<=` prefixes), `order` by ID,
    /// `select`, and 50 rows from `start` with `total` and `next`; `start=-1` skips the count.
    func list(_ rows: [[String: Any]], _ params: [String: Any], multiFields: Set<String> = []) -> [String: Any] {
        let filter = params["filter"] as? [String: Any] ?? [:]
        var matching = rows.filter { row in filter.allSatisfy { key, value in Self.matches(row, key, value) } }
        let descending = ((params["order"] as? [String: Any])?["ID"] as? String)?.uppercased() == "DESC"
        matching.sort { (Self.int($0["ID"]) ?? 0) < (Self.int($1["ID"]) ?? 0) }
        if descending { matching.reverse() }
        let select = (params["select"] as? [Any] ?? (params["select"] as? [String: Any]).map { Array($0.values) } ?? []).compactMap { $0 as? String }
        let projected = matching.map { row -> [String: Any] in
            var out: [String: Any] = [:]
            for (key, value) in row where (select.isEmpty || select.contains("*") || select.contains(key) || key == "ID") {
                if multiFields.contains(key) && !select.contains(key) { continue }
                out[key] = value
            }
            return out
        }
        let start = Self.int(params["start"]) ?? 0
        if start < 0 { return ["result": Array(projected.prefix(50))] }
        let page = Array(projected.dropFirst(start).prefix(50))
        var body: [String: Any] = ["result": page, "total": projected.count]
        if start + 50 < projected.count { body["next"] = start + 50 }
        return body
    }

    static func matches(_ row: [String: Any], _ key: String, _ value: Any) -> Bool {
        var field = key
        var op = "="
        for prefix in [">=", "<=", ">", "<", "="] where field.hasPrefix(prefix) {
            op = prefix
            field.removeFirst(prefix.count)
            break
        }
        let have = row[field]
        if let left = int(have), let right = int(value) {
            switch op {
            case ">": return left > right
            case "<": return left < right
            case ">=": return left >= right
            case "<=": return left <= right
            default: return left == right
            }
        }
        let formatter = ISO8601DateFormatter()
        if let text = have as? String, let other = value as? String, let left = formatter.date(from: text), let right = formatter.date(from: other) {
            switch op {
            case ">": return left > right
            case "<": return left < right
            case ">=": return left >= right
            case "<=": return left <= right
            default: return left == right
            }
        }
        return "\(have ?? "")" == "\(value)"
    }

    static func int(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let number = value as? Double { return Int(number) }
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String { return Int(text) }
        return nil
    }

    func addTodo(_ params: [String: Any]) -> Result<[String: Any], Failure> {
        guard let ownerType = Self.int(params["ownerTypeId"]), let owner = Self.int(params["ownerId"]), params["deadline"] is String else {
            return .failure(Failure(status: 400, code: "ERROR_CORE", text: "Required parameters ownerTypeId, ownerId and deadline"))
        }
        let id = state.withLock { box -> Int in
            box.state.nextID += 1
            box.state.activities.append([
                "ID": String(box.state.nextID), "OWNER_TYPE_ID": String(ownerType), "OWNER_ID": String(owner), "PROVIDER_ID": "CRM_TODO",
                "SUBJECT": params["title"] as? String ?? "", "DESCRIPTION": params["description"] as? String ?? "",
                "RESPONSIBLE_ID": Self.int(params["responsibleId"]).map(String.init) ?? "1", "DEADLINE": params["deadline"] as? String ?? "",
            ])
            return box.state.nextID
        }
        return .success(["result": ["id": id]])
    }

    func addLead(_ params: [String: Any]) -> Result<[String: Any], Failure> {
        guard var fields = params["fields"] as? [String: Any], fields["TITLE"] is String else {
            return .failure(Failure(status: 400, code: "ERROR_CORE", text: "fields.TITLE is required"))
        }
        let id = state.withLock { box -> Int in
            box.state.nextID += 1
            fields["ID"] = String(box.state.nextID)
            fields["STATUS_ID"] = "NEW"
            box.state.leads.append(fields)
            return box.state.nextID
        }
        return .success(["result": id])
    }

    func history(_ params: [String: Any]) -> Result<[String: Any], Failure> {
        guard let session = Self.int(params["SESSION_ID"]), let history = state.withLock({ $0.state.histories[String(session)] }) else {
            return .failure(Failure(status: 400, code: "SESSION_ID_EMPTY", text: "Session ID can't be empty"))
        }
        return .success(["result": history])
    }

    /// `batch`: `cmd` holds `method?query` strings (PHP `http_build_query`), at most 50.
    func batch(_ params: [String: Any]) -> Result<[String: Any], Failure> {
        state.withLock { $0.state.batches += 1 }
        guard let commands = params["cmd"] as? [String: Any], commands.count <= 50 else {
            return .failure(Failure(status: 400, code: "ERROR_BATCH_LENGTH_EXCEEDED", text: "Max batch length exceeded"))
        }
        let halt = Self.int(params["halt"]) == 1
        var results: [String: Any] = [:], errors: [String: Any] = [:], totals: [String: Any] = [:], nexts: [String: Any] = [:]
        for key in commands.keys.sorted() {
            guard let text = commands[key] as? String else { continue }
            let pieces = text.split(separator: "?", maxSplits: 1).map(String.init)
            let method = pieces[0]
            if method == "batch" {
                errors[key] = ["error": "ERROR_BATCH_METHOD_NOT_ALLOWED", "error_description": "Method is not allowed for batch usage"]
                if halt { break } else { continue }
            }
            switch call(method, PHPQuery.parse(pieces.count > 1 ? pieces[1] : "")) {
            case let .success(body):
                results[key] = body["result"]
                if let total = body["total"] { totals[key] = total }
                if let next = body["next"] { nexts[key] = next }
            case let .failure(failure):
                errors[key] = ["error": failure.code, "error_description": failure.text]
                if halt { break }
            }
        }
        let empty: Any = [Any]()
        return .success([
            "result": [
                "result": results, "result_error": errors.isEmpty ? empty : errors, "result_total": totals.isEmpty ? empty : totals,
                "result_next": nexts.isEmpty ? empty : nexts, "result_time": empty,
            ]
        ])
    }

    func error(_ status: Int, _ code: String, _ description: String) -> Response {
        Response(status: status, body: json(["error": code, "error_description": description]))
    }

    func snapshot() -> [String: Any] {
        state.withLock { box in
            [
                "activities": box.state.activities, "leads": box.state.leads, "requests": box.state.requests, "rate_limited": box.state.rateLimited,
                "batches": box.state.batches, "methods": box.state.methods,
            ]
        }
    }

    static func time(since started: Date) -> [String: Any] {
        let finish = Date()
        let formatter = ISO8601DateFormatter()
        return [
            "start": started.timeIntervalSince1970, "finish": finish.timeIntervalSince1970, "duration": finish.timeIntervalSince(started),
            "processing": finish.timeIntervalSince(started), "date_start": formatter.string(from: started), "date_finish": formatter.string(from: finish),
            "operating": 0,
        ]
    }
}

/// Serializes with sorted keys, so answers are reproducible.
func json(_ object: Any) -> Data {
    (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])) ?? Data("null".utf8)
}
