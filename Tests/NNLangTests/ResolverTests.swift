import Foundation
import NNEngine
import Testing
@testable import NNLang

/// The resolver and the evaluator of resolved code: names resolved once before a statement
/// runs mean what they meant when they were looked up at every use, and the resolved path
/// gives the general path's values and diagnostics.
@Suite("Resolver")
struct ResolverTests {
    /// Runs `setup`, then `source`; the transcript and how the source ended.
    static func run(_ source: String, after setup: String = "") throws -> (session: Session, lines: [String], outcome: ExecutionOutcome) {
        let (session, transcript) = makeSession()
        try #require(session.run(source: setup) == .completed, "\(transcript.lines)")
        transcript.lines = []
        let outcome = session.run(source: source)
        return (session, transcript.lines, outcome)
    }

    /// The diagnostic `source` fails with.
    static func failure(_ source: String, after setup: String = "") throws -> Diagnostic {
        let outcome = try run(source, after: setup).outcome
        guard case .failed(let diagnostic) = outcome else {
            Issue.record("\(source) did not fail: \(outcome)")
            return Diagnostic(.emptyList, at: nil)
        }
        return diagnostic
    }

    // MARK: - Names

    @Test func aParameterShadowsTheVariableOfItsName() throws {
        let (session, lines, _) = try Self.run("x = 10\ndef f(x) = x + 1\nprint f(1), x\nfor i in [1, 2] { x = f(i) * x }\nprint x")
        #expect(lines == ["2 10", "60"])
        #expect(session.variables["x"] == .scalar(60))
    }

    @Test func aFunctionReadsGlobalsDefinedAfterIt() throws {
        let (_, lines, outcome) = try Self.run("def g(a) = a + k\nk = 5\nprint g(1)\nk = 7\nprint g(1)")
        #expect(outcome == .completed)
        #expect(lines == ["6", "8"])
    }

    @Test func aFunctionCallsFunctionsDefinedAfterItAndRedefined() throws {
        let (_, lines, _) = try Self.run("""
            def h(x) = later(x) * 2
            def later(x) = x + 1
            print h(1)
            def later(x) = x + 10
            print h(1)
            for i in [1, 2] { def later(x) = x * i
            print h(3) }
            """)
        #expect(lines == ["4", "22", "6", "12"])
    }

    @Test func aFunctionNotYetDefinedIsUnknownWithItsSuggestion() throws {
        let diagnostic = try Self.failure("def h(x) = latr(x)\nprint h(1)", after: "def later(x) = x")
        #expect(diagnostic.message == "unknown function 'latr'")
        #expect(diagnostic.hint == "did you mean 'later'?")
        #expect(diagnostic.span == span(1, 12, 16))
    }

