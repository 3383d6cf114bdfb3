import Testing

@testable import ChatTagCore

@Suite struct PairedComparisonTests {
    @Test func mcnemarExactMatchesTheBinomialTest() {
        #expect(abs(PairedComparison.mcnemarExact(1, 9) - 22.0 / 1024) < 1e-9)
        #expect(abs(PairedComparison.mcnemarExact(9, 1) - 22.0 / 1024) < 1e-9)
        #expect(PairedComparison.mcnemarExact(5, 5) == 1)
        #expect(PairedComparison.mcnemarExact(0, 0) == 1)
        // 0 vs 6: p = 2 · 0.5^6 = 0.03125
        #expect(abs(PairedComparison.mcnemarExact(0, 6) - 0.03125) < 1e-12)
    }

    @Test func aClearWinnerIsNamedAndATieIsNot() {
        let a = [Bool](repeating: true, count: 60) + [Bool](repeating: false, count: 40)
        var b = a
        for index in 60..<80 { b[index] = true }
        let better = PairedComparison(correctA: a, correctB: b)
        #expect(better.onlyB == 20 && better.onlyA == 0)
        #expect(better.difference == 0.2)
        #expect(better.mcnemarP < 0.001)
        #expect(better.verdict.hasPrefix("B is better"))
        #expect(better.differenceCI.low > 0.1 && better.differenceCI.high <= 0.3)
        var c = a
        c[0] = false
        c[70] = true
        let tie = PairedComparison(correctA: a, correctB: c)
        #expect(tie.mcnemarP == 1)
        #expect(tie.verdict.hasPrefix("no significant difference") || tie.verdict.hasPrefix("no difference"))
    }

    @Test func bootstrapIsReproducibleWithItsSeed() {
        let a = (0..<100).map { $0 % 3 != 0 }
        let b = (0..<100).map { $0 % 4 != 0 }
        let first = PairedComparison(correctA: a, correctB: b)
        let second = PairedComparison(correctA: a, correctB: b)
        #expect(first.differenceCI == second.differenceCI)
        #expect(first.differenceCI.low <= first.difference && first.difference <= first.differenceCI.high)
        #expect(first.labelsNeeded != nil)
    }
}
