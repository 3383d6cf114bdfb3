/// One missed lead's push, as `crm … push` reports it (keys in docs/json.md).
public struct CRMPushItem: Encodable, Sendable, Equatable {
    public var dialogueID: String
    public var correlationID: String
    /// `todo` (on a deal or contact) or `lead`.
    public var entity: String
    /// The deal or contact the to-do goes on; nil for a new lead.
    public var owner: String?
    public var entityID: Int?
    /// `created`, `found` (an earlier push had created it), `already` (pushed before),
    /// `planned` (dry run) or `failed`.
    public var status: String
    public var error: String?
    public var title: String

    enum CodingKeys: String, CodingKey {
        case dialogueID = "dialogue_id"
        case correlationID = "correlation_id"
        case entity, owner
        case entityID = "entity_id"
        case status, error, title
    }
}

/// `crm … push --json`.
public struct CRMPushSummary: Encodable, Sendable, Equatable {
    public var week: String
    public var dryRun: Bool
    public var items: [CRMPushItem]

    enum CodingKeys: String, CodingKey {
        case week
        case dryRun = "dry_run"
        case items, created, failed
    }

    public var created: Int { items.filter { $0.status == "created" || $0.status == "found" }.count }
    public var failed: Int { items.filter { $0.status == "failed" }.count }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(week, forKey: .week)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(items, forKey: .items)
        try container.encode(created, forKey: .created)
        try container.encode(failed, forKey: .failed)
    }

    /// Lines for people.
    public var summary: String {
        func count(_ status: String) -> Int { items.filter { $0.status == status }.count }
        var lines = items.map { item in
            let target = item.owner.map { "a to-do on \($0)" } ?? "a new lead"
            let id = item.entityID.map { " #\($0)" } ?? ""
            let what: String
            switch item.status {
            case "created": what = "created \(target)\(id)"
            case "found": what = "found \(target)\(id), made by an interrupted push"
            case "already": what = "already in the CRM as \(target)\(id)"
            case "planned": what = "would create \(target)"
            default: what = "failed to create \(target): \(item.error ?? "")"
            }
            return "\(item.dialogueID): \(what) [\(item.correlationID)]"
        }
        let totals =
            dryRun
            ? "\(items.count) missed leads, \(count("planned")) to create, \(count("already")) already in the CRM"
            : "\(items.count) missed leads: \(count("created")) created, \(count("found")) found from an interrupted push, \(count("already")) already in the CRM, \(failed) failed"
        lines.append("\(week): " + totals)
        return lines.joined(separator: "\n")
    }
}
