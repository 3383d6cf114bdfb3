import ChatTagCore
import Foundation

/// The SQLite store of chattag: opens (and migrates) the database file and answers the
/// pipeline's ports — dialogues, labels, reports, retention. It holds no policy: which
/// instrument a week uses, how a validation report is assembled, is decided in ChatTagCore.
///
/// ```swift
/// let store = try ChatTagStore(path: "chattag.db")
/// let (report, totals) = try store.importFile(name: "chat.txt", zone: nil) { write in
///     try importer.importFile("chat.txt", emit: write)
/// }
/// ```
public final class ChatTagStore: DialogueStore, LabelStore, ReportStore, InstrumentStore, RetentionStore, CRMStore {
    public let database: Database
    public let dialogues: DialogueTable
    let labels: LabelTable
    let reports: ReportTable
    let retention: Retention
    let crmTable: CRMTable

    /// Opens the database at `path`, creating it when it does not exist.
    public init(path: String) throws {
        database = try Database(path: path)
        try Schema.migrate(database)
        dialogues = DialogueTable(database: database)
        labels = LabelTable(database: database)
        reports = ReportTable(database: database)
        retention = Retention(database: database)
        crmTable = CRMTable(database: database)
    }

    /// Opens an existing database for a command that only reads: a missing file is an
    /// error saying what to run first, never a new empty database.
    public static func existing(path: String, demoDatabase: String = "chattag-demo.db") throws -> ChatTagStore {
        guard FileManager.default.fileExists(atPath: path) else {
            let demo = path != demoDatabase && FileManager.default.fileExists(atPath: demoDatabase) ? demoDatabase : nil
            throw UseCaseError.noDatabase(path: path, demoDatabase: demo)
        }
        return try ChatTagStore(path: path)
    }

    public func importFile(name: String, zone: ZoneResolver? = nil, body: (_ write: (Dialogue) throws -> Void) throws -> FileImportReport) throws -> (
        FileImportReport, ImportTotals
    ) {
        let now = Self.timestamp()
        let calendar = zone.map(WeekCalendar.init(zone:))
        return try database.transaction {
            try database.statement("INSERT INTO imports (file_name, fingerprint, format, started_at) VALUES (?, '', '', ?)").run([.text(name), .text(now)])
            let importID = database.lastInsertID
            var totals = ImportTotals()
            let report = try body { dialogue in
                let written = try dialogues.write(dialogue, importID: importID, now: now, calendar: calendar)
                switch written {
                case .inserted: totals.inserted += 1
                case .updated: totals.updated += 1
                case .unchanged: totals.unchanged += 1
                }
                try crmTable.writePhoneKeys(of: dialogue, replacing: written == .updated)
                totals.messages += dialogue.messages.count
            }
            try database.statement(
                """
                UPDATE imports SET fingerprint = ?, format = ?, finished_at = ?, dialogues_new = ?, dialogues_updated = ?,
                dialogues_unchanged = ?, messages = ? WHERE id = ?
                """
            ).run([
                .text(report.fingerprint), .text(report.format.rawValue), .text(Self.timestamp()), .integer(Int64(totals.inserted)),
                .integer(Int64(totals.updated)), .integer(Int64(totals.unchanged)), .integer(Int64(totals.messages)), .integer(importID),
            ])
            return (report, totals)
        }
    }

    public func applyOutcomes(_ body: (_ apply: ([OutcomeRow]) throws -> Void) throws -> Void) throws -> OutcomeTotals {
        try database.transaction {
            var totals = OutcomeTotals()
            try body { rows in try dialogues.apply(rows, to: &totals) }
            return totals
        }
    }

    public func dialogue(id: String) throws -> Dialogue? { try dialogues.dialogue(id: id) }

    public func supersede(source: String, within span: ClosedRange<Int64>, keeping: String) throws -> Int {
        let condition = "source = ? AND id <> ? AND started_at_unix_ms BETWEEN ? AND ?"
        let values: [SQLValue] = [.text(source), .text(keeping), .integer(span.lowerBound), .integer(span.upperBound)]
        let count = Int(try database.rows("SELECT COUNT(*) AS n FROM dialogues WHERE \(condition)", values).first?["n"]?.integer ?? 0)
        if count > 0 { try database.statement("DELETE FROM dialogues WHERE \(condition)").run(values) }
        return count
    }

