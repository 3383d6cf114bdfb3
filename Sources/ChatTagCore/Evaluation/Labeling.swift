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
    public func sample(n: Int, seed: UInt64, zone: ZoneResolver) throws -> Sheet {
        var candidates: [LabelingSample.Candidate] = []
        var byID: [String: Dialogue] = [:]
        for id in try dialogues.dialogueIDs(includingPruned: false) {
            guard let dialogue = try dialogues.dialogue(id: id), let first = dialogue.startedAt else { continue }
            let intent = BaselineTagger.values(for: dialogue)["intent"] ?? "other"
            candidates.append(.init(dialogueID: id, stratum: "\(dialogue.channel)|\(ReportWeek(at: first.unixMillis, in: zone))|\(intent)"))
            byID[id] = dialogue
        }
        let chosen = LabelingSample.select(candidates, n: n, seed: seed)
        let strata = Dictionary(uniqueKeysWithValues: candidates.map { ($0.dialogueID, $0.stratum) })
        func quote(_ text: String) -> String { CSVText.field(text, always: true) }
        var lines = [
            "dialogue_id,channel,week,baseline_intent,dialogue,intent (booking|question|complaint|other),sentiment (positive|neutral|negative),missed_lead (true|false),annotator,note"
        ]
        let renderer = DialogueRenderer(tokenBudget: 1500)
        for id in chosen {
            guard let dialogue = byID[id] else { continue }
            let parts = (strata[id] ?? "||").split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            lines.append([quote(id), quote(parts[0]), quote(parts[1]), quote(parts[2]), quote(renderer.render(dialogue).text), "", "", "", "", ""].joined(separator: ","))
        }
        return Sheet(text: "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n", dialogues: chosen.count, strata: Set(candidates.map(\.stratum)).count)
    }

    /// Loads a labels file: the filled-in CSV sheet, or JSONL. A bad row refuses the whole
    /// file, naming its line.
    public func load(text: String, file: String) throws -> Loaded {
        let isCSV = file.lowercased().hasSuffix(".csv") || text.hasPrefix("\u{FEFF}dialogue_id") || text.hasPrefix("dialogue_id")
        let parsed = isCSV ? try HandLabel.parseCSV(text, file: file) : try HandLabel.parseJSONL(text, file: file)
        try labels.write(parsed, source: (file as NSString).lastPathComponent)
        let known = Set(try dialogues.dialogueIDs(includingPruned: true))
        return Loaded(
            labels: parsed.count, missingDialogues: parsed.filter { !known.contains($0.dialogueID) }.count,
            agreement: try LabelEvaluation(labels: labels).agreement())
    }
}
