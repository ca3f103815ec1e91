#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine
import Testing
@testable import NNLang

/// Long single statements poll the interrupt flag: they stop with the usual message and the
/// session intact, instead of running to the end.
@Suite("Interrupt polling")
struct InterruptPollingTests {
    /// Says "interrupt" from its `after`-th question on, as Ctrl-C pressed mid-statement does.
    final class Flag: @unchecked Sendable {
        var questions = 0
        let after: Int
        init(after: Int) { self.after = after }
        func ask() -> Bool {
            questions += 1
            return questions > after
        }
    }

    /// The message `source` fails with when the flag goes up after `after` polls (the first
    /// poll is the one before the statement).
    static func failure(of source: String, after setup: String, polls after: Int) throws -> String {
        let (session, _) = makeSession()
        try #require(session.run(source: setup) == .completed)
        let flag = Flag(after: after)
        session.interruptRequested = { flag.ask() }
        guard case .failed(let diagnostic) = session.run(Parser.parse(source).statements) else {
            Issue.record("\(source) was not stopped")
            return ""
        }
        return diagnostic.message
    }

    @Test func gradcheckStopsBetweenParameters() throws {
        let message = try Self.failure(of: "gradcheck", after: "input 2\nlayer 3 tanh\nlayer 1\ndata x=[[0, 1]] y=[[1]]", polls: 4)
        #expect(message == "interrupted after 3 parameters checked")
    }

    @Test func jacobianStopsBetweenRows() throws {
        let message = try Self.failure(of: "print jacobian(f, range(0, 50))", after: "def f(v) = v * 2", polls: 6)
        #expect(message.hasPrefix("interrupted after ") && message.hasSuffix(" of 50 jacobian rows"), "\(message)")
    }

    /// A product of 1100³ multiply-adds goes in 2 × 2 tiles, asking before each.
    @Test func aLargeProductStopsBetweenTiles() throws {
        let setup = "c = transpose(range(0, 1100))\nr = transpose(c)\na = c @ r"
        #expect(try Self.failure(of: "b = a @ a", after: setup, polls: 1) == "interrupted after 0 of 4 tiles of the product")
        #expect(try Self.failure(of: "print sum(a @ a)", after: setup, polls: 2) == "interrupted after 1 of 4 tiles of the product")
    }

    /// Functions that fan out (2¹⁶ calls here, 2⁶⁰ as easily) ask at every call.
    static let fanOut = (1...16).map { "def f\($0)(x) = f\($0 - 1)(x) + f\($0 - 1)(x)" }.joined(separator: "\n")

    @Test func userFunctionsStopAtACall() throws {
        let setup = "def f0(x) = x + 1\n" + Self.fanOut
        // Poll 1 is before the statement, poll 2 the outermost call: 99 calls after it.
        #expect(try Self.failure(of: "print f16(1)", after: setup, polls: 100) == "interrupted after 99 function calls")
        #expect(try Self.failure(of: "print grad(f16(x), x)", after: setup + "\nx = 1", polls: 50).hasPrefix("interrupted after "))
    }

    @Test func aBigDataSetStopsAndTheDataBeforeStays() throws {
        let (session, transcript) = makeSession()
        try #require(session.run(source: "data xor") == .completed)
        let flag = Flag(after: 2)  // reading the program, before the statement
        session.interruptRequested = { flag.ask() }
        guard case .failed(let diagnostic) = session.run(source: "data circles n=1000000") else {
            Issue.record("not stopped")
            return
        }
        #expect(diagnostic.message == "interrupted while making the data set: the data is as it was")
        session.interruptRequested = { false }
        try #require(session.run(source: "print rows(X)") == .completed)
        #expect(transcript.lines.last == "4")
    }

    @Test(arguments: ["print v", "v", "print 1, m"])
    func printingAHugeValueStops(_ statement: String) throws {
        let setup = "set print_limit 0\nv = range(0, 200000)\nm = transpose(v)"
        let message = try Self.failure(of: statement, after: setup, polls: 1)
        #expect(message == "interrupted while formatting 200000 numbers: nothing was printed")
    }

    @Test func printingASummaryIsNotAsked() throws {
        let (session, transcript) = makeSession()
        try #require(session.run(source: "v = range(0, 200000)") == .completed)
        let flag = Flag(after: 100)
        session.interruptRequested = { flag.ask() }
        try #require(session.run(source: "print v") == .completed)
        #expect(flag.questions == 2, "asked only before reading and before the statement")
        #expect(transcript.lines.first?.hasPrefix("[     0,      1,      2, …") == true, "\(transcript.lines)")
    }

