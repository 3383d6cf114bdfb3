import Testing

@testable import ChatTagCore

@Suite struct GoldLabelsTests {
    static func vote(_ id: String, _ annotator: String, _ value: String) -> LabelVote {
        LabelVote(dialogueID: id, annotator: annotator, value: value, predicted: "booking")
    }

    @Test func anAdjudicatedLabelWinsOverTheMajority() {
        let (pairs, ties) = GoldLabels.resolve([Self.vote("d1", "ann", "question"), Self.vote("d1", "bob", "question"), Self.vote("d1", "adjudicated", "booking")])
        #expect(pairs.map(\.gold) == ["booking"] && ties.isEmpty)
    }

    @Test func otherwiseTheMajorityIsGoldNeverTheFirstAnnotatorByName() {
        let (pairs, _) = GoldLabels.resolve([Self.vote("d1", "aaron", "question"), Self.vote("d1", "bob", "booking"), Self.vote("d1", "cid", "booking")])
        #expect(pairs.map(\.gold) == ["booking"])
        #expect(pairs.first?.predicted == "booking")
    }

    @Test func aTieIsLeftOutAndCounted() {
        let (pairs, ties) = GoldLabels.resolve([
            Self.vote("d1", "aaron", "question"), Self.vote("d1", "bob", "booking"), Self.vote("d2", "aaron", "other"),
        ])
        #expect(pairs.map(\.dialogueID) == ["d2"] && ties == ["d1"])
    }
}
