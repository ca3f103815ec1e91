import NNEngine
import Testing
@testable import NNLang

/// Checking and asserting: `gradcheck`, `deriv`, `table`, `expect` and the comparison
/// operators; the worked examples; `snapshot`, `restore` and `undo`.
@Suite("Check commands")
struct CheckTests {
    /// A session after `setup` whose reported diagnostics are collected.
    static func session(after setup: String) throws -> (Session, Transcript, Reports) {
        let (session, transcript) = try SessionTests.session(after: setup)
        let reports = Reports()
        session.report = { reports.diagnostics.append($0) }
        return (session, transcript, reports)
    }

    final class Reports {
        var diagnostics: [Diagnostic] = []
    }

    /// What `source` prints after `setup`; both must succeed.
    static func lines(after setup: String, _ source: String) throws -> [String] {
        try ExplainTests.lines(after: setup, source)
    }

    /// The diagnostic `source` fails with after `setup`.
    static func failure(of source: String, after setup: String) throws -> Diagnostic? {
        let (session, _) = try SessionTests.session(after: setup)
        guard case .failed(let diagnostic) = session.run(source: source) else { return nil }
        return diagnostic
    }

    // MARK: - gradcheck passes backpropagation

    struct GradientCheckCase: CustomStringConvertible, Sendable {
        var hidden: String
        var output: String
        var loss: String
        var description: String { "\(hidden) → \(output), \(loss)" }
        /// The cross-entropies want probabilities for targets.
        var wantsProbabilities: Bool { loss.contains("cross_entropy") }
    }

    static let differentiableActivations = ["linear", "piecewise_linear", "sigmoid", "tanh", "relu", "leaky_relu alpha=0.1", "elu", "softplus", "softmax"]

    /// Every differentiable activation as the hidden layer, under every output and loss that
    /// go together, and every activation as the output layer under sse.
    static let gradientCheckCases: [GradientCheckCase] = differentiableActivations.flatMap { hidden in
        [("linear", "sse"), ("linear", "mse"), ("tanh", "huber delta=0.5"), ("sigmoid", "pseudo_huber delta=0.7"),
         ("softmax", "cross_entropy"), ("sigmoid", "cross_entropy"), ("sigmoid", "binary_cross_entropy")].map {
            GradientCheckCase(hidden: hidden, output: $0.0, loss: $0.1)
        }
    } + differentiableActivations.map { GradientCheckCase(hidden: "tanh", output: $0, loss: "sse") }

    static func program(_ testCase: GradientCheckCase) -> String {
        let targets = testCase.wantsProbabilities ? "[[0.7, 0.3], [0.2, 0.8], [1, 0]]" : "[[0.5, -0.2], [1, 0.3], [-0.4, 0.9]]"
        return """
            set seed 5
            input 3
            layer 4 \(testCase.hidden)
            layer 2 \(testCase.output)
            loss \(testCase.loss)
            b1 = [0.2, -0.1, 0.3, 0.05]
            b2 = [0.1, -0.2]
            data x=[[0.5, -1, 0.25], [1, 0.5, -0.5], [-0.3, 0.8, 1]] y=\(targets)
            """
    }

