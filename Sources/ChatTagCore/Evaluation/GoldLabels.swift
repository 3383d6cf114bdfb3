/// One annotator's value for one field of a labeled dialogue, with what a prompt and model
/// predicted for it (nil: no tag, or a failed one).
public struct LabelVote: Sendable, Equatable {
    public var dialogueID: String
    public var annotator: String
    public var value: String
    public var predicted: String?

    public init(dialogueID: String, annotator: String, value: String, predicted: String?) {
        self.dialogueID = dialogueID
        self.annotator = annotator
        self.value = value
        self.predicted = predicted
    }
}

/// Which label is gold when several people labeled a dialogue: the annotator named
/// `adjudicated` where there is one, otherwise the majority of annotators. A tie is left
/// out of the measurement and counted, never settled by an annotator's name.
public enum GoldLabels {
    public static let adjudicator = "adjudicated"

    /// Gold and prediction per dialogue (in id order), and the dialogues left out for a tie.
    public static func resolve(_ votes: [LabelVote]) -> (pairs: [LabelPair], ties: [String]) {
        var byDialogue: [String: [LabelVote]] = [:]
        for vote in votes { byDialogue[vote.dialogueID, default: []].append(vote) }
        var pairs: [LabelPair] = []
        var ties: [String] = []
        for id in byDialogue.keys.sorted() {
            let group = byDialogue[id] ?? []
            let predicted = group.first?.predicted
            if let adjudicated = group.first(where: { $0.annotator == adjudicator }) {
                pairs.append((id, adjudicated.value, predicted))
                continue
            }
            var counts: [String: Int] = [:]
            for vote in group { counts[vote.value, default: 0] += 1 }
            let top = counts.values.max() ?? 0
            let leaders = counts.filter { $0.value == top }.map(\.key)
            if leaders.count == 1 {
                pairs.append((id, leaders[0], predicted))
            } else {
                ties.append(id)
            }
        }
        return (pairs, ties)
    }
}