    public func dialogueIDs(includingPruned: Bool) throws -> [String] {
        try database.rows("SELECT id FROM dialogues\(includingPruned ? "" : " WHERE pruned_at IS NULL") ORDER BY id").compactMap { $0["id"]?.text }
    }

    public func busiestWeek() throws -> ReportWeek? { try reports.busiestWeek() }

    public func write(_ labels: [HandLabel], source: String) throws { try self.labels.write(labels, source: source) }

    public func labelVotes(field: String, promptHash: String, model: String) throws -> [LabelVote] {
        try labels.votes(field: field, promptHash: promptHash, model: model)
    }

    public func tagUsage(promptHash: String, model: String) throws -> TagUsageTotals { try labels.usage(promptHash: promptHash, model: model) }

    public func annotatorsWithMostOverlap() throws -> (first: String, second: String)? { try labels.annotatorsWithMostOverlap() }

    public func pairedLabels(field: String, first: String, second: String) throws -> [(first: String?, second: String?)] {
        try labels.pairedLabels(field: field, first: first, second: second)
    }

    public func firstClientText(of dialogueID: String) throws -> String { try labels.firstClientText(of: dialogueID) }
    public func labeledDialogueIDs(fields: [String]) throws -> Set<String> { try labels.labeledDialogueIDs(fields: fields) }
    public func tagReadings(promptHash: String, model: String) throws -> [String: TagReading] {
        try labels.readings(promptHash: promptHash, model: model)
    }
    public func tagConfidences(field: String, promptHash: String, model: String) throws -> [String: Double] {
        try labels.confidences(field: field, promptHash: promptHash, model: model)
    }

    public func latestInstrument() throws -> Instrument? { try reports.latestInstrument() }

    public func latestInstrument(promptName: String?, promptVersion: String?, model: String?) throws -> Instrument? {
        try reports.latestInstrument(promptName: promptName, promptVersion: promptVersion, model: model)
    }

    public func taggedInstruments() throws -> [InstrumentCount] { try reports.taggedInstruments() }

    public func declare(_ declaration: DeclaredInstrument) throws { try reports.declare(declaration) }

    public func declarations() throws -> [DeclaredInstrument] { try reports.declarations() }

    public func weekDialogues(in range: Range<Int64>, instrument: Instrument?) throws -> [ReportDialogue] {
        try reports.weekDialogues(in: range, instrument: instrument)
    }

    public func tags(promptHash: String, model: String) throws -> [StoredTag] { try reports.tags(promptHash: promptHash, model: model) }

    public func save(_ report: StoredReport) throws { try reports.save(report) }

    public func prunePlan(before cutoffUnixMillis: Int64) throws -> PruneTotals { try retention.plan(before: cutoffUnixMillis) }

    public func prune(before cutoffUnixMillis: Int64) throws -> PruneTotals { try retention.prune(before: cutoffUnixMillis) }

    public func crmDialogues() throws -> [CRMDialogue] { try crmTable.dialogues() }

    public func saveLinks(_ links: [CRMLink], crm: String, outcomes: [OutcomeRow]) throws -> OutcomeTotals {
        try database.transaction {
            try crmTable.replaceLinks(links, crm: crm, now: Self.timestamp())
            var totals = OutcomeTotals()
            try dialogues.apply(outcomes, to: &totals)
            return totals
        }
    }

    public func addLinks(_ links: [CRMLink]) throws {
        try database.transaction { try crmTable.addLinks(links, now: Self.timestamp()) }
    }

    public func link(dialogueID: String, crm: String) throws -> CRMLink? { try crmTable.link(dialogueID: dialogueID, crm: crm) }

    public func push(dialogueID: String, promptHash: String, model: String, crm: String) throws -> CRMPushRecord? {
        try crmTable.push(dialogueID: dialogueID, promptHash: promptHash, model: model, crm: crm)
    }

    public func savePush(_ record: CRMPushRecord) throws { try crmTable.savePush(record, now: Self.timestamp()) }

    public func record(_ event: CRMEvent) throws { try crmTable.record(event, now: Self.timestamp()) }

    public func fileBytes() -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: database.path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The current UTC time as ISO-8601.
    public static func timestamp() -> String {
        SystemClock().timestamp()
    }
}
