import NNEngine
import Testing
@testable import NNLang

@Suite("Session")
struct SessionTests {
    /// Runs `setup`, which must succeed, and returns the session and what it printed.
    static func session(after setup: String) throws -> (Session, Transcript) {
        let (session, transcript) = makeSession()
        let outcome = session.run(source: setup)
        try #require(outcome == .completed, "setup: \(outcome)")
        return (session, transcript)
    }

    /// The value of `source`, an expression, in `session`.
    static func value(of source: String, in session: Session) throws -> Value {
        let statement = try #require(Parser.parse(source).statements.first)
        guard case .expression(let expression) = statement.kind else { throw Diagnostic(.notAssignable, at: nil) }
        return try session.evaluate(expression)
    }

    // MARK: - Mazur's worked example

    @Test func mazurLossAndGradient() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "loss\ngrad w5\ngrad W2[1,1]\nprint grad(w5)") == .completed)
        #expect(transcript.lines == [
            "E = 0.2983711088",
            "∂E/∂w5 = 0.08216704056",
            "∂E/∂W2[1,1] = 0.08216704056",
            "0.08216704056",
        ])
    }

    @Test func mazurForwardPass() throws {
        let (session, transcript) = try Self.session(after: mazurProgram + "\nset precision 6")
        #expect(session.run(source: "forward\nforward [0.05, 0.10]") == .completed)
        #expect(transcript.lines == [
            "z1 = [[0.3775, 0.3925]]", "a1 = [[0.59327, 0.596884]]",
            "z2 = [[1.10591, 1.22492]]", "a2 = [[0.751365, 0.772928]]",
            "z1 = [0.3775, 0.3925]", "a1 = [0.59327, 0.596884]",
            "z2 = [1.10591, 1.22492]", "a2 = [0.751365, 0.772928]",
        ])
    }

    /// w1…w8 after one step at η = 0.5, as the post prints them.
    static let mazurWeightsAfterOneStep = [
        "0.149780716", "0.19956143", "0.24975114", "0.29950229", "0.35891648", "0.408666186", "0.511301270", "0.561370121",
    ]

    @Test func mazurStep() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "step lr=0.5") == .completed)
        #expect(transcript.lines.count == 1)
        #expect(transcript.lines.first?.hasPrefix("E = 0.2983711088 -> ") == true)
        for (index, printed) in Self.mazurWeightsAfterOneStep.enumerated() {
            guard case .scalar(let weight) = try Self.value(of: "w\(index + 1)", in: session) else {
                Issue.record("w\(index + 1) is not a scalar")
                continue
            }
            // Agreement to every digit printed: within half a unit of the last one (at most 5e-9).
            let decimals = printed.count - 2
            let tolerance = Double("0.5e-\(decimals)")! + 1e-15
            #expect(abs(weight - Double(printed)!) <= tolerance, "w\(index + 1) = \(weight), printed \(printed)")
            #expect(abs(weight - Double(printed)!) <= 5e-9)
        }
    }

    // MARK: - Printing

    static let printCases: [(source: String, lines: [String])] = [
        ("1 + 2 * 3", ["7"]),
        ("print 1, 2, 3", ["1 2 3"]),
        ("print \"E =\", 0.5", ["E = 0.5"]),
        ("print \"tab\\there\"", ["tab\there"]),
        ("[1, 2] @ [[1, 2, 3], [4, 5, 6]]", ["[9, 12, 15]"]),
        ("[[1, 2], [3, 4]] @ [1, 1]", ["[3, 7]"]),
        ("[1, 2] @ [3, 4]", ["11"]),
        ("[[1, 2], [3, 4]] + [10, 20]", ["[[11, 22], [13, 24]]"]),
        ("m = [[1, 2], [3, 4]]\nm[2, 1]\nm[1, 2] = 9\nm", ["3", "[[1, 9], [3, 4]]"]),
        ("v = [1, 2, 3]\nv[3] = 0\nprint v, v[1]", ["[1, 2, 0] 1"]),
        ("rate = 0.5\nrate * 2", ["1"]),
        ("sigmoid(0)", ["0.5"]),
        ("softmax([1, 1])", ["[0.5, 0.5]"]),
        ("sum([[1, 2], [3, 4]])", ["10"]),
        ("mean([1, 2, 3, 4])", ["2.5"]),
        ("max([1, 5, 2])\nmin([1, 5, 2])", ["5", "1"]),
        ("transpose([[1, 2]])", ["[[1], [2]]"]),
        ("abs(-2)\nsqrt(16)\nexp(0)\nlog(1)", ["2", "4", "1", "0"]),
        ("relu([-1, 2])", ["[0, 2]"]),
        ("-[1, -2]", ["[-1, 2]"]),
        ("set precision 3\n1 / 3\n2 / 3", ["0.333", "0.667"]),
        ("set precision 17\n0.1", ["0.10000000000000001"]),
        ("1e-5 * 1\n2.5e20 + 0", ["1e-5", "2.5e20"]),
        ("0 * -1", ["0"]),
        ("time print 1", ["1", "time: "]),
        ("x = 1 # comment\nx ; x", ["1", "1"]),
        // The notes' formulas: max and min of two values, ln, e and pi, a slope as an argument.
        ("max(0, [-1, 2])\nmin([[1, 5], [3, 4]], [2, 2])", ["[0, 2]", "[[1, 2], [2, 2]]"]),
        ("x = [-2, 3]\nmax(x, 0.1 * x)", ["[-0.2, 3]"]),
        ("max(3)\nmin(2, 3)", ["3", "2"]),
        ("ln(e)\nln(1)\nround = pi * 1\nround", ["1", "0", "3.141592654"]),
        ("leaky_relu(-2, 0.2)\nleaky_relu(-2)\nelu(-1, 2)", ["-0.4", "-0.02", "-1.264241118"]),
        // A user's own e or pi wins over the constant; true and false stay reserved.
        ("e = 0.5\ne * 2\npi = 3\npi\nfor e in [1, 2] { print e }", ["1", "3", "1", "2"]),
        ("def f(e) = e + 1\nf(2)\ne", ["3", "2.718281828"]),
        ("softmax([[1]])\nsoftmax(transpose([[1], [2]]))", ["[[1]]", "[[0.2689414214, 0.7310585786]]"]),
    ]

    @Test(arguments: printCases)
    func printing(_ testCase: (source: String, lines: [String])) {
        let (session, transcript) = makeSession()
        #expect(session.run(source: testCase.source) == .completed)
        // `time` prints a wall time, which varies: compare the stable prefix.
        #expect(transcript.lines.count == testCase.lines.count)
        for (line, expected) in zip(transcript.lines, testCase.lines) {
            #expect(expected.hasPrefix("time: ") ? line.hasPrefix(expected) && line.hasSuffix(" s") : line == expected)
        }
    }

    @Test func summaryTable() throws {
        let (session, transcript) = try Self.session(after: "input 5\nlayer 10 relu\nlayer 20 sigmoid\nlayer 3 softmax")
        #expect(session.run(source: "summary") == .completed)
        #expect(transcript.lines == [
            "layer  units  activation  weights  parameters",
            "input      5",
            "1         10  relu           10×5          60",
            "2         20  sigmoid       20×10         220",
            "3          3  softmax        3×20          63",
            "total                                     343",
        ])
    }

    @Test func trainingReportsAndReducesTheLoss() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "train epochs=10 lr=0.5") == .completed)
        // In pipe style, a progress line every epoch for ten epochs, then the summary.
        #expect(transcript.lines.count == 11)
        #expect(transcript.lines.first?.hasPrefix("epoch 1/10: loss 0.2984") == true)
        let line = try #require(transcript.lines.last)
        #expect(line.hasPrefix("trained 10 epochs: E = "))
        guard case .scalar(let after) = try Self.value(of: "0 + loss", in: session) else {
            Issue.record("loss is not a scalar")
            return
        }
        #expect(after < 0.2983711088)
        #expect(session.run(source: "train epochs=1") == .completed)
        #expect(transcript.lines.last?.hasPrefix("trained 1 epoch: E = ") == true)
    }

    /// An interruption (Ctrl-C at the prompt) stops `train` after a whole batch: the session
    /// says where it stopped, is not in error, and keeps finite, partly trained parameters.
    @Test func anInterruptedTrainingRunStopsCleanly() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        let before = try #require(session.workspace.network)
        // The session asks once as it reads the text and once before the statement, then
        // train asks before every batch (one per epoch here): the tenth question is epoch 8's.
        var questions = 0
        session.interruptRequested = {
            questions += 1
            return questions > 9
        }
        #expect(session.run(source: "train epochs=1000 lr=0.5") == .completed)
        let line = try #require(transcript.lines.last)
        #expect(line.hasPrefix("interrupted at epoch 8 of 1000: E = "), "\(line)")
        let after = try #require(session.workspace.network)
        #expect(after != before)
        #expect(after.allParametersFinite)
        // With the request still standing, the next statement does not start.
        #expect(session.run(source: "print 1") == .interrupted)
        session.interruptRequested = { false }
        #expect(session.run(source: "train epochs=1") == .completed)
        #expect(transcript.lines.last?.hasPrefix("trained 1 epoch: E = ") == true)
    }

    // MARK: - Runtime errors

    static let classicNetwork = "input 2\nlayer 2 sigmoid\nlayer 2 sigmoid"

    static let runtimeErrorCases: [(setup: String, source: String, message: String, span: SourceSpan)] = [
        ("", "layer 2 sigmoid", "'layer' needs a network: start with 'input N'", span(1, 1, 6)),
        ("", "summary", "'summary' needs a network: start with 'input N'", span(1, 1, 8)),
        ("input 2\nlayer 1", "input 3", "the network already has layers; 'clear' it before choosing a new input size", span(1, 1, 6)),
        ("input 2", "train", "'train' needs at least one layer: add one with 'layer N ACTIVATION'", span(1, 1, 6)),
        ("input 2\nlayer 1", "train epochs=5", "'train' needs data: give it with 'data x=MATRIX y=MATRIX'", span(1, 1, 15)),
        ("input 2\nlayer 1", "loss", "'loss' needs data: give it with 'data x=MATRIX y=MATRIX'", span(1, 1, 5)),
        ("input 2", "data x=[[1, 2, 3]] y=[[1]]", "x has 3 columns but the network takes 2 inputs", span(1, 8, 19)),
        (classicNetwork, "data x=[[1, 2]] y=[[1]]", "y has 1 column but the network has 2 outputs", span(1, 19, 24)),
        ("", "data x=[[1, 2], [3, 4]] y=[[1]]", "x has 2 rows but y has 1", span(1, 27, 32)),
        ("", "data x=[[1, 2]]", "'data' needs y=…", span(1, 1, 16)),
        ("data x=[[1, 2, 3]] y=[[1]]\ninput 2\nlayer 1", "train", "the data's x has 3 columns but the network takes 2 inputs", span(1, 1, 6)),
        ("input 2", "layer 0", "expected a whole number ≥ 1 for the number of units, got 0", span(1, 7, 8)),
        ("input 2", "layer 2000000000", "expected a whole number from 1 to 1000000000 for the number of units, got 2000000000", span(1, 7, 17)),
        ("", "set seed 1.5", "expected a whole number ≥ 0 for the seed, got 1.5", span(1, 10, 13)),
        ("input 2", "layer 2.5", "expected a whole number ≥ 1 for the number of units, got 2.5", span(1, 7, 10)),
        ("input 2", "layer 2 relu alpha=0.1", "option 'alpha' applies to leaky_relu and elu only", span(1, 14, 19)),
        ("input 2", "layer 20000 relu\nlayer 20000", "a layer of 400000000 weights is too large (the limit is 100000000)", span(2, 7, 12)),
        (classicNetwork, "W1 = [[1, 2, 3]]", "cannot assign a 1×3 matrix to W1, which is a 2×2 matrix", span(1, 1, 3)),
        (classicNetwork, "b1 = [1, 2, 3]", "cannot assign a vector of 3 to b1, which is a vector of 2", span(1, 1, 3)),
        (classicNetwork, "W2[1,2] = [1, 2]", "cannot assign a vector of 2 to W2[1,2], which is a scalar", span(1, 1, 3)),
        (classicNetwork, "w9 = 1", "no weight w9: this network has weights w1 to w8", span(1, 1, 3)),
        (classicNetwork, "print w9", "no weight w9: this network has weights w1 to w8", span(1, 7, 9)),
        (classicNetwork, "W3", "no parameter 'W3': the network has layers 1 to 2", span(1, 1, 3)),
        (classicNetwork, "W2[3,1]", "index [3,1] is out of range for W2, a 2×2 matrix", span(1, 1, 8)),
        (classicNetwork, "w1 = 1 / 0", "division by zero", span(1, 6, 11)),
        ("", "w5 = 0.4", "'w5' names a parameter, but there is no network yet", span(1, 1, 3)),
        (mazurProgram, "step lr=0", "the learning rate must be greater than 0, got 0", span(1, 9, 10)),
        (mazurProgram, "step lr=-0.5", "the learning rate must be greater than 0, got -0.5", span(1, 9, 13)),
        (mazurProgram, "train lr=0", "the learning rate must be greater than 0, got 0", span(1, 10, 11)),
        ("", "set lr 0", "the learning rate must be greater than 0, got 0", span(1, 8, 9)),
        (mazurProgram, "train epochs=-1", "epochs must be 0 or more, got -1", span(1, 14, 16)),
        (mazurProgram, "train epochs=1.5", "expected a whole number ≥ 0 for epochs, got 1.5", span(1, 14, 17)),
        (mazurProgram, "train batch=0", "expected a whole number ≥ 1 for batch, got 0", span(1, 13, 14)),
        ("", "1 / 0", "division by zero", span(1, 1, 6)),
        ("", "print [1, 2] / [1, 0]", "division by zero", span(1, 7, 22)),
        ("", "log(-1)", "log of -1: log of a negative number is undefined", span(1, 1, 8)),
        ("", "log([1, 0])", "log of 0: log of zero is minus infinity", span(1, 1, 12)),
        ("", "sqrt(-4)", "sqrt of -4: square root of a negative number is undefined", span(1, 1, 9)),
        ("", "exp(1000)", "exp overflowed to infinity", span(1, 1, 10)),
        ("", "sigmoid(1, 2)", "sigmoid(x) takes 1 argument, got 2", span(1, 1, 14)),
        ("", "sigmod(1)", "unknown function 'sigmod'", span(1, 1, 7)),
        ("", "x = sigmoid", "expected a value, got the function 'sigmoid' (call it: sigmoid(…))", span(1, 5, 12)),
        ("rate = 0.5", "print rat", "unknown name 'rat'", span(1, 7, 10)),
        ("rate = 0.5", "rate[1]", "expected a vector or matrix to index, got a scalar", span(1, 1, 8)),
        ("v = [1, 2]", "v[3]", "index [3] is out of range for v, a vector of 2", span(1, 1, 5)),
        ("v = [1, 2]", "v[0]", "expected a whole number ≥ 1 for an index, got 0", span(1, 3, 4)),
        ("v = [1, 2]", "v[1] = [1, 2]", "expected a number for one element, got a vector of 2", span(1, 1, 14)),
        ("", "q[1] = 2", "unknown name 'q'", span(1, 1, 2)),
        ("", "x = \"text\"", "expected a number, vector or matrix, got a string", span(1, 1, 11)),
        ("", "-\"text\"", "expected a number, vector or matrix, got a string", span(1, 2, 8)),
        ("", "x = [[1, 2], [3]]", "row 2 has 1 element but row 1 has 2", span(1, 14, 17)),
        ("", "x = [[[1]]]", "nn values are scalars, vectors and matrices: brackets nest at most two deep", span(1, 6, 11)),
        ("", "x = [[1], 2]", "expected a row like [1, 2] in a matrix, got a scalar", span(1, 11, 12)),
        ("", "x = []", "empty brackets: a vector needs at least one element", span(1, 5, 7)),
        ("", "set precision 0", "expected a whole number ≥ 1 for precision, got 0", span(1, 15, 16)),
        ("", "set precision 18", "expected a whole number from 1 to 17 for precision, got 18", span(1, 15, 17)),
        ("", "set precision 2.5", "expected a whole number ≥ 1 for precision, got 2.5", span(1, 15, 18)),
        ("", "loss huber delta=0", "delta must be greater than 0, got 0", span(1, 18, 19)),
        ("", "loss sse delta=1", "option 'delta' applies to huber and pseudo_huber only", span(1, 10, 15)),
        ("", "loss delta=1", "'loss' needs a loss name before delta=", span(1, 6, 11)),
        (classicNetwork, "predict [1, 2, 3]", "the input has 3 columns but the network takes 2 inputs", span(1, 9, 18)),
        (classicNetwork, "forward", "'forward' needs data: give it with 'data x=MATRIX y=MATRIX'", span(1, 1, 8)),
        (classicNetwork, "predict(1 / 0)", "division by zero", span(1, 9, 14)),
        (mazurProgram, "grad(W3)", "no parameter 'W3': the network has layers 1 to 2", span(1, 6, 8)),
        ("", "z = [[1], [2], [3]]\nsoftmax(z)", "softmax of a 3×1 matrix is 1 in every row: softmax normalizes each row, and each row here is one number", span(2, 1, 11)),
        ("", "max([1, 2], [1, 2, 3])", "cannot compare a vector of 2 and a vector of 3", span(1, 1, 23)),
        ("", "elu(1, 1 / 0)", "division by zero", span(1, 8, 13)),
        ("", "plot lost", "unknown name 'lost'", span(1, 6, 10)),
        ("rate = 1", "plot rats", "unknown name 'rats'", span(1, 6, 10)),
    ]

    @Test(arguments: runtimeErrorCases)
    func runtimeErrors(_ testCase: (setup: String, source: String, message: String, span: SourceSpan)) throws {
        let (session, _) = try Self.session(after: testCase.setup)
        let outcome = session.run(source: testCase.source)
        guard case .failed(let diagnostic) = outcome else {
            Issue.record("expected a runtime error, got \(outcome)")
            return
        }
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.span == testCase.span)
    }

    @Test func unknownNamesSuggestVariablesAndFunctions() throws {
        let (session, _) = try Self.session(after: "rate = 0.5")
        for (source, hint) in [("rat", "did you mean 'rate'?"), ("los", "did you mean 'loss'?"), ("sigmod(1)", "did you mean 'sigmoid'?")] {
            guard case .failed(let diagnostic) = session.run(source: source) else {
                Issue.record("no error for \(source)")
                continue
            }
            #expect(diagnostic.hint == hint)
        }
    }

    @Test func aSyntaxErrorRunsNothing() {
        let (session, transcript) = makeSession()
        let outcome = session.run(source: "print 1\nx = [1 2]\nprint 2")
        guard case .syntaxErrors(let diagnostics) = outcome else {
            Issue.record("expected syntax errors, got \(outcome)")
            return
        }
        #expect(diagnostics.count == 1)
        #expect(transcript.lines.isEmpty)
    }

    @Test func aRuntimeErrorStopsTheProgramButKeepsTheSessionState() throws {
        let (session, transcript) = try Self.session(after: Self.classicNetwork + "\nrate = 0.5")
        let outcome = session.run(source: "w1 = 0.7\nprint 1\nprint 1 / 0\nw1 = 0.9\nrate = 2")
        guard case .failed(let diagnostic) = outcome else {
            Issue.record("expected a runtime error, got \(outcome)")
            return
        }
        #expect(diagnostic.span?.start.line == 3)
        #expect(transcript.lines == ["1"])
        #expect(try Self.value(of: "w1", in: session) == .scalar(0.7))
        #expect(try Self.value(of: "rate", in: session) == .scalar(0.5))
        #expect(session.workspace.network?.layers.count == 2)
        #expect(session.run(source: "print w1 + rate") == .completed)
        #expect(transcript.lines == ["1", "1.2"])
    }

    @Test func aFailedAssignmentChangesNothing() throws {
        let (session, _) = try Self.session(after: Self.classicNetwork)
        let before = try #require(session.workspace.network)
        _ = session.run(source: "W1 = [[1, 2, 3]]")
        _ = session.run(source: "W1 = [[1, 1 / 0], [1, 1]]")
        _ = session.run(source: "b1 = [1, 2] * 1e308 * 10")
        #expect(session.workspace.network == before)
    }

    @Test func trainingDivergenceNamesTheEpochAndKeepsFiniteParameters() throws {
        let setup = "input 1\nlayer 1\ndata x=[[1], [2], [3]] y=[[2], [4], [6]]"
        let (session, _) = try Self.session(after: setup)
        let outcome = session.run(source: "train epochs=1000 lr=1e10")
        guard case .failed(let diagnostic) = outcome else {
            Issue.record("expected divergence, got \(outcome)")
            return
        }
        #expect(diagnostic.span == span(1, 1, 26))
        let prefix = "training diverged at epoch "
        let suffix = ": the loss or a parameter became NaN or infinite; the parameters from before that epoch are kept"
        #expect(diagnostic.message.hasPrefix(prefix))
        #expect(diagnostic.message.hasSuffix(suffix))
        let epochText = diagnostic.message.dropFirst(prefix.count).dropLast(suffix.count)
        let epoch = try #require(Int(epochText))
        let network = try #require(session.workspace.network)
        #expect(network.allParametersFinite)
        #expect(epoch > 1)

        // The epoch named is the first that fails: the epochs before it train cleanly
        // to the very parameters the failed run kept.
        let (replay, replayTranscript) = try Self.session(after: setup)
        #expect(replay.run(source: "train epochs=\(epoch - 1) lr=1e10") == .completed)
        #expect(replayTranscript.lines.last?.hasPrefix("trained \(epoch - 1) epoch") == true)
        #expect(replay.workspace.network == network)
        #expect(replay.run(source: "train epochs=1 lr=1e10") == .failed(Diagnostic(.diverged(epoch: 1), at: span(1, 1, 23))))
    }

    @Test func aStepThatWouldBlowUpChangesNothing() throws {
        let (session, _) = try Self.session(after: "input 1\nlayer 1\ndata x=[[1]] y=[[1e150]]")
        let before = try #require(session.workspace.network)
        #expect(session.run(source: "step lr=1e300") == .failed(Diagnostic(.stepNotFinite, at: span(1, 1, 14))))
        #expect(session.workspace.network == before)
    }

    @Test(arguments: ["quit", "exit", "time quit"])
    func quitStopsTheProgram(_ word: String) {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "print 1\n\(word)\nprint 2") == .quit)
        #expect(transcript.lines.first == "1")
        #expect(!transcript.lines.contains("2"))
    }

    @Test func clearRemovesTheNetworkAndData() throws {
        let (session, _) = try Self.session(after: mazurProgram + "\nclear\ninput 3")
        #expect(session.workspace.network?.inputCount == 3)
        #expect(session.workspace.network?.layers.isEmpty == true)
        #expect(session.workspace.dataSet == nil)
    }

    @Test func resetReinitializesFromTheSeed() throws {
        let (first, _) = try Self.session(after: "set seed 7\ninput 2\nlayer 3 relu")
        let (second, _) = try Self.session(after: "set seed 7\ninput 2\nlayer 3 relu\nb1 = 1\nset seed 7\nreset")
        #expect(first.workspace.network == second.workspace.network)
        let (other, _) = try Self.session(after: "set seed 8\ninput 2\nlayer 3 relu")
        #expect(other.workspace.network != first.workspace.network)
    }

    @Test func helpTextComesFromTheCommandTable() {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "help layer") == .completed)
        #expect(transcript.lines.first == "usage: layer N [ACTIVATION] [alpha=X] [init=NAME] [dropout=P] [batchnorm=BOOL]")
        #expect(transcript.lines.contains("  layer 10 leaky_relu alpha=0.1"))
    }

    /// `help` lists every command of the table once, under its group; `help COMMAND` gives
    /// every option with its default; the overviews exist.
    @Test func helpListsEveryCommandByGroupAndEveryOptionWithItsDefault() {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "help") == .completed)
        let text = transcript.lines.joined(separator: "\n")
        for group in CommandGroup.allCases { #expect(text.contains(group.rawValue + ":")) }
        for command in CommandTable.commands {
            #expect(transcript.lines.filter { $0.hasPrefix("  \(command.name) ") }.count == 1, "\(command.name)")
        }
        let before = transcript.lines.count
        #expect(session.run(source: "help train") == .completed)
        let train = transcript.lines[before...]
        #expect(train.contains { $0.hasPrefix("  epochs=N") && $0.hasSuffix("(default: 100)") })
        #expect(train.contains { $0.hasPrefix("  batch=N") && $0.hasSuffix("(default: all)") })
        for topic in HelpTopics.overviews {
            let start = transcript.lines.count
            #expect(session.run(source: "help \(topic)") == .completed)
            #expect(transcript.lines.count - start > 3, "\(topic)")
        }
    }
}
