import Testing
import NNEngine

@Suite("Shuffling")
struct ShuffleTests {
    @Test(arguments: [0, 1, 2, 7, 100])
    func aPermutationHoldsEveryIndexOnce(_ count: Int) {
        var generator = SeededGenerator(seed: 9)
        #expect(generator.permutation(count: count).sorted() == Array(0..<count))
    }

    @Test func permutationsAreReproducibleAndDifferAcrossSeeds() {
        func permutation(_ seed: UInt64) -> [Int] {
            var generator = SeededGenerator(seed: seed)
            return generator.permutation(count: 20)
        }
        #expect(permutation(4) == permutation(4))
        #expect(permutation(4) != permutation(5))
        #expect(permutation(4) != Array(0..<20))
    }

    /// All 6 orders of 3 elements come up about equally often.
    @Test func everyOrderIsEquallyLikely() {
        var generator = SeededGenerator(seed: 2)
        var counts: [[Int]: Int] = [:]
        for _ in 0..<6000 {
            counts[generator.permutation(count: 3), default: 0] += 1
        }
        #expect(counts.count == 6)
        #expect(counts.values.allSatisfy { abs($0 - 1000) < 120 }, "\(counts)")
    }

    @Test(arguments: [1, 2, 3, 10, 1000])
    func indicesStayBelowTheirBound(_ bound: Int) {
        var generator = SeededGenerator(seed: 3)
        let draws = (0..<2000).map { _ in generator.nextIndex(below: bound) }
        #expect(draws.allSatisfy { (0..<bound).contains($0) })
        #expect(Set(draws).count == min(bound, Set(draws).count) && (bound > 100 || Set(draws).count == bound))
    }
}
