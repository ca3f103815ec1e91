import Testing
import NNEngine

@Suite("Stratification")
struct StratificationTests {
    @Test(arguments: [
        (30, [50, 50, 50], [10, 10, 10]),
        (3, [7, 2, 1], [2, 1, 0]),      // remainders 0.1, 0.6, 0.3: the class of 2 takes the extra one
        (5, [3, 3, 3, 3], [2, 1, 1, 1]),  // equal remainders: the first class
        (0, [4, 6], [0, 0]),
        (10, [4, 6], [4, 6]),
    ])
    func allocationKeepsEachClassShareAndTheTotal(_ example: (total: Int, counts: [Int], taken: [Int])) {
        #expect(Stratification.allocation(of: example.total, among: example.counts) == example.taken)
    }

    /// Iris-like classes in blocks of 50: a random order, a 30-sample test part, 10 of each.
    @Test func testPartTakesEachClassItsShareInTheGivenOrder() {
        let classes = (0..<150).map { $0 / 50 }
        var generator = SeededGenerator(seed: 3)
        let order = generator.permutation(count: 150)
        let test = Stratification.testPart(order: order, classes: classes, testCount: 30)
        #expect(test == test.sorted())
        #expect(Set(test).count == 30)
        #expect((0..<3).map { c in test.filter { classes[$0] == c }.count } == [10, 10, 10])
        // Of each class, the first of its samples in the order.
        let firstOfClass0 = order.filter { classes[$0] == 0 }.prefix(10)
        #expect(Set(firstOfClass0) == Set(test.filter { classes[$0] == 0 }))
    }

    @Test func foldsPartitionTheSamplesAndKeepTheShares() {
        let classes = (0..<23).map { $0 < 15 ? 0 : 1 }  // 15 and 8
        var generator = SeededGenerator(seed: 1)
        let folds = Stratification.folds(order: generator.permutation(count: 23), classes: classes, k: 4)
        #expect(folds.count == 4)
        #expect(folds.flatMap { $0 }.sorted() == Array(0..<23))
        #expect(folds.allSatisfy { $0 == $0.sorted() })
        let sizes = folds.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        for fold in folds {
            #expect([3, 4].contains(fold.filter { classes[$0] == 0 }.count))
            #expect(fold.filter { classes[$0] == 1 }.count == 2)
        }
    }

    @Test func foldsOfOneClassArePlainFoldsOfTheOrder() {
        let order = [4, 0, 3, 1, 2]
        #expect(Stratification.folds(order: order, classes: Array(repeating: 0, count: 5), k: 2) == [[2, 3, 4], [0, 1]])
    }
}
