import Foundation

/// The hand-labeling loop: a stratified sample written as a sheet people fill in, and
/// filled sheets (or JSONL) loaded back, checked against the taxonomy.
public struct Labeling {
    /// A sheet ready to write, and how it was drawn.
    public struct Sheet: Sendable, Equatable {
        /// CSV text: UTF-8 with a BOM so Excel opens it right, CRLF line ends.
        public var text: String
        public var dialogues: Int
        public var strata: Int
        /// Dialogues not offered because they are labeled already.
        public var alreadyLabeled: Int
        /// Fewer dialogues were left to draw than asked for.
        public var short: Bool
    }

    /// What loading labels did.
    public struct Loaded: Sendable, Equatable {
        public var labels: Int
        /// Labels whose dialogue is not imported yet (they count once it is).
        public var missingDialogues: Int
        /// Annotator agreement lines for people.
        public var agreement: [String]
    }

    let dialogues: DialogueStore
    let labels: LabelStore

    public init(dialogues: DialogueStore, labels: LabelStore) {
        self.dialogues = dialogues
        self.labels = labels
    }

    /// How a labeling sheet picks its dialogues.
    public enum Strategy: String, Sendable, CaseIterable {
        /// At random within strata of channel × week × the baseline's intent.
        case stratified
        /// The tags the model was least sure of (needs `run --logprobs`).
        case uncertain
        /// Where the model and the offline baseline answer differently, most fields first.
        case disagree
    }

    /// `n` dialogues to label, drawn by `strategy` among those nobody labeled yet for the
    /// template's fields. `uncertain` and `disagree` read the tags of `tagged` (a template and
    /// model); the same `seed` draws the same stratified sample. Pruned dialogues have no text
    /// left to label and are not drawn.
    public func sample(
        n: Int, seed: UInt64, zone: ZoneResolver, taxonomy: Taxonomy = .default, strategy: Strategy = .stratified,
        tagged: (template: PromptTemplate, model: String)? = nil
    ) throws -> Sheet {
        guard n > 0 else { throw UseCaseError.badOption("--n must be at least 1: it is how many dialogues the sheet offers (got \(n)).") }
        let labeled = try labels.labeledDialogueIDs(fields: taxonomy.measured.map(\.name))
        var candidates: [LabelingSample.Candidate] = []
        var byID: [String: Dialogue] = [:]
        for id in try dialogues.dialogueIDs(includingPruned: false) where !labeled.contains(id) {
            guard let dialogue = try dialogues.dialogue(id: id), let first = dialogue.startedAt else { continue }
            let intent = BaselineTagger.values(for: dialogue)["intent"] ?? "other"
            candidates.append(.init(dialogueID: id, stratum: "\(dialogue.channel)|\(ReportWeek(at: first.unixMillis, in: zone))|\(intent)"))
            byID[id] = dialogue
        }
        let chosen: [String]
        switch strategy {
        case .stratified:
            chosen = LabelingSample.select(candidates, n: n, seed: seed)
        case .uncertain, .disagree:
            guard let tagged else {
                throw UseCaseError.badOption("--strategy \(strategy.rawValue) reads a model's tags: name them with --prompt and --model.")
            }
            let readings = try labels.tagReadings(promptHash: tagged.template.hash, model: tagged.model)
            if strategy == .uncertain {
                let sure = candidates.compactMap { candidate in readings[candidate.dialogueID]?.lowestConfidence.map { (candidate.dialogueID, $0) } }
                guard !sure.isEmpty else {
                    throw UseCaseError.badOption(
                        "no tag of \(tagged.template.id) × \(tagged.model) has a confidence; tag with `chattag run --logprobs` first, or use --strategy stratified.")
                }
                chosen = sure.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(n).map(\.0)
            } else {
                let fields = tagged.template.taxonomy.measured.map(\.name)
                let differing = candidates.compactMap { candidate -> (String, Int)? in
                    guard let reading = readings[candidate.dialogueID], let dialogue = byID[candidate.dialogueID] else { return nil }
                    let baseline = tagged.template.taxonomy.isRubric ? BaselineTagger.rubricValues(for: dialogue) : BaselineTagger.values(for: dialogue)
                    let count = fields.filter { baseline[$0] != nil && reading.values[$0] != nil && baseline[$0] != reading.values[$0] }.count
                    return count > 0 ? (candidate.dialogueID, count) : nil
                }
                chosen = differing.sorted { ($1.1, $0.0) < ($0.1, $1.0) }.prefix(n).map(\.0)
            }
        }
        let strata = Dictionary(uniqueKeysWithValues: candidates.map { ($0.dialogueID, $0.stratum) })
        return Sheet(
            text: Self.sheetText(chosen, byID: byID, strata: strata, taxonomy: taxonomy), dialogues: chosen.count,
            strata: Set(candidates.map(\.stratum)).count, alreadyLabeled: labeled.count, short: chosen.count < n)
    }

