/// A stratified random sample of dialogues for people to label: strata are channel × ISO
/// week × the baseline's predicted intent, each stratum gets its proportional share (at
/// least one where the sample is large enough), and the draw is reproducible from a seed.
public enum LabelingSample {
    public struct Candidate: Sendable, Hashable {
        public var dialogueID: String
        public var stratum: String

        public init(dialogueID: String, stratum: String) {
            self.dialogueID = dialogueID
            self.stratum = stratum
        }
    }

    /// The chosen dialogue ids, in id order.
    public static func select(_ candidates: [Candidate], n: Int, seed: UInt64) -> [String] {
        guard n < candidates.count else { return candidates.map(\.dialogueID).sorted() }
        var strata: [String: [String]] = [:]
        for candidate in candidates { strata[candidate.stratum, default: []].append(candidate.dialogueID) }
        let keys = strata.keys.sorted()
        let total = Double(candidates.count)
        var quota: [String: Int] = [:]
        var remainders: [(String, Double)] = []
        for key in keys {
            let exact = Double(n) * Double(strata[key]!.count) / total
            quota[key] = Int(exact)
            remainders.append((key, exact - Double(Int(exact))))
        }
        if n >= keys.count {
            for key in keys where quota[key] == 0 { quota[key] = 1 }
        }
        var assigned = quota.values.reduce(0, +)
        for (key, _) in remainders.sorted(by: { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) where assigned < n {
            if quota[key]! < strata[key]!.count {
                quota[key]! += 1
                assigned += 1
            }
        }
        while assigned > n, let key = keys.filter({ quota[$0]! > 1 }).max(by: { quota[$0]! < quota[$1]! }) {
            quota[key]! -= 1
            assigned -= 1
        }
        var generator = SplitMix64(seed: seed)
        var chosen: [String] = []
        for key in keys {
            var pool = strata[key]!.sorted()
            for index in stride(from: pool.count - 1, to: 0, by: -1) {
                pool.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
            chosen += pool.prefix(min(quota[key]!, pool.count))
        }
        return chosen.sorted()
    }
}