    @Test(arguments: ["def r(x) = r(x + 1)", "v = [1, 2]\ndef r(x) = r(x + 1) + v[1]", "v = [1]\ndef r(x) = q(x)\ndef q(y) = r(y) * v[1]"])
    func recursionStopsAtTheLimitOnEitherPath(_ definitions: String) throws {
        let diagnostic = try Self.failure("y = r(1)", after: definitions)
        #expect(diagnostic.problem == .recursionTooDeep(function: definitions.contains("def q") ? "q" : "r", limit: Session.callDepthLimit)
            || diagnostic.problem == .recursionTooDeep(function: "r", limit: Session.callDepthLimit), "\(diagnostic.message)")
        // The depth went back to zero: a call after the failure works.
        let (_, lines, _) = try Self.run("def ok(x) = x * 2\nprint ok(4)", after: definitions)
        #expect(lines == ["8"])
    }

    @Test func namesMadeInsideLoopsAndIfsAreVariablesAfterwards() throws {
        let (session, lines, _) = try Self.run("""
            for i in [1, 2, 3] { if i == 2 { made = i * 10 } else { other = i } }
            print made, other
            for i in [1, 2] { if i == 2 { print seen } ; seen = i }
            repeat 2 { count = 1 + 0 }
            print count
            """)
        #expect(lines == ["20 3", "1", "1"])
        #expect(session.variables["i"] == .scalar(2))
    }

    @Test func aNameUsedBeforeItIsMadeIsUnknownAndLeavesNoVariable() throws {
        let (session, _, outcome) = try Self.run("for i in [1, 2] { print nothere\nnothere = i }")
        guard case .failed(let diagnostic) = outcome else {
            Issue.record("not failed")
            return
        }
        #expect(diagnostic.message == "unknown name 'nothere'")
        #expect(diagnostic.span == span(1, 25, 32))
        #expect(session.variables["nothere"] == nil)
        #expect(!session.variables.keys.contains("nothere"))
        #expect(session.variables.keys == ["i"])
    }

    @Test func parametersNamedLikeNetworkParametersAreTheFunctionsOwn() throws {
        let setup = "input 2\nlayer 1\nw1 = 0.25\nloss mse\ndata x=[[1, 2]] y=[[1]]"
        let (_, lines, outcome) = try Self.run("""
            def f(w1, loss) = w1 + loss
            def g(W1) = W1 * 2
            def h(x) = w1 * x
            print f(1, 2), g(3), h(4), w1
            for i in [1] { print f(i, i), h(i) }
            """, after: setup)
        #expect(outcome == .completed)
        #expect(lines == ["3 6 1 0.25", "2 0.25"])
    }

    @Test func constantsAreVariablesUntilAVariableTakesTheirName() throws {
        let (_, lines, _) = try Self.run("def f(x) = x * e\nprint f(1) == e, pi\nfor i in [1] { e = 2 }\nprint f(1), e")
        #expect(lines == ["1 3.141592654", "2 2"])
    }

    @Test func undoAfterALoopPutsBackTheNetworkBeforeIt() throws {
        let (session, lines, _) = try Self.run("""
            for i in [1, 2, 3] { w1 = i / 10 }
            print w1
            undo
            print w1
            """, after: "input 2\nlayer 1\nw1 = 0.5")
        #expect(lines.first == "0.3")
        #expect(lines.last == "0.5")
        #expect(session.variables["i"] == .scalar(3), "undo keeps variables")
    }

    /// Every loop asks before each iteration: the fifth question (the first is before the
    /// statement) stops iteration 4, after iteration 3 set the variable.
    @Test(arguments: ["for i in range(0, 100) { s = i }", "for i in r { s = i }", "repeat 100 { s = s + 1 }"])
    func loopsStopOnCtrlCBetweenIterations(_ source: String) throws {
        let (session, _) = makeSession()
        try #require(session.run(source: "s = -1\nr = range(0, 100)") == .completed)
        var questions = 0
        session.interruptRequested = {
            questions += 1
            return questions > 4
        }
        guard case .failed(let diagnostic) = session.run(Parser.parse(source).statements) else {
            Issue.record("not stopped")
            return
        }
        #expect(diagnostic.message == "interrupted at iteration 4")
        #expect(diagnostic.span == span(1, 1, source.count + 1))
        #expect(session.variables["s"] == .scalar(2))
    }

    // MARK: - Errors keep their spans

    static let errorCases: [(setup: String, source: String, message: String, hint: String?, span: SourceSpan)] = [
        ("def f(x) = x / 0", "y = f(2)", "division by zero", nil, span(1, 12, 17)),
        ("def f(value) = valeu + 1", "for i in [1] { y = f(i) }", "unknown name 'valeu'", "did you mean 'value'?", span(1, 16, 21)),
        ("def f(x) = x", "print f(1, 2)", "f(x) takes 1 argument, got 2", nil, span(1, 7, 14)),
        ("", "for i in [1, 2] { y = i / (i - 1) }", "division by zero", nil, span(1, 23, 34)),
        ("", "for w5 in [1] { }", "cannot assign to 'w5': it is a command or function name", nil, span(1, 5, 7)),
        ("", "for X in [1] { }", "", nil, span(1, 5, 6)),
        ("", "for true in [1] { }", "cannot assign to 'true': it is a command or function name", nil, span(1, 5, 9)),
        ("", "for i in \"abc\" { }", "expected a vector or matrix to go over, got a string", nil, span(1, 10, 15)),
        ("", "if [1, 2] { }", "", nil, span(1, 4, 10)),
        ("", "repeat 1.5 { }", "expected a whole number ≥ 0 for repeat, got 1.5", nil, span(1, 8, 11)),
        ("", "s = \"text\"", "expected a number, vector or matrix, got a string", nil, span(1, 1, 11)),
        ("", "y = -\"a\"", "expected a number, vector or matrix, got a string", nil, span(1, 6, 9)),
        ("", "y = (-8)^(1/3)", "", nil, span(1, 5, 15)),
        ("", "y = 1e308 * 10", "", nil, span(1, 5, 15)),
        ("", "y = sigmoid(1, 2, 3)", "", nil, span(1, 5, 21)),
    ]

    @Test(arguments: errorCases.indices)
    func errorsPointAtTheirSource(_ index: Int) throws {
        let testCase = Self.errorCases[index]
        let diagnostic = try Self.failure(testCase.source, after: testCase.setup)
        if !testCase.message.isEmpty { #expect(diagnostic.message == testCase.message) }
        if let hint = testCase.hint { #expect(diagnostic.hint == hint) }
        #expect(diagnostic.span == testCase.span, "\(diagnostic.message)")
    }

    // MARK: - The resolved path against the general one

    /// Expressions evaluated both ways: `print EXPR` (resolved, user functions called with their
    /// parameters in a frame) and `Session.evaluate` (the general path: names looked up at each
    /// use, parameters in a dictionary). Values and diagnostics must be the same.
    static let expressions = [
        "1 + 2 * 3 - 4 / 8", "2 ^ 10", "-x", "+x", "0 + (not x)", "0 + (not 0)", "x == 3", "x != 3", "x < 4", "x <= 3", "x > 3", "x >= 4",
        "0 + (x and 0)", "0 + (x or 0)", "0 + (x and nan_ish)", "1 / 0", "0 / 0", "(-8) ^ (1 / 3)", "1e308 * 10", "-1e308 - 1e308", "nan_ish + 1",
        "f(2)", "f(f(2))", "g(2, 3)", "g(x, f(x))", "general(2)", "mixed(2)", "v + x", "v * f(2)", "-v", "sigmoid(x)",
        "max(x, 5)", "max(v)", "sigmoid(1, 2, 3)", "f(1, 2)", "f()", "unknownname + 1", "fx(1)", "e * pi", "true + false",
        "w(1)", "sum(v) + x", "x @ x", "[1, 2] @ [[1], [2]]", "h(0)",
    ]

    static let definitions = """
        x = 3
        v = [1, 2, 3]
        nan_ish = 0 / 1
        def f(x) = x^2 + 1
        def g(a, b) = a * b - f(a)
        def general(x) = v[2] + x
        def mixed(y) = general(y) + f(y) + x
        def w(t) = t / 0
        def h(t) = 1 / t + h2(t)
        def h2(t) = t
        """

    @Test(arguments: expressions)
    func theResolvedPathGivesTheGeneralPathsResult(_ text: String) throws {
        let (session, transcript) = makeSession()
        try #require(session.run(source: Self.definitions) == .completed)
        let parsed = Parser.parse(text)
        guard parsed.diagnostics.isEmpty, case .expression(let expression) = parsed.statements.first?.kind else {
            Issue.record("\(text) does not parse as an expression")
            return
        }
        let general: Result<Value, Diagnostic>
        do { general = .success(try session.evaluate(expression)) } catch { general = .failure(error) }
        let resolved: Result<Value, Diagnostic>
        let (code, root) = Resolver.resolve(parsed.statements[0], in: session)
        guard case .expression(let node, _) = code.statements[root] else {
            Issue.record("\(text) was not resolved as an expression")
            return
        }
        do { resolved = .success(try session.evaluate(node, in: code)) } catch { resolved = .failure(error) }
        switch (general, resolved) {
        case (.success(let a), .success(let b)):
            #expect(a.elements.count == b.elements.count && zip(a.elements, b.elements).allSatisfy { $0.bitPattern == $1.bitPattern },
                    "\(text): \(a) against \(b)")
        case (.failure(let a), .failure(let b)):
            #expect(a == b, "\(text)")
        default:
            Issue.record("\(text): \(general) against \(resolved)")
        }
        #expect(session.locals.isEmpty && session.callDepth == 0 && session.scopes.isEmpty)
        _ = transcript
    }

    @Test func resolvedFunctionsAreFastOnlyWhenTheirWholeBodyIs() throws {
        let (session, _) = makeSession()
        try #require(session.run(source: Self.definitions) == .completed)
        func resolved(_ name: String) -> ResolvedFunction? {
            session.functionSlots[name].flatMap { session.functionTable[$0] }
        }
        #expect(resolved("f")?.body != nil)
        #expect(resolved("g")?.body != nil)
        #expect(resolved("mixed")?.body != nil)
        #expect(resolved("general")?.body == nil, "an index stays general, so the call does")
    }

    // MARK: - Scalar operators

    static let numbers: [Double] = [0, -0.0, 1, -1, 2.5, -2, 0.5, 3, 1e308, -1e308, 1e-320, .infinity, -.infinity, .nan]

    /// Two numbers through `Value.apply(_:_:_:)` on doubles and on scalar values: the same
    /// result, bit for bit, or the same problem.
    @Test(arguments: [BinaryOperator.add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual,
                      .greater, .greaterEqual, .power, .and, .or])
    func scalarOperatorsMatchValueArithmetic(_ operation: BinaryOperator) {
        var checked = 0
        for a in Self.numbers {
            for b in Self.numbers {
                let general: Result<Value, Problem>
                do { general = .success(try Value.apply(operation, .scalar(a), .scalar(b))) } catch { general = .failure(error) }
                let scalar: Result<Double, Problem>
                do { scalar = .success(try Value.apply(operation, a, b)) } catch { scalar = .failure(error) }
                switch (general, scalar) {
                case (.success(.scalar(let x)), .success(let y)):
                    #expect(x.bitPattern == y.bitPattern, "\(a) \(operation.rawValue) \(b): \(x) against \(y)")
                case (.failure(let x), .failure(let y)):
                    #expect(x == y, "\(a) \(operation.rawValue) \(b)")
                default:
                    Issue.record("\(a) \(operation.rawValue) \(b): \(general) against \(scalar)")
                }
                checked += 1
            }
        }
        #expect(checked == Self.numbers.count * Self.numbers.count)
    }

    @Test(arguments: [UnaryOperator.negate, .plus, .not])
    func unaryOperatorsMatchTheVectorForm(_ operation: UnaryOperator) throws {
        let (session, _) = makeSession()
        let vector = try session.apply(operation, to: .vector(Self.numbers), operandSpan: span(1, 1, 2))
        let one = Self.numbers.map { Value.apply(operation, $0) }
        let expected: [Double]
        switch operation {
        case .negate: expected = Self.numbers.map { -$0 }
        case .plus: expected = Self.numbers
        case .not: expected = Self.numbers.map { $0 == 0 ? 1 : 0 }
        }
        #expect(zip(vector.elements, expected).allSatisfy { $0.bitPattern == $1.bitPattern })
        #expect(zip(one, expected).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    // MARK: - for over range(…), made one number at a time

    /// `range`'s numbers and errors, worked by hand: (bounds, count, first, last) or the error.
    static let ranges: [(bounds: [Double], numbers: (count: Int, first: Double, last: Double)?, error: Problem?)] = [
        ([0, 5], (5, 0, 4), nil),
        ([0, 1_000_000], (1_000_000, 0, 999_999), nil),
        ([0.5, 3.7, 0.3], (11, 0.5, 0.5 + 10 * 0.3), nil),
        ([10, 0, -1], (10, 10, 1), nil),
        ([-3, 3, 0.7], (9, -3, -3 + 8 * 0.7), nil),
        ([1e16, 1e16 + 10], (10, 1e16, 1e16 + 8), nil),  // 1e16 + 9 is not a double: it rounds to the even 1e16 + 8
        ([5, 0], nil, .emptyList),
        ([0, 0], nil, .emptyList),
        ([0, 1, 0], nil, .settingOutOfRange(setting: "range's step", range: "a number other than 0", got: "0")),
        ([0, 1, .infinity], nil, .settingOutOfRange(setting: "range's step", range: "a number other than 0", got: "inf")),
        ([0, 1e8], nil, .tooManyElements(count: 100_000_000, limit: 10_000_000)),
        ([0, 1e300], nil, .tooManyElements(count: Int.max, limit: 10_000_000)),
    ]

    /// `RangeSequence`, which `for` walks one number at a time and `range(…)` makes all at once.
    @Test(arguments: ranges.indices)
    func aRangeSequenceGivesTheNumbersAndErrorsWorkedByHand(_ index: Int) {
        let (bounds, numbers, error) = Self.ranges[index]
        do {
            let sequence = try RangeSequence(bounds)
            let made = (0..<sequence.count).map(sequence.element)
            #expect(numbers != nil, "\(bounds) gave \(sequence.count) numbers")
            #expect(made.count == numbers?.count && made.first == numbers?.first && made.last == numbers?.last, "\(bounds)")
            #expect(try Builtins.range(bounds) == .vector(made))
        } catch let problem {
            #expect(problem == error, "\(bounds)")
        }
    }

    /// The loop over `range(…)` written in place and over the same range kept in a variable
    /// (the general loop over a vector): the same iterations, the same diagnostics at the same places.
    @Test(arguments: ["0, 5", "0.5, 3.7, 0.3", "10, 0, -1", "5, 0", "0, 1, 0", "0, 1e9", "0, \"a\"", "0, [1, 2]", "0, nothere"])
    func aLoopOverRangeInPlaceIsALoopOverItsVector(_ bounds: String) throws {
        let body = "{ t = t * 2 + i\nn = n + 1 }"
        let inPlace = try Self.run("t = 0\nn = 0\nfor i in range(\(bounds)) \(body)\nprint t, n")
        let kept = try Self.run("t = 0\nn = 0\nr = range(\(bounds))\nfor i in r \(body)\nprint t, n")
        switch (inPlace.outcome, kept.outcome) {
        case (.completed, .completed):
            #expect(inPlace.lines == kept.lines)
            #expect(inPlace.session.variables["t"] == kept.session.variables["t"])
        case (.failed(let a), .failed(let b)):
            #expect(a.problem == b.problem)
            // `for i in range(` starts at column 10 of line 3, `r = range(` at column 5.
            #expect(a.span?.start.line == 3 && b.span?.start.line == 3)
            #expect(a.span.map { $0.start.column - 5 } == b.span?.start.column)
        default:
            Issue.record("\(bounds): \(inPlace.outcome) against \(kept.outcome)")
        }
    }

    @Test func aLoopOverRangeChecksItsVariableAfterTheBounds() throws {
        #expect(try Self.failure("for w5 in range(0, 2) { }").problem == .assignmentToReservedName("w5"))
        #expect(try Self.failure("for w5 in range(0, 0) { }").problem == .emptyList)
        #expect(try Self.failure("for X in range(0, 2) { }").span == span(1, 5, 6))
    }

    // MARK: - Variables

    @Test func variablesGiveSlotsOnceAndKeepOnlyNamesWithValues() {
        var variables = Variables()
        let a = variables.slot(for: "a")
        #expect(variables.slot(for: "a") == a)
        let b = variables.slot(for: "b")
        #expect(a != b)
        #expect(variables.keys.isEmpty)
        variables["b"] = .scalar(2)
        variables[slot: a] = .scalar(1)
        #expect(variables["a"] == .scalar(1) && variables[slot: b] == .scalar(2))
        #expect(variables.keys == ["a", "b"])
        variables["a"] = nil
        #expect(variables.keys == ["b"])
        variables["never"] = nil
        #expect(variables.slot(for: "c") == 2, "removing a name that had no slot gives it none")
    }
}
