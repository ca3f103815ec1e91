import Testing
import NNEngine

/// The engine's long loops that take a `StopPoll`: a tiled product and the data generators.
/// Left alone they give what the plain versions give; stopped, they say so at once.
@Suite("Stoppable loops")
struct StoppableLoopTests {
    /// A product of several tiles, with partial tiles at the right and bottom edges.
    @Test func aTiledProductIsTheProduct() throws {
        var generator = SeededGenerator(seed: 7)
        let a = TestSupport.randomMatrix(rows: 150, columns: 7, generator: &generator)
        let b = TestSupport.randomMatrix(rows: 7, columns: 140, generator: &generator)
        var tiles: [(Int, Int)] = []
        let tiled = try #require(Matrix.product(a, b, tileWork: 64 * 64 * 7, poll: .never, onTile: { tiles.append(($0, $1)) }))
        #expect(tiles.first.map { $0 == (0, 9) } == true, "3 × 3 tiles of 64: \(tiles)")
        #expect(tiles.last.map { $0 == (9, 9) } == true)
        #expect(TestSupport.isClose(tiled, Matrix.referenceProduct(a, b), relative: 1e-12, absolute: 1e-14))
    }

    @Test func aStoppedProductIsNil() {
        var generator = SeededGenerator(seed: 8)
        let a = TestSupport.randomMatrix(rows: 130, columns: 3, generator: &generator)
        var asked = 0
        let poll = StopPoll(every: 1) { asked += 1; return asked > 2 }
        var done = -1
        #expect(Matrix.product(a, a.transposed, tileWork: 64 * 64 * 3, poll: poll, onTile: { done = $0; _ = $1 }) == nil)
        #expect(done == 2)
        #expect(poll.isStopped)
    }

    /// A small product is not tiled and not asked: it takes a fraction of a second.
    @Test func aSmallProductIsNotAsked() {
        let poll = StopPoll(every: 1) { true }
        #expect(Matrix.product(Matrix([[1, 2]]), Matrix([[3], [4]]), poll: poll) == Matrix([[11]]))
        #expect(!poll.isStopped)
    }

    @Test func thePollAsksEveryIntervalAndRemembersAStop() {
        var asked = 0
        let poll = StopPoll(every: 3) { asked += 1; return asked == 2 }
        let answers = (0..<8).map { _ in poll.shouldStop() }
        #expect(answers == [false, false, false, true, true, true, true, true])
        #expect(asked == 2)
    }

    /// Unasked, a generator gives the same set as without a poll; stopped, it returns at once
    /// and the poll says the set is unfinished.
    @Test(arguments: ["circles", "moons", "spirals", "gaussians", "blobs", "sine", "linear", "random"])
    func generatorsStop(_ name: String) {
        func make(_ poll: StopPoll) -> DataSet {
            switch name {
            case "circles": DataGenerator.circles(samples: 300, seed: 1, poll: poll)
            case "moons": DataGenerator.moons(samples: 300, seed: 1, poll: poll)
            case "spirals": DataGenerator.spirals(samples: 300, seed: 1, poll: poll)
            case "gaussians": DataGenerator.gaussians(samples: 300, seed: 1, poll: poll)
            case "blobs": DataGenerator.blobs(samples: 300, classes: 3, seed: 1, poll: poll)
            case "sine": DataGenerator.sine(samples: 300, seed: 1, poll: poll)
            case "linear": DataGenerator.linear(samples: 300, inputs: 2, seed: 1, poll: poll)
            default: DataGenerator.random(samples: 300, inputs: 4, classes: 3, seed: 1, poll: poll)
            }
        }
        let plain = make(.never)
        let never = StopPoll(every: 1) { false }
        let asked = make(never)
        #expect(asked.inputs == plain.inputs && asked.targets == plain.targets)
        #expect(!never.isStopped)
        var questions = 0
        let stop = StopPoll(every: 1) { questions += 1; return questions > 5 }
        _ = make(stop)
        #expect(stop.isStopped)
        #expect(questions == 6, "asked again after it said stop: \(questions)")
    }
}
