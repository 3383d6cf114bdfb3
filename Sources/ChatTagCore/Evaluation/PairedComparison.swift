import Foundation

/// A/B statistics on the same labeled dialogues: McNemar's exact test on paired correctness,
/// a paired bootstrap interval for the difference in accuracy, and the number of labels a
/// difference of the observed size would need to reach significance.
public struct PairedComparison: Sendable, Equatable {
    /// Dialogues A got right and B got wrong.
    public var onlyA: Int
    /// Dialogues B got right and A got wrong.
    public var onlyB: Int
    public var n: Int
    /// Accuracy of B minus accuracy of A.
    public var difference: Double
    /// Paired bootstrap 95% interval of `difference` (10,000 resamples, fixed seed).
    public var differenceCI: (low: Double, high: Double)
    /// McNemar's exact two-sided p-value.
    public var mcnemarP: Double

    public static func == (lhs: PairedComparison, rhs: PairedComparison) -> Bool {
        lhs.onlyA == rhs.onlyA && lhs.onlyB == rhs.onlyB && lhs.n == rhs.n && lhs.mcnemarP == rhs.mcnemarP
    }

    /// `correctA[i]` and `correctB[i]` say whether A and B got dialogue i right (a reply that
    /// failed to parse is wrong).
    public init(correctA: [Bool], correctB: [Bool], resamples: Int = 10_000, seed: UInt64 = 20_251_122) {
        precondition(correctA.count == correctB.count, "paired results must cover the same dialogues")
        n = correctA.count
        onlyA = zip(correctA, correctB).filter { $0 && !$1 }.count
        onlyB = zip(correctA, correctB).filter { !$0 && $1 }.count
        difference = n == 0 ? 0 : Double(onlyB - onlyA) / Double(n)
        mcnemarP = Self.mcnemarExact(onlyA, onlyB)
        guard n > 0 else {
            differenceCI = (0, 0)
            return
        }
        var generator = SplitMix64(seed: seed)
        var differences: [Double] = []
        differences.reserveCapacity(resamples)
        let deltas = zip(correctA, correctB).map { (($1 ? 1 : 0) - ($0 ? 1 : 0)) }
        for _ in 0..<resamples {
            var total = 0
            for _ in 0..<n { total += deltas[Int(generator.next() % UInt64(n))] }
            differences.append(Double(total) / Double(n))
        }
        differences.sort()
        differenceCI = (differences[Int(Double(resamples) * 0.025)], differences[min(resamples - 1, Int(Double(resamples) * 0.975))])
    }

    /// Two-sided exact McNemar p-value: the binomial test of `b` against `b + c` at one half.
    public static func mcnemarExact(_ b: Int, _ c: Int) -> Double {
        let total = b + c
        guard total > 0 else { return 1 }
        var tail = 0.0
        var coefficient = 1.0
        let half = pow2(-Double(total))
        for i in 0...min(b, c) {
            if i > 0 { coefficient = coefficient * Double(total - i + 1) / Double(i) }
            tail += coefficient * half
        }
        return min(1, 2 * tail)
    }

    private static func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(-exponent)
        while remaining > 0 {
            result /= 2
            remaining -= 1
        }
        return result
    }

    /// Labels needed to call a difference of this size significant (α = 0.05 two-sided,
    /// power 0.8), from the discordant share; nil when the observed difference is zero.
    public var labelsNeeded: Int? {
        guard n > 0, onlyA != onlyB else { return nil }
        let discordant = Double(onlyA + onlyB) / Double(n)
        let effect = abs(Double(onlyB - onlyA)) / Double(n)
        let z = 1.959964 + 0.841621
        return Int((z * z * discordant / (effect * effect)).rounded(.up))
    }

    /// The verdict (in English, for JSON): a winner only at p < 0.05, otherwise how many labels would tell.
    public var verdict: String { verdict(Wording(.en)) }

    /// The verdict in the page's language: `B лучше (p < 0,0001, доля верных +0,120)`.
    public func verdict(_ w: Wording) -> String {
        if mcnemarP < 0.05 {
            let side = difference > 0 ? "B" : "A"
            return w.t(
                "\(side) лучше (\(w.pValue(mcnemarP)), доля верных \(w.signed(difference)))", "\(side) is better (\(w.pValue(mcnemarP)), accuracy \(w.signed(difference)))")
        }
        if let needed = labelsNeeded {
            return w.t(
                "значимой разницы нет (\(w.pValue(mcnemarP))); чтобы различить разницу такого размера, нужно около \(needed) размеченных диалогов",
                "no significant difference (\(w.pValue(mcnemarP))); a difference of this size would need about \(needed) labeled dialogues")
        }
        return w.t("разницы в доле верных нет (\(w.pValue(mcnemarP)))", "no difference in accuracy (\(w.pValue(mcnemarP)))")
    }
}

/// A small, fast, seedable generator (SplitMix64), so bootstrap intervals are reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
