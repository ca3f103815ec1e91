import NNEngine
import Testing
@testable import NNLang

/// One memory budget, `set memory_limit`: large allocations a statement asks for are refused
/// with what needed how much, and undo keeps a bounded number of bytes.
@Suite("Memory budget")
struct MemoryBudgetTests {
    /// The message of the diagnostic `source` fails with, after `setup`.
    static func failure(of source: String, after setup: String) throws -> String {
        let (session, _) = makeSession()
        try #require(session.run(source: setup) == .completed)
        guard case .failed(let diagnostic) = session.run(source: source) else {
            Issue.record("\(source) did not fail")
            return ""
        }
        return diagnostic.message
    }

    @Test func theDefaultIsHalfThePhysicalMemory() {
        #expect(MemoryBudget.defaultLimit >= 1 << 28)
        #expect(Settings().memoryLimit == MemoryBudget.defaultLimit)
    }

    @Test(arguments: [(999, "999 bytes"), (1_000, "1 kB"), (3_250_000, "3.3 MB"), (4_300_000_000, "4.3 GB")])
    func sizesAreDescribed(bytes: Int, text: String) {
        #expect(MemoryBudget.describe(bytes) == text)
    }

    @Test func aJacobianOverTheLimitIsRefused() throws {
        let message = try Self.failure(of: "jacobian(f, range(0, 1000))",
                                       after: "def f(v) = v * 2\nset memory_limit 1048576")
        #expect(message == "a 1000×1000 jacobian would need 8 MB, more than memory_limit (1 MB): 'set memory_limit' raises it")
        let elements = try Self.failure(of: "jacobian(f, range(0, 1000))", after: "def f(v) = v * 2\nset max_elements 1000")
        #expect(elements == "1000000 numbers are too many (the limit is 1000)")
    }

    /// hcat and vcat take up to 64 pieces: together they are held to max_elements, as one is.
    @Test func joinedPiecesAreHeldToTheElementLimit() throws {
        let setup = "set max_elements 10\nv = [1, 2, 3, 4]"
        #expect(try Self.failure(of: "m = hcat(v, v, v)", after: setup) == "12 numbers are too many (the limit is 10)")
        #expect(try Self.failure(of: "m = vcat(v, v, v)", after: setup) == "12 numbers are too many (the limit is 10)")
        let (session, _) = makeSession()
        #expect(session.run(source: setup + "\nm = vcat(v, [5, 6, 7, 8])") == .completed)
    }

    /// What max_elements bounds, memory_limit bounds too: a layer (the whole network), a
    /// product, a generated data set, a join, a one-hot matrix.
    @Test(arguments: [
        ("input 3000\nlayer 3000", "layer 3000", "a network of 18006000 parameters would need 144 MB"),
        ("v = range(0, 4000)", "a = transpose(v) @ transpose(transpose(v))", "a 4000×4000 product would need 128 MB"),
        ("", "data random n=3000 inputs=3000 classes=3000", "a data set of 3000 samples would need 144 MB"),
        ("v = range(0, 3000000)", "m = hcat(v, v, v, v, v)", "hcat of 15000000 numbers would need 120 MB"),
        ("", "print onehot(range(0, 4000), 4000)", "a one-hot matrix of 4000 columns would need 128 MB"),
        ("set print_limit 0\nv = range(0, 4000000)", "print v", "printing 4000000 numbers would need 128 MB"),
    ])
    func largeValuesAreHeldToTheMemoryLimit(_ setup: String, _ statement: String, _ need: String) throws {
        let message = try Self.failure(of: statement, after: "set memory_limit 100000000\n" + setup)
        #expect(message == need + ", more than memory_limit (100 MB): 'set memory_limit' raises it")
    }

    /// A network within the limits whose training buffers (parameters, gradients, a snapshot,
    /// the optimizer's state, one batch per layer) do not fit is refused before they are made.
    @Test func trainingBuffersOverTheLimitAreRefusedBeforeTheyAreMade() throws {
        let setup = "input 2\nlayer 300 tanh\nlayer 300 tanh\nlayer 1\ndata x=[[0, 0], [0, 1], [1, 0], [1, 1]] y=[[0], [1], [1], [0]]\nset memory_limit 1048576"
        let message = try Self.failure(of: "train epochs=1", after: setup)
        #expect(message == "training the 2-300-300-1 network would need 3.7 MB, more than memory_limit (1 MB): 'set memory_limit' raises it")
        let (session, _) = makeSession()
        #expect(session.run(source: setup + "\nset memory_limit 4000000\ntrain epochs=1 quiet=true") == .completed)
    }

    @Test func trainingBytesSaturate() {
        let network = Network(inputCount: 1 << 40)
        let configuration = TrainingConfiguration(epochs: 1, learningRate: 0.1, precision: .float32)
        #expect(Trainer.workspaceBytes(network: network, sampleCount: Int.max / 2, configuration: configuration) == Int.max)
    }

    /// 2,000 rows of 2,000 distinct text labels would be 4 million one-hot numbers.
    @Test func classTargetsOverTheLimitAreRefusedBeforeTheyAreMade() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let text = "x,label\n" + (0..<2_000).map { "\($0),c\($0)\n" }.joined()
        try FileAccess.writeFile(folder + "/many.csv", Array(text.utf8)).get()
        let message = try Self.failure(of: "data \"\(folder)/many.csv\"", after: "set memory_limit 1048576")
        #expect(message == "in '\(folder)/many.csv': 2000 rows of 2000 classes need 4000000 target numbers, "
                + "more than the limit of 131072 (max_elements, memory_limit)")
    }

    @Test func maxElementsIsCapped() throws {
        let message = try Self.failure(of: "set max_elements 4.6e18", after: "")
        #expect(message.hasPrefix("expected a whole number from 1 to \(Settings.maxElementsCeiling) for max_elements"), "\(message)")
    }

    /// Each change to a 100×100 layer leaves 80 kB only the undo stack holds; under a 1 MiB
    /// limit undo keeps a quarter of it, three such copies, and `undo` still works.
    @Test func undoKeepsABoundedNumberOfBytes() throws {
        let (session, _) = makeSession()
        try #require(session.run(source: "set memory_limit 1048576\ninput 100\nlayer 100") == .completed)
        for _ in 0..<10 { try #require(session.run(source: "W1 = W1 * 2") == .completed) }
        #expect(session.undoStack.count == 3, "\(session.undoStack.count) entries")
        #expect(session.undoBytes() <= 1_048_576 / 4)
        #expect(session.run(source: "undo") == .completed)
    }
}
