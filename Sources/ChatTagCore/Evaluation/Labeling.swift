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

    /// `n` dialogues drawn at random within strata of channel × week (in `zone`) × the
    /// baseline's intent; the same `seed` draws the same sample. Pruned dialogues have no
    /// text left to label and are not drawn.
    public func sample(n: Int, seed: UInt64, zone: ZoneResolver, taxonomy: Taxonomy = .default) throws -> Sheet {
        guard n > 0 else { throw UseCaseError.badOption("--n must be at least 1: it is how many dialogues the sheet offers (got \(n)).") }
        var candidates: [LabelingSample.Candidate] = []
        var byID: [String: Dialogue] = [:]
        let labeled = try labels.labeledDialogueIDs(fields: taxonomy.fields.map(\.name))
        for id in try dialogues.dialogueIDs(includingPruned: false) where !labeled.contains(id) {
            guard let dialogue = try dialogues.dialogue(id: id), let first = dialogue.startedAt else { continue }
            let intent = BaselineTagger.values(for: dialogue)["intent"] ?? "other"
            candidates.append(.init(dialogueID: id, stratum: "\(dialogue.channel)|\(ReportWeek(at: first.unixMillis, in: zone))|\(intent)"))
            byID[id] = dialogue
        }
        let chosen = LabelingSample.select(candidates, n: n, seed: seed)
        let strata = Dictionary(uniqueKeysWithValues: candidates.map { ($0.dialogueID, $0.stratum) })
        func quote(_ text: String) -> String { CSVText.field(text, always: true) }
        // The label columns come from the template: `intent (booking|question|complaint|other)`.
        let fieldColumns = taxonomy.fields.map { "\($0.name) (\($0.values.joined(separator: "|")))" }
        var lines = [(["dialogue_id", "channel", "week", "baseline_intent", "dialogue"] + fieldColumns + ["annotator", "note"]).joined(separator: ",")]
        let renderer = DialogueRenderer(tokenBudget: 1500)
        for id in chosen {
            guard let dialogue = byID[id] else { continue }
            let parts = (strata[id] ?? "||").split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let blanks = [String](repeating: "", count: taxonomy.fields.count + 2)
            lines.append(([quote(id), quote(parts[0]), quote(parts[1]), quote(parts[2]), quote(renderer.render(dialogue).text)] + blanks).joined(separator: ","))
        }
        return Sheet(
            text: "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n", dialogues: chosen.count, strata: Set(candidates.map(\.stratum)).count,
            alreadyLabeled: labeled.count, short: chosen.count < n)
    }

    /// Loads a labels file: the filled-in CSV sheet, or JSONL. A bad row refuses the whole
    /// file, naming its line. The fields checked are `taxonomy`'s; without one, the family
    /// whose fields the file's first line names (the tags' or the rubric's).
    public func load(text: String, file: String, taxonomy given: Taxonomy? = nil) throws -> Loaded {
        let isCSV = file.lowercased().hasSuffix(".csv") || text.hasPrefix("\u{FEFF}dialogue_id") || text.hasPrefix("dialogue_id")
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let taxonomy = given ?? ([Taxonomy.default, .rubric].first { family in family.fields.allSatisfy { firstLine.contains($0.name) } } ?? .default)
        let parsed = isCSV ? try HandLabel.parseCSV(text, file: file, taxonomy: taxonomy) : try HandLabel.parseJSONL(text, file: file, taxonomy: taxonomy)
        try labels.write(parsed, source: (file as NSString).lastPathComponent)
        let known = Set(try dialogues.dialogueIDs(includingPruned: true))
        return Loaded(
            labels: parsed.count, missingDialogues: parsed.filter { !known.contains($0.dialogueID) }.count,
            agreement: try LabelEvaluation(labels: labels).agreement(taxonomy: taxonomy))
    }
}