    /// The lexer asks between tokens, the parser between statements: nothing runs.
    @Test func readingAHugeProgramStops() {
        let lexed = Parser.parse("print 1\nprint 2", shouldStop: { true })
        #expect(lexed.statements.isEmpty)
        #expect(lexed.diagnostics.map(\.message) == ["interrupted while reading the program: nothing ran"])
        // 60,001 tokens: the lexer asks once; the parser's 60,000 steps reach the second question.
        var questions = 0
        let parsed = Parser.parse(String(repeating: "1\n", count: 30_000), shouldStop: { questions += 1; return questions > 1 })
        #expect(parsed.statements.isEmpty)
        #expect(parsed.diagnostics.map(\.message) == ["interrupted while reading the program: nothing ran"])
        #expect((parsed.diagnostics.first?.span?.start.line ?? 0) > 1_000, "stopped in the parser, part of the way")
        #expect(parsed.wasStopped && lexed.wasStopped)
        let (session, transcript) = makeSession()
        session.interruptRequested = { true }
        #expect(session.run(source: "print 1") == .interrupted)
        #expect(transcript.lines.isEmpty)
    }

    /// A CSV file is read a record at a time, asking every 4096 records; a FANN file a line at a time.
    @Test func readingABigDataFileStops() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/big.csv"
        try FileAccess.writeFile(path, Array(("a,y\n" + String(repeating: "1,0\n2,1\n", count: 5_000)).utf8)).get()
        let fann = folder + "/big.data"
        try FileAccess.writeFile(fann, Array(("5000 1 1\n" + String(repeating: "1\n0\n", count: 5_000)).utf8)).get()
        let (session, transcript) = makeSession()
        try #require(session.run(source: "data xor\ninput 2\nlayer 1 sigmoid") == .completed)
        for (statement, message) in [("data \"\(path)\"", "interrupted while reading '\(path)': the data is as it was"),
                                     ("data \"\(fann)\"", "interrupted while reading '\(fann)': the data is as it was"),
                                     ("predict \"\(path)\"", "interrupted while reading '\(path)'")] {
            let flag = Flag(after: 3)  // reading the program, before the statement, the first record
            session.interruptRequested = { flag.ask() }
            guard case .failed(let diagnostic) = session.run(source: statement) else {
                Issue.record("\(statement) was not stopped")
                continue
            }
            #expect(diagnostic.message == message)
            #expect(flag.questions == 4, "asked once more, after 4096 records")
        }
        session.interruptRequested = { false }
        try #require(session.run(source: "print rows(X)") == .completed)
        #expect(transcript.lines.last == "4")
    }

    @Test func saveAndLoadStop() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { _ = DataTestSupport.listing(folder).map { unlink(folder + "/" + $0) }; rmdir(folder) }
        let network = "input 2\nlayer 3 tanh\nlayer 1"
        #expect(try Self.failure(of: "save \"\(folder)/m.nnm\"", after: network, polls: 1) == "interrupted while saving: no file was written")
        #expect(DataTestSupport.listing(folder).isEmpty)
        let (session, transcript) = makeSession()
        try #require(session.run(source: network + "\nsave \"\(folder)/m.nnm\"\nclear\ninput 5\nlayer 2") == .completed)
        let flag = Flag(after: 2)  // reading the program, before the statement
        session.interruptRequested = { flag.ask() }
        guard case .failed(let diagnostic) = session.run(source: "load \"\(folder)/m.nnm\"") else {
            Issue.record("load was not stopped")
            return
        }
        #expect(diagnostic.message == "interrupted while loading: the network is as it was")
        session.interruptRequested = { false }
        try #require(session.run(source: "print rows(W1), cols(W1)") == .completed)
        #expect(transcript.lines.last == "2 5")
    }

    @Test func theEngineReturnsWhatItChecked() {
        var generator = SeededGenerator(seed: 1)
        var network = Network(inputCount: 2)
        network.appendLayer(units: 2, activation: .tanh, generator: &generator)
        var asked = 0
        let result = GradientCheck.run(network: network, inputs: Matrix([[1, 2]]), targets: Matrix([[0, 1]]), loss: .mse,
                                       shouldContinue: { asked += 1; return asked <= 2 })
        #expect(result.wasStopped)
        #expect(result.entries.count == 2)
    }
}