    /// A large network is checked on a seeded sample of each tensor, and says so; all=true
    /// checks every parameter.
    @Test func gradcheckSamplesLargeTensors() throws {
        let (session, transcript, _) = try Self.session(after: "data blobs n=40 inputs=10 classes=3\ninput 10\nlayer 8 tanh\nlayer 3 softmax\nloss cross_entropy")
        #expect(session.run(source: "gradcheck\ngradcheck all=true") == .completed)
        #expect(transcript.lines.filter { $0.hasPrefix("gradcheck: ") } == [
            // W1's 80 weights sampled; b1 (8), W2 (24) and b2 (3) are small enough to check whole.
            "gradcheck: 65 of 115 parameters (at most 30 of each weight matrix, bias vector, γ and β, drawn with the seed; all=true checks every one), central differences with ε = 1e-6",
            "gradcheck: 115 parameters, central differences with ε = 1e-6",
        ])
        #expect(transcript.lines.filter { $0.hasPrefix("PASS") }.count == 2)
    }

    @Test(arguments: gradientCheckCases)
    func gradcheckPasses(_ testCase: GradientCheckCase) throws {
        let (session, transcript, reports) = try Self.session(after: Self.program(testCase))
        #expect(session.run(source: "gradcheck") == .completed)
        #expect(transcript.lines.count == 3, "\(transcript.lines)")
        #expect(transcript.lines.first == "gradcheck: 26 parameters, central differences with ε = 1e-6")
        #expect(transcript.lines.last == "PASS (tolerance 1e-5)")
        #expect(session.failedExpectations == 0)
        #expect(reports.diagnostics.isEmpty)
        // The same check at the engine, where it must not pass because everything is zero.
        let network = try #require(session.workspace.network)
        let data = try #require(session.workspace.trainingSet)
        let result = GradientCheck.run(network: network, inputs: data.inputs, targets: data.targets, loss: session.workspace.loss)
        #expect(result.passed)
        #expect(!result.allZero)
        #expect(result.entries.filter { $0.layer == 1 }.contains { abs($0.analytic) > 1e-6 })
    }

    // MARK: - gradcheck fails, and says so

    /// relu'(0) is 0 to backpropagation, while the central difference sees half the slope:
    /// at a kink the two disagree, which is what a FAIL is for.
    static let reluAtItsKink = """
        input 1
        layer 1 relu
        layer 1 linear
        W1 = 1
        b1 = 0
        W2 = 1
        b2 = 0
        loss sse
        data x=[[0]] y=[[1]]
        """

    @Test func gradcheckFailsAtAKinkAndTheProgramGoesOn() throws {
        let (session, transcript, reports) = try Self.session(after: Self.reluAtItsKink)
        #expect(session.run(source: "gradcheck\nprint \"after\"") == .completed)
        #expect(transcript.lines == [
            "gradcheck: 4 parameters, central differences with ε = 1e-6",
            "largest relative error 1 at b1[1]: backprop 0, numeric -0.49999975",
            "FAIL (tolerance 1e-5)",
            "after",
        ])
        #expect(session.failedExpectations == 1)
        #expect(reports.diagnostics == [Diagnostic(.gradientCheckFailed(parameter: "b1[1]", error: "1"), at: span(1, 1, 10))])
        #expect(reports.diagnostics.first?.message == "gradient check failed: backpropagation and central differences disagree at b1[1] (relative error 1)")
        #expect(session.run(source: "gradcheck W2") == .completed)
        #expect(session.failedExpectations == 1)
        #expect(session.run(source: "gradcheck b1[1]") == .completed)
        #expect(session.failedExpectations == 2)
        #expect(reports.diagnostics.count == 2)
    }

    /// One gradient-check report, as the session writes it, for gradients the test breaks.
    @Test func theReportOfABrokenGradientNamesItByBothNames() throws {
        let (session, transcript, reports) = try Self.session(after: mazurProgram)
        let network = try #require(session.workspace.network)
        let data = try #require(session.workspace.trainingSet)
        var broken = network.gradients(input: data.inputs, target: data.targets, loss: .sse)
        broken.weights[1][0, 0] *= 2
        let result = GradientCheck.run(network: network, inputs: data.inputs, targets: data.targets, loss: .sse, gradients: broken)
        GradcheckCommand.printResult(result, network: network, epsilon: 1e-6, span: span(3, 1, 10), in: session)
        #expect(transcript.lines.count == 3)
        #expect(transcript.lines[1].hasPrefix("largest relative error 0.333 at W2[1,1] (w5): backprop 0.1643340811, numeric 0.08216704"))
        #expect(transcript.lines[2] == "FAIL (tolerance 1e-5)")
        #expect(session.failedExpectations == 1)
        #expect(reports.diagnostics.map(\.message) == ["gradient check failed: backpropagation and central differences disagree at W2[1,1] (w5) (relative error 0.333)"])
        #expect(reports.diagnostics.first?.span == span(3, 1, 10))
    }

    // MARK: - gradcheck's parameters and options

    static let gradcheckParameterCases: [(source: String, first: String, worstAt: String)] = [
        ("gradcheck w5", "gradcheck: 1 parameter, central differences with ε = 1e-6", " at W2[1,1] (w5): backprop 0.08216704056, numeric 0.0821670"),
        ("gradcheck W2[1,2]", "gradcheck: 1 parameter, central differences with ε = 1e-6", " at W2[1,2] (w6): backprop 0.08266762785, numeric 0.0826676"),
        ("gradcheck W2", "gradcheck: 4 parameters, central differences with ε = 1e-6", " at W2["),
        ("gradcheck b1", "gradcheck: 2 parameters, central differences with ε = 1e-6", " at b1["),
        ("gradcheck", "gradcheck: 12 parameters, central differences with ε = 1e-6", " at "),
        ("gradcheck w5 eps=1e-4", "gradcheck: 1 parameter, central differences with ε = 0.0001", " at W2[1,1] (w5): backprop 0.08216704056, numeric 0.0821670"),
    ]

    @Test(arguments: gradcheckParameterCases)
    func gradcheckParameters(_ testCase: (source: String, first: String, worstAt: String)) throws {
        let printed = try Self.lines(after: mazurProgram, testCase.source)
        #expect(printed.count == 3)
        #expect(printed.first == testCase.first)
        #expect(printed[1].hasPrefix("largest relative error ") && printed[1].contains(testCase.worstAt), "\(printed[1])")
        #expect(printed.last == "PASS (tolerance 1e-5)")
    }

    /// Central differences are off by about ε² times the third derivative: ten times the ε,
    /// a hundred times the error, and at ε = 0.01 more than the tolerance.
    @Test func theErrorGrowsWithEpsilonSquared() throws {
        let (session, transcript, reports) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "gradcheck eps=0.001\ngradcheck eps=0.01") == .completed)
        #expect(transcript.lines == [
            "gradcheck: 12 parameters, central differences with ε = 0.001",
            "largest relative error 1.06e-7 at b2[2]: backprop -0.03809823652, numeric -0.03809824459",
            "PASS (tolerance 1e-5)",
            "gradcheck: 12 parameters, central differences with ε = 0.01",
            "largest relative error 1.06e-5 at b2[2]: backprop -0.03809823652, numeric -0.03809904354",
            "FAIL (tolerance 1e-5)",
        ])
        #expect(reports.diagnostics.map(\.span) == [span(2, 1, 19)])
        #expect(session.failedExpectations == 1)
    }

    /// A network that fits its data exactly: every gradient is 0, so agreement proves little.
    @Test func allZeroGradientsGetANote() throws {
        let printed = try Self.lines(after: "input 1\nlayer 1 linear\nW1 = 2\nb1 = 0\ndata x=[[1]] y=[[2]]", "gradcheck")
        #expect(printed.count == 4)
        #expect(printed[2] == "note: every gradient is 0 here, so agreement proves little; try other data or weights")
        #expect(printed[3] == "PASS (tolerance 1e-5)")
        #expect(!(try Self.lines(after: mazurProgram, "gradcheck")).contains { $0.hasPrefix("note:") })
    }

    static let gradcheckErrorCases: [(setup: String, source: String, message: String, span: SourceSpan)] = [
        ("", "gradcheck", "'gradcheck' needs a network: start with 'input N'", span(1, 1, 10)),
        ("input 2\nlayer 1", "gradcheck", "'gradcheck' needs data: give it with 'data x=MATRIX y=MATRIX'", span(1, 1, 10)),
        (mazurProgram, "gradcheck eps=0", "eps must be greater than 0, got 0", span(1, 15, 16)),
        (mazurProgram, "gradcheck w9", "no weight w9: this network has weights w1 to w8", span(1, 11, 13)),
        (mazurProgram, "gradcheck W3", "no parameter 'W3': the network has layers 1 to 2", span(1, 11, 13)),
    ]

    @Test(arguments: gradcheckErrorCases)
    func gradcheckErrors(_ testCase: (setup: String, source: String, message: String, span: SourceSpan)) throws {
        let diagnostic = try #require(try Self.failure(of: testCase.source, after: testCase.setup))
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.span == testCase.span)
    }

    // MARK: - deriv and table

    static let derivCases: [(source: String, lines: [String])] = [
        ("deriv sigmoid at 0", [
            "analytic    sigmoid'(0) = 0.25",
            "numeric     (sigmoid(0.001) - sigmoid(-0.001)) / (2 × 0.001) = 0.2499999792",
            "difference  2.083336259e-8",
        ]),
        ("set decimals 4\nderiv tanh at 1 h=0.5", [
            "analytic    tanh'(1) = 0.42",
            "numeric     (tanh(1.5) - tanh(0.5)) / (2 × 0.5) = 0.443",
            "difference  0.0231",
        ]),
        ("deriv relu at -2", [
            "analytic    relu'(-2) = 0",
            "numeric     (relu(-1.999) - relu(-2.001)) / (2 × 0.001) = 0",
            "difference  0",
        ]),
    ]

    @Test(arguments: derivCases)
    func deriv(_ testCase: (source: String, lines: [String])) throws {
        #expect(try Self.lines(after: "", testCase.source) == testCase.lines)
    }

    static let tableCases: [(source: String, lines: [String])] = [
        ("table relu from=-1 to=1", [
            " z  relu(z)  relu'(z)",
            "-1        0         0",
            " 0        0         0",
            " 1        1         1",
        ]),
        ("table sigmoid from=0 to=1 step=0.25", [
            "   z    sigmoid(z)   sigmoid'(z)",
            "   0           0.5          0.25",
            "0.25  0.5621765009  0.2461340827",
            " 0.5  0.6224593312  0.2350037122",
            "0.75  0.6791786992  0.2178949938",
            "   1  0.7310585786  0.1966119332",
        ]),
        ("table tanh from=0 to=0", ["z  tanh(z)  tanh'(z)", "0        0         1"]),
        // The last row is the last step that does not pass `to`.
        ("table linear from=0 to=1 step=0.4", ["  z  linear(z)  linear'(z)", "  0          0           1", "0.4        0.4           1", "0.8        0.8           1"]),
    ]

    @Test(arguments: tableCases)
    func table(_ testCase: (source: String, lines: [String])) throws {
        #expect(try Self.lines(after: "", testCase.source) == testCase.lines)
    }

    @Test func tableDefaultsToMinusFourToFour() throws {
        let printed = try Self.lines(after: "", "table sigmoid")
        #expect(printed.count == 10)
        #expect(printed[1].hasPrefix("-4 "))
        #expect(printed.last?.hasPrefix(" 4 ") == true)
    }

    static let derivTableErrorCases: [(source: String, message: String, span: SourceSpan)] = [
        ("deriv softmax at 0", "expected an elementwise activation (softmax mixes its inputs: see explain grad), got softmax", span(1, 7, 14)),
        ("table softmax", "expected an elementwise activation (softmax mixes its inputs: see explain grad), got softmax", span(1, 7, 14)),
        ("deriv relu at 0 h=0", "h must be greater than 0, got 0", span(1, 19, 20)),
        ("deriv relu at [1, 2]", "expected a number for the point, got a vector of 2", span(1, 15, 21)),
        ("table relu step=0", "step must be greater than 0, with from ≤ to and at most 10000 rows, got 0", span(1, 1, 18)),
        ("table relu step=-1", "step must be greater than 0, with from ≤ to and at most 10000 rows, got -1", span(1, 1, 19)),
        ("table relu from=1 to=0", "step must be greater than 0, with from ≤ to and at most 10000 rows, got 1", span(1, 1, 23)),
        ("table relu from=0 to=1 step=1e-5", "step must be greater than 0, with from ≤ to and at most 10000 rows, got 1e-5", span(1, 1, 33)),
    ]

    @Test(arguments: derivTableErrorCases)
    func derivAndTableErrors(_ testCase: (source: String, message: String, span: SourceSpan)) throws {
        let diagnostic = try #require(try Self.failure(of: testCase.source, after: ""))
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.span == testCase.span)
    }

    /// An unknown activation gets a suggestion: from the parser for `table`, whose argument
    /// is always an activation, and when it runs for `deriv`, whose argument may also name a
    /// function defined by then.
    @Test(arguments: ["deriv sigmod at 0", "table sigmod"])
    func unknownActivation(_ source: String) {
        let diagnostics: [Diagnostic]
        switch makeSession().0.run(source: source) {
        case .syntaxErrors(let found): diagnostics = found
        case .failed(let found): diagnostics = [found]
        default:
            Issue.record("expected an error")
            return
        }
        #expect(diagnostics.map(\.message) == ["unknown activation 'sigmod'"])
        #expect(diagnostics.first?.hint == "did you mean 'sigmoid'?")
    }

    // MARK: - expect

    /// Claims that hold, then claims that do not, on scalars, vectors and matrices.
    static let holdingClaims = [
        "expect 1 == 1", "expect 1 == 1.0000005", "expect 1 == 1.001 tol=0.01", "expect 0.5 == 0.5 tol=0",
        "expect 1 != 2", "expect 1 != 1.001 tol=1e-4", "expect 1 < 2", "expect 2 <= 2", "expect 3 > 2", "expect 2 >= 2",
        "expect [1, 2] == [1, 2]", "expect [1, 2] != [1, 3]", "expect [1, 2] < [2, 3]", "expect [1, 2] <= [1, 2]",
        "expect [3, 4] > 2", "expect [[1, 2], [3, 4]] >= 1", "expect [[1, 2], [3, 4]] == [[1, 2], [3, 4.0000001]]",
        "expect [[1, 2], [3, 4]] < [10, 10]", "expect sigmoid(0) == 0.5", "expect -1 < 0",
    ]

    static let failingClaims: [(source: String, message: String)] = [
        ("expect 1 == 2", "expectation failed: expected == 2 (tolerance 1e-6), got 1"),
        ("expect 1 == 1.00001", "expectation failed: expected == 1.00001 (tolerance 1e-6), got 1"),
        ("expect 1 == 1.001 tol=1e-4", "expectation failed: expected == 1.001 (tolerance 0.0001), got 1"),
        ("expect 1 != 1.0000001", "expectation failed: expected != 1.0000001 (tolerance 1e-6), got 1"),
        ("expect 2 < 2", "expectation failed: expected < 2, got 2"),
        ("expect 3 <= 2", "expectation failed: expected <= 2, got 3"),
        ("expect 2 > 2", "expectation failed: expected > 2, got 2"),
        ("expect 1 >= 2", "expectation failed: expected >= 2, got 1"),
        ("expect [1, 2] == [1, 3]", "expectation failed: expected == [1, 3] (tolerance 1e-6), got [1, 2]"),
        ("expect [1, 2] != [1, 2]", "expectation failed: expected != [1, 2] (tolerance 1e-6), got [1, 2]"),
        // Every element must hold.
        ("expect [1, 2] < [3, 1]", "expectation failed: expected < [3, 1], got [1, 2]"),
        ("expect [[1, 2], [3, 4]] > 1", "expectation failed: expected > 1, got [[1, 2], [3, 4]]"),
        ("expect [[1, 2], [3, 4]] <= [[1, 2], [3, 3]]", "expectation failed: expected <= [[1, 2], [3, 3]], got [[1, 2], [3, 4]]"),
    ]

    @Test(arguments: holdingClaims)
    func claimsThatHold(_ source: String) throws {
        let (session, transcript, reports) = try Self.session(after: "")
        #expect(session.run(source: source) == .completed)
        #expect(transcript.lines.isEmpty)
        #expect(reports.diagnostics.isEmpty)
        #expect(session.failedExpectations == 0)
    }

    @Test(arguments: failingClaims)
    func claimsThatFail(_ testCase: (source: String, message: String)) throws {
        let (session, transcript, reports) = try Self.session(after: "")
        #expect(session.run(source: testCase.source + "\nprint \"went on\"") == .completed)
        #expect(transcript.lines == ["went on"])
        #expect(session.failedExpectations == 1)
        #expect(reports.diagnostics.map(\.message) == [testCase.message])
        // The diagnostic points at the claim, after 'expect '.
        let claimEnd = testCase.source.firstRange(of: " tol=")?.lowerBound ?? testCase.source.endIndex
        #expect(reports.diagnostics.first?.span == span(1, 8, testCase.source.distance(from: testCase.source.startIndex, to: claimEnd) + 1))
    }

    @Test func failuresAddUp() throws {
        let (session, _, reports) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "expect loss > 1\nexpect loss < 1\nexpect grad(w5) < 0\nexpect w5 == 0.4") == .completed)
        #expect(session.failedExpectations == 2)
        #expect(reports.diagnostics.map { $0.span?.start.line } == [1, 3])
    }

    static let expectErrorCases: [(source: String, message: String, span: SourceSpan)] = [
        ("expect 1", "expected a comparison like loss < 0.1 or w5 == 0.35891648, got an expression", span(1, 8, 9)),
        ("expect 1 + 2", "expected a comparison like loss < 0.1 or w5 == 0.35891648, got an expression", span(1, 8, 13)),
        ("expect 1 < 2 tol=1", "option 'tol' applies to == and != only", span(1, 14, 17)),
        ("expect 1 >= 2 tol=0.5", "option 'tol' applies to == and != only", span(1, 15, 18)),
        ("expect 1 == 1 tol=-1", "tol must be 0 or more, got -1", span(1, 19, 21)),
        ("expect [1, 2] == [1, 2, 3]", "cannot compare a vector of 2 and a vector of 3", span(1, 8, 27)),
        ("expect [1, 2] < [[1, 2, 3]]", "cannot compare a vector of 2 and a 1×3 matrix", span(1, 8, 28)),
        ("expect [[1, 2]] != [[1], [2]]", "cannot compare a 1×2 matrix and a 2×1 matrix", span(1, 8, 30)),
        ("expect \"a\" == 1", "expected a number, vector or matrix, got a string", span(1, 8, 16)),
        ("expect nothing == 1", "unknown name 'nothing'", span(1, 8, 15)),
    ]

    @Test(arguments: expectErrorCases)
    func expectErrors(_ testCase: (source: String, message: String, span: SourceSpan)) throws {
        let (session, _, reports) = try Self.session(after: "")
        guard case .failed(let diagnostic) = session.run(source: testCase.source) else {
            Issue.record("expected a runtime error")
            return
        }
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.span == testCase.span)
        // An error in the claim is not a failed expectation.
        #expect(session.failedExpectations == 0)
        #expect(reports.diagnostics.isEmpty)
    }

    @Test func atThePromptAPassingExpectationSaysSo() throws {
        let (session, transcript, _) = try Self.session(after: "")
        session.confirmsExpectations = true
        #expect(session.run(source: "expect 1 < 2\nexpect 1 > 2") == .completed)
        #expect(transcript.lines == ["✓"])
        #expect(session.failedExpectations == 1)
    }

    // MARK: - Comparisons in expressions

    static let comparisonCases: [(source: String, printed: String)] = [
        ("print 1 < 2", "1"), ("print 2 < 1", "0"), ("print 2 <= 2", "1"), ("print 1 > 2", "0"), ("print 2 >= 3", "0"),
        ("print 1 == 1", "1"), ("print 1 != 1", "0"), ("print 0.1 + 0.2 == 0.3", "0"),
        ("print [1, 2, 3] < 2", "[1, 0, 0]"), ("print [1, 2] == [1, 3]", "[1, 0]"), ("print [1, 5] >= [2, 5]", "[0, 1]"),
        ("print [[1, 2], [3, 4]] > [2, 2]", "[[0, 0], [1, 1]]"), ("print [[1, 2], [3, 4]] != [[1, 0], [3, 0]]", "[[0, 1], [0, 1]]"),
        // Comparisons bind more loosely than arithmetic.
        ("print 1 + 1 == 2", "1"), ("print 2 * 3 > 5", "1"), ("print (1 < 2) + (3 < 4)", "2"),
    ]

    @Test(arguments: comparisonCases)
    func comparisons(_ testCase: (source: String, printed: String)) throws {
        #expect(try Self.lines(after: "", testCase.source) == [testCase.printed])
    }

    @Test(arguments: ["print 1 < 2 < 3", "print 1 == 1 == 1", "expect 1 < 2 <= 3"])
    func comparisonsDoNotChain(_ source: String) {
        guard case .syntaxErrors(let diagnostics) = makeSession().0.run(source: source) else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.hasPrefix("expected end of the comparison (comparisons do not chain), found '") == true)
    }

    // MARK: - example

    @Test func exampleMazurSetsUpTheWorkedExample() throws {
        let (session, transcript, _) = try Self.session(after: "input 5\nlayer 3\ndata x=[[1, 2, 3, 4, 5], [1, 1, 1, 1, 1]] y=[[1, 2, 3], [1, 1, 1]]\nsplit test=0.5")
        #expect(session.run(source: "example mazur") == .completed)
        #expect(transcript.lines.dropFirst() == ["example mazur: Matt Mazur's \"A Step by Step Backpropagation Example\": a 2-2-2 sigmoid network, sse, one sample; try explain grad w5"])
        let (reference, _) = try SessionTests.session(after: mazurProgram)
        #expect(session.workspace.network == reference.workspace.network)
        #expect(session.workspace.trainingSet == reference.workspace.trainingSet)
        #expect(session.workspace.loss == .sse)
        #expect(session.workspace.split == nil)
    }

    @Test func exampleXorComputesXor() throws {
        let (session, transcript, _) = try Self.session(after: "")
        #expect(session.run(source: "example xor\nprint predict([[0, 0], [0, 1], [1, 0], [1, 1]])") == .completed)
        #expect(transcript.lines.first?.hasPrefix("example xor: XOR by a 2-2-1 sigmoid network") == true)
        let network = try #require(session.workspace.network)
        #expect(network.layers.map(\.units) == [2, 1])
        let data = try #require(session.workspace.trainingSet)
        #expect(data.inputs == Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]))
        #expect(data.targets == Matrix([[0], [1], [1], [0]]))
        let predictions = network.predict(data.inputs).storage
        #expect(predictions.map { $0.rounded() } == [0, 1, 1, 0])
        // Not just rounding luck: each is on its side of ½ by a margin.
        #expect(predictions.allSatisfy { abs($0 - 0.5) > 0.25 })
    }

    @Test func anUnknownExampleIsRefused() {
        guard case .syntaxErrors(let diagnostics) = makeSession().0.run(source: "example fish") else {
            Issue.record("expected an error")
            return
        }
        #expect(diagnostics.map(\.message) == ["unknown example 'fish'"])
    }

    // MARK: - snapshot, restore, undo

    @Test func snapshotAndRestore() throws {
        let (session, transcript, _) = try Self.session(after: mazurProgram)
        let before = try #require(session.workspace.network)
        #expect(session.run(source: "snapshot before\nstep lr=0.5\nw1 = 9") == .completed)
        #expect(transcript.lines.first == "snapshot before: 12 parameters")
        #expect(session.workspace.network != before)
        #expect(session.run(source: "restore before") == .completed)
        #expect(transcript.lines.last == "restored before")
        #expect(session.workspace.network == before)
        // A snapshot is a copy: changing the network after does not change it.
        #expect(session.run(source: "w1 = 7\nrestore before") == .completed)
        #expect(session.workspace.network == before)
    }

    @Test func restoringAnUnknownSnapshotSuggestsOne() throws {
        let (session, _, _) = try Self.session(after: mazurProgram + "\nsnapshot before")
        #expect(session.run(source: "restore befor") == .failed(Diagnostic(.unknownName("befor", suggestion: "before"), at: span(1, 9, 14))))
        #expect(session.run(source: "restore other") == .failed(Diagnostic(.unknownName("other", suggestion: nil), at: span(1, 9, 14))))
    }

    @Test func snapshotNeedsANetwork() throws {
        #expect(try Self.failure(of: "snapshot a", after: "")?.message == "'snapshot' needs a network: start with 'input N'")
    }

    /// Each statement that changes the network, and what undo says of it.
    static let undoCases: [(change: String, said: String)] = [
        ("step lr=0.5", "undone: step (line 1)"),
        ("train epochs=3 lr=0.5 quiet=true", "undone: train (line 1)"),
        ("w5 = 1", "undone: w5 = … (line 1)"),
        ("W2[1,2] = -1", "undone: W2 = … (line 1)"),
        ("b1 = [1, 2]", "undone: b1 = … (line 1)"),
        ("layer 3 tanh", "undone: layer (line 1)"),
        ("explain step lr=0.5", "undone: explain (line 1)"),
        ("restore before", "undone: restore (line 1)"),
        ("example xor", "undone: example (line 1)"),
        ("reset", "undone: reset (line 1)"),
    ]

    @Test(arguments: undoCases)
    func undoRevertsExactly(_ testCase: (change: String, said: String)) throws {
        let (session, transcript, _) = try Self.session(after: "set seed 2\ninput 2\nlayer 2 sigmoid\nlayer 2 sigmoid\nsnapshot before\n" + mazurProgram.split(separator: "\n").dropFirst(3).joined(separator: "\n"))
        let before = try #require(session.workspace.network)
        #expect(session.run(source: testCase.change) == .completed)
        #expect(session.workspace.network != before, "\(testCase.change) changed nothing")
        #expect(session.run(source: "undo") == .completed)
        #expect(transcript.lines.last == testCase.said)
        #expect(session.workspace.network == before)
    }

    @Test func undoGoesBackOneChangeAtATimeAndSkipsStatementsThatChangeNothing() throws {
        let (session, transcript, _) = try Self.session(after: "")
        #expect(session.run(source: "input 2\nlayer 2\nprint 1\nsummary\nW1 = 0\nlayer 1") == .completed)
        let states = (0..<3).map { _ -> Network? in
            #expect(session.run(source: "undo") == .completed)
            return session.workspace.network
        }
        #expect(transcript.lines.suffix(3) == ["undone: layer (line 6)", "undone: W1 = … (line 5)", "undone: layer (line 2)"])
        #expect(states[0]?.layers.count == 1)
        #expect(states[1]?.layers.count == 1)
        #expect(states[2]?.layers.isEmpty == true)
        #expect(session.run(source: "undo") == .completed)
        #expect(session.workspace.network == nil)
        #expect(session.run(source: "undo") == .failed(Diagnostic(.nothingToUndo, at: span(1, 1, 5))))
    }

    @Test func undoWithNothingToUndo() throws {
        let (session, _, _) = try Self.session(after: "")
        guard case .failed(let diagnostic) = session.run(source: "undo") else {
            Issue.record("undo with nothing to undo succeeded")
            return
        }
        #expect(diagnostic.message == "nothing to undo: no statement has changed the network yet")
    }

    /// The last 20 changes are kept; the 21st from the end is gone.
    @Test func undoRemembersTwentyChanges() throws {
        let (session, _, _) = try Self.session(after: "input 1\nlayer 1 linear")
        for value in 1...25 { #expect(session.run(source: "W1 = \(value)") == .completed) }
        for _ in 1...20 { #expect(session.run(source: "undo") == .completed) }
        #expect(try SessionTests.value(of: "w1", in: session) == .scalar(5))
        #expect(session.run(source: "undo") == .failed(Diagnostic(.nothingToUndo, at: span(1, 1, 5))))
        #expect(try SessionTests.value(of: "w1", in: session) == .scalar(5))
    }
}