    /// The review queue as a sheet: dialogues whose tag of `template` × `model` has a field less
    /// sure than `below`, and that nobody has labeled yet; least sure first. Its labels, once
    /// imported, are gold.
    public func reviewSheet(template: PromptTemplate, model: String, below: Double, zone: ZoneResolver) throws -> Sheet {
        let labeled = try labels.labeledDialogueIDs(fields: template.taxonomy.measured.map(\.name))
        let readings = try labels.tagReadings(promptHash: template.hash, model: model)
        let unsure = readings.compactMap { id, reading in reading.lowestConfidence.flatMap { $0 < below && !labeled.contains(id) ? (id, $0) : nil } }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
        var byID: [String: Dialogue] = [:]
        var strata: [String: String] = [:]
        for id in unsure {
            guard let dialogue = try dialogues.dialogue(id: id), let first = dialogue.startedAt else { continue }
            byID[id] = dialogue
            strata[id] = "\(dialogue.channel)|\(ReportWeek(at: first.unixMillis, in: zone))|\(BaselineTagger.values(for: dialogue)["intent"] ?? "other")"
        }
        let kept = unsure.filter { byID[$0] != nil }
        return Sheet(
            text: Self.sheetText(
                kept, byID: byID, strata: strata,
                taxonomy: Taxonomy(fields: template.taxonomy.measured)),
            dialogues: kept.count, strata: Set(strata.values).count, alreadyLabeled: labeled.count, short: false)
    }

    /// A labeling sheet: the dialogue's text, then one column per field to fill in
    /// (`intent (booking|question|complaint|other)`), the annotator and a note.
    static func sheetText(_ ids: [String], byID: [String: Dialogue], strata: [String: String], taxonomy: Taxonomy) -> String {
        func quote(_ text: String) -> String { CSVText.field(text, always: true) }
        let fieldColumns = taxonomy.fields.map { "\($0.name) (\($0.values.joined(separator: "|")))" }
        var lines = [(["dialogue_id", "channel", "week", "baseline_intent", "dialogue"] + fieldColumns + ["annotator", "note"]).joined(separator: ",")]
        let renderer = DialogueRenderer(tokenBudget: 1500, style: .reading)
        for id in ids {
            guard let dialogue = byID[id] else { continue }
            let parts = (strata[id] ?? "||").split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let blanks = [String](repeating: "", count: taxonomy.fields.count + 2)
            lines.append(([quote(id), quote(parts[0]), quote(parts[1]), quote(parts[2]), quote(renderer.render(dialogue).text)] + blanks).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Loads a labels file: the filled-in CSV sheet, or JSONL. A bad row refuses the whole
    /// file, naming its line. The fields checked are `taxonomy`'s; without one, the family
    /// whose fields the file's first line names (the tags' or the rubric's).
    /// `dialogueID` maps a label's id to the stored one: an id that is personal data (a phone)
    /// is stored keyed (``Anonymizer/dialogueID(_:)``), and its labels must reach it.
    public func load(text: String, file: String, taxonomy given: Taxonomy? = nil, dialogueID: (String) -> String = { $0 }) throws -> Loaded {
        let isCSV = file.lowercased().hasSuffix(".csv") || text.hasPrefix("\u{FEFF}dialogue_id") || text.hasPrefix("dialogue_id")
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let taxonomy = given ?? ([Taxonomy.default, .rubric].first { family in family.fields.allSatisfy { firstLine.contains($0.name) } } ?? .default)
        let parsed = (isCSV ? try HandLabel.parseCSV(text, file: file, taxonomy: taxonomy) : try HandLabel.parseJSONL(text, file: file, taxonomy: taxonomy)).map {
            label in
            var stored = label
            stored.dialogueID = dialogueID(label.dialogueID)
            return stored
        }
        try labels.write(parsed, source: (file as NSString).lastPathComponent)
        let known = Set(try dialogues.dialogueIDs(includingPruned: true))
        return Loaded(
            labels: parsed.count, missingDialogues: parsed.filter { !known.contains($0.dialogueID) }.count,
            agreement: try LabelEvaluation(labels: labels).agreement(taxonomy: taxonomy))
    }
}
