import NNEngine
import Testing
@testable import NNLang

/// Reverse-mode automatic differentiation: every operation's backward against central
/// differences, the notes' examples, the network's backpropagation, and the errors.
@Suite("Autodiff")
struct AutodiffTests {
    /// Values every case can use: scalars, vectors and matrices, with no element at a kink.
    static let setup = """
        s = 0.7
        t = -1.3
        u = [0.5, 0.25, -1]
        v = [0.3, -0.8, 1.2]
        p = [0.4, 1.7, 2.5]
        M = [[0.2, -0.4, 0.9], [1.1, 0.3, -0.6]]
        K = [[0.7, 0.1, -0.3], [0.2, 1.4, 0.5]]
        P = [[0.6, 1.2, 2.1], [0.9, 3.3, 0.45]]
        N = [[0.5, -1.2], [0.8, 0.4], [-0.3, 0.9]]
        def f(a) = tanh(a) * a + 1
        def g(a, b) = sigmoid(a * b) - b
        def h(a) = g(a, a + 1) * f(a)
        def ramp(a) = a * (a > 0)
        """

    /// EXPR and VAR: each operation on scalars, vectors and matrices, and their broadcasting.
    static let cases: [(expression: String, variable: String)] = [
        // + − * / with broadcasting: a scalar with anything, a vector along a matrix's rows.
        ("s + 2 * s", "s"),
        ("sum((M + v)^2)", "v"),
        ("sum((M + v)^2)", "M"),
        ("sum((s + M) * K)", "s"),
        ("sum((v - M)^3)", "v"),
        ("sum((v - M)^3)", "M"),
        ("sum((s - u) * v)", "s"),
        ("sum(M * v * s)", "s"),
        ("sum(M * v * s)", "v"),
        ("sum(M * v * s)", "M"),
        ("sum(M / p)", "p"),
        ("sum(M / p)", "M"),
        ("sum(s / P)", "P"),
        ("sum(s / P)", "s"),
        ("t / s", "s"),
        // ^ in either operand.
        ("s^3", "s"),
        ("sum(v^3)", "v"),
        ("sum(2^v)", "v"),
        ("sum(p^p)", "p"),
        ("sum(P^s)", "s"),
        ("sum(P^0.5)", "P"),
        // @ with numpy vector semantics.
        ("u @ v", "u"),
        ("u @ v", "v"),
        ("sum([0.5, -2] @ M)", "M"),
        ("sum(M @ v)", "v"),
        ("sum(M @ v)", "M"),
        ("sum((M @ N)^2)", "M"),
        ("sum((M @ N)^2)", "N"),
        ("[1, -1] @ (M @ u)", "u"),
        // Unary minus.
        ("sum(-M * K)", "M"),
        ("-s^2", "s"),
        // Activations (the flat ones, step and sign, are checked apart).
        ("sum(linear(M) * K)", "M"),
        ("sum(piecewise_linear(M * 0.4) * K)", "M"),
        ("sum(sigmoid(M) * K)", "M"),
        ("sum(tanh(v))", "v"),
        ("relu(s)", "s"),
        ("sum(relu(M) * K)", "M"),
        ("sum(leaky_relu(M) * K)", "M"),
        ("sum(elu(M) * K)", "M"),
        ("sum(softplus(v) * u)", "v"),
        ("sum(softmax(v) * [1, 2, 3])", "v"),
        ("sum(softmax(M) * K)", "M"),
        ("sigmoid(s)", "s"),
        // Elementary functions.
        ("sum(exp(M) * K)", "M"),
        ("sum(log(P) * K)", "P"),
        ("log(s)", "s"),
        ("sum(sqrt(p))", "p"),
        ("sum(abs(M) * K)", "M"),
        // Reductions and shape.
        ("mean(M * M)", "M"),
        ("mean(v) * s", "s"),
        ("max(v * u)", "v"),
        ("min(M * K)", "M"),
        ("sum(transpose(M) * N)", "M"),
        ("sum(transpose(v) @ [[1, 2, 3]] * M[1,1])", "v"),
        ("sum(transpose(v) @ [[1, 2, 3]] * M[1,1])", "M"),
        // max and min of two values, elementwise and broadcast; the notes' max(0, x), max(x, 0.1x).
        ("sum(max(M, K) * P)", "M"),
        ("sum(max(M, K) * P)", "K"),
        ("sum(max(0, M) * K)", "M"),
        ("sum(max(M, 0.1 * M) * K)", "M"),
        ("sum(min(M, v) * K)", "v"),
        ("sum(min(M, v) * K)", "M"),
        ("sum(max(M, s) * K)", "s"),
        ("min(s, t) * s", "s"),
        // The slope of leaky_relu and elu as a second argument, in either operand.
        ("sum(leaky_relu(M, 0.2) * K)", "M"),
        ("sum(leaky_relu(M, s) * K)", "s"),
        ("sum(elu(M, s) * K)", "M"),
        ("sum(elu(M, s) * K)", "s"),
        // ln, e and pi.
        ("sum(ln(P) * K)", "P"),
        ("ln(s) * e + pi * s", "s"),
        // Indexing and list literals.
        ("M[1,2]^2 + v[2] * M[2,1]", "M"),
        ("M[1,2]^2 + v[2] * M[2,1]", "v"),
        ("sum([s, 2 * s, s^2] * [1, 2, 3])", "s"),
        ("sum([[s, t], [t * s, 1]] @ [1, 2])", "s"),
        ("sum([v, u * v] * M)", "v"),
        // User functions, inlined; a variable used many times; comparisons as constants.
        ("f(s) * f(2 * s)", "s"),
        ("sum(f(M))", "M"),
        ("h(s)", "s"),
        ("sum(g(v, u))", "u"),
        ("ramp(s) + ramp(t)", "s"),
        ("s * s * s + s", "s"),
        ("sum(sigmoid(M @ N) @ [1, 2])", "N"),
        // The variable on both sides of @, and activations of a product whose backward is fused.
        ("sum(tanh(M @ transpose(M)))", "M"),
        ("sum(sigmoid(N @ M))", "M"),
        ("mean(sigmoid(N @ M) * (N @ K))", "N"),
        ("sum(sigmoid(v) * u)", "v"),
    ]

    @Test(arguments: cases)
    func backwardAgreesWithCentralDifferences(_ testCase: (expression: String, variable: String)) throws {
        let session = try Self.session()
        let analytic = try Self.value(of: "grad(\(testCase.expression), \(testCase.variable))", in: session)
        let numeric = try Self.centralDifference(testCase.expression, variable: testCase.variable, in: session)
        let original = try #require(session.variables[testCase.variable])
        #expect(analytic.shapeDescription == original.shapeDescription)
        // A check passes trivially when every gradient is 0: make sure this one is not.
        #expect(analytic.elements.contains { abs($0) > 1e-4 }, "every gradient is 0: \(analytic)")
        for (a, n) in zip(analytic.elements, numeric) {
            #expect(abs(a - n) <= 1e-6 + 1e-6 * max(abs(a), abs(n)), "analytic \(analytic.elements), numeric \(numeric)")
        }
    }

    /// step and sign are flat wherever they are defined: no gradient flows through them.
    @Test(arguments: ["step", "sign"])
    func flatActivationsPassNoGradient(_ name: String) throws {
        let session = try Self.session()
        #expect(try Self.value(of: "grad(sum(\(name)(M) * K), M)", in: session) == .matrix(Matrix(rows: 2, columns: 3)))
    }

    /// (EXPR(VAR + h) − EXPR(VAR − h)) / 2h, one element of VAR at a time.
    static func centralDifference(_ expression: String, variable: String, in session: Session, step: Double = 1e-6) throws -> [Double] {
        let original = try #require(session.variables[variable])
        defer { session.variables[variable] = original }
        var result: [Double] = []
        for index in original.elements.indices {
            var position = 0
            func shifted(_ delta: Double) -> Value {
                position = 0
                return original.map { element in
                    defer { position += 1 }
                    return position == index ? element + delta : element
                }
            }
            session.variables[variable] = shifted(step)
            let plus = try value(of: expression, in: session).elements[0]
            session.variables[variable] = shifted(-step)
            let minus = try value(of: expression, in: session).elements[0]
            result.append((plus - minus) / (2 * step))
        }
        return result
    }

    static func session(_ source: String = setup) throws -> Session {
        let (session, _) = makeSession()
        let outcome = session.run(source: source)
        try #require(outcome == .completed, "setup: \(outcome)")
        return session
    }

    static func value(of source: String, in session: Session) throws -> Value {
        let parsed = Parser.parse(source)
        try #require(parsed.diagnostics.isEmpty, "\(parsed.diagnostics.map(\.message))")
        let statement = try #require(parsed.statements.first)
        guard case .expression(let expression) = statement.kind else { throw Diagnostic(.notAssignable, at: nil) }
        return try session.evaluate(expression)
    }

    static func approximatelyEqual(_ a: Value, _ b: Value, tolerance: Double = 1e-9) -> Bool {
        a.shapeDescription == b.shapeDescription
            && zip(a.elements, b.elements).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
    }

    // MARK: - The notes' examples

    static let noteCases: [(expression: String, expected: String)] = [
        ("grad(x^2, x)", "2 * x"),
        ("grad(sigmoid(x + y), x)", "sigmoid(x + y) * (1 - sigmoid(x + y))"),
        ("grad(sum(A @ W), A)", "[[1, 1], [1, 1]] @ transpose(W)"),
        ("grad(sum(A @ W), W)", "transpose(A) @ [[1, 1], [1, 1]]"),
        ("grad(sum(sigmoid(A @ W)), A)", "(sigmoid(A @ W) * (1 - sigmoid(A @ W))) @ transpose(W)"),
        ("grad(sum(sigmoid(A @ W)), W)", "transpose(A) @ (sigmoid(A @ W) * (1 - sigmoid(A @ W)))"),
        ("deriv(sigmoid, x)", "sigmoid(x) * (1 - sigmoid(x))"),
        ("deriv(cube, x)", "3 * x^2"),
        ("deriv(cube, [1, 2])", "[3, 12]"),
        ("deriv(sum, [1, 2])", "[1, 1]"),
        ("jacobian(swap, [2, 5])", "[[0, 1], [5, 2]]"),
        ("jacobian(cube, x)", "[[3 * x^2]]"),
        ("grad(loss, W1)", "[[0, 0], [0, 0]]"),
        ("grad(x * grad(w5), x)", "grad(w5)"),
    ]

    @Test(arguments: noteCases)
    func notesExamples(_ testCase: (expression: String, expected: String)) throws {
        let session = try Self.session(mazurProgram + """

            x = 1.5
            y = -0.25
            A = [[1, 2, 3], [4, 5, 6]]
            W = [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]
            def cube(a) = a^3
            def swap(v) = [v[2], v[1] * v[2]]
            """)
        let actual = try Self.value(of: testCase.expression, in: session)
        let expected = try Self.value(of: testCase.expected, in: session)
        #expect(Self.approximatelyEqual(actual, expected), "\(actual) != \(expected)")
    }

    /// A product large enough for the kernels and OpenBLAS (37×20 @ 20×19), through the fused
    /// sigmoid backward and the one-sided product gradients, against the closed form.
    @Test func largeProductGradientsAreTheClosedForm() throws {
        let session = try Self.session("""
            B = sin(transpose(range(0, 37)) @ [range(1, 21)] / 10)
            V = cos(transpose(range(0, 20)) @ [range(0, 19)]) / 3
            """)
        let cases = [
            ("grad(sum(sigmoid(B @ V)), V)", "transpose(B) @ (sigmoid(B @ V) * (1 - sigmoid(B @ V)))"),
            ("grad(sum(sigmoid(B @ V)), B)", "(sigmoid(B @ V) * (1 - sigmoid(B @ V))) @ transpose(V)"),
            ("grad(mean(tanh(B @ V)), V)", "transpose(B) @ ((1 - tanh(B @ V)^2) / 703)"),
        ]
        for (expression, closedForm) in cases {
            let actual = try Self.value(of: expression, in: session)
            let expected = try Self.value(of: closedForm, in: session)
            #expect(actual.elements.contains { abs($0) > 1e-3 }, "\(expression): every gradient is 0")
            #expect(Self.approximatelyEqual(actual, expected, tolerance: 1e-13), "\(expression)")
        }
    }

    @Test func derivMatchesNumderiv() throws {
        let session = try Self.session()
        for function in ["f", "sigmoid", "tanh", "softplus", "exp"] {
            let autodiff = try Self.value(of: "deriv(\(function), v)", in: session)
            let numeric = try Self.value(of: "numderiv(\(function), v, 1e-5)", in: session)
            #expect(Self.approximatelyEqual(autodiff, numeric, tolerance: 1e-8), "\(function)")
        }
    }

    // MARK: - The network's backpropagation as an oracle

    /// Networks whose loss, written out as an expression, must differentiate to `grad(PARAM)`.
    static let networks: [(name: String, program: String, loss: String)] = [
        ("Mazur's 2-2-2 sigmoid, sse", mazurProgram,
         "0.5 * sum((Y - sigmoid(sigmoid(X @ transpose(W1) + b1) @ transpose(W2) + b2))^2)"),
        ("3-4-2 tanh and linear, mse, three samples", """
            set seed 3
            input 3
            layer 4 tanh
            layer 2 linear
            loss mse
            data x=[[0.1, 0.2, 0.3], [-0.5, 0.4, 0.9], [1.2, -0.7, 0.05]] y=[[1, 0], [0, 1], [0.5, 0.5]]
            """,
         "mean((Y - (tanh(X @ transpose(W1) + b1) @ transpose(W2) + b2))^2)"),
        ("2-3-3 elu and softmax, cross entropy", """
            set seed 8
            input 2
            layer 3 elu
            layer 3 softmax
            loss cross_entropy
            data x=[[0.3, -1.1], [0.8, 0.2]] y=[[1, 0, 0], [0, 0, 1]]
            """,
         "-sum(Y * log(softmax(elu(X @ transpose(W1) + b1) @ transpose(W2) + b2))) / 2"),
        ("2-3-2-1 softplus, leaky relu, sigmoid, binary cross entropy, sse-free", """
            set seed 11
            input 2
            layer 3 softplus
            layer 2 leaky_relu
            layer 1 sigmoid
            loss binary_cross_entropy
            data x=[[0.3, -1.1], [0.8, 0.2], [-0.4, 0.6]] y=[[1], [0], [1]]
            def out(x) = sigmoid(leaky_relu(softplus(x @ transpose(W1) + b1) @ transpose(W2) + b2) @ transpose(W3) + b3)
            """,
         "-mean(Y * log(out(X)) + (1 - Y) * log(1 - out(X)))"),
    ]

    @Test(arguments: networks)
    func networkLossAsAnExpressionGivesBackpropagation(_ network: (name: String, program: String, loss: String)) throws {
        let session = try Self.session(network.program)
        let layers = try #require(session.workspace.network?.layers.count)
        let loss = try Self.value(of: network.loss, in: session)
        #expect(Self.approximatelyEqual(loss, try Self.value(of: "(loss)", in: session)), "the expression is not the loss")
        for layer in 1...layers {
            for parameter in ["W\(layer)", "b\(layer)"] {
                let autodiff = try Self.value(of: "grad(\(network.loss), \(parameter))", in: session)
                let backpropagation = try Self.value(of: "grad(\(parameter))", in: session)
                #expect(autodiff.elements.contains { abs($0) > 1e-6 }, "\(parameter): every gradient is 0")
                #expect(Self.approximatelyEqual(autodiff, backpropagation), "\(parameter): \(autodiff) vs \(backpropagation)")
            }
        }
    }

    @Test func singleWeightsInTheExpressionAreElementsOfTheirMatrix() throws {
        let session = try Self.session(mazurProgram)
        let gradient = try Self.value(of: "grad(w5 * w6 + W2[2,1], W2)", in: session)
        #expect(gradient == .matrix(Matrix([[0.45, 0.40], [1, 0]])))
    }

    // MARK: - explain grad(EXPR, VAR) and deriv F at X

    /// Runs `source` after `setup` and returns what it printed.
    static func printed(_ source: String, after setup: String = "set precision 4") throws -> [String] {
        let (session, transcript) = makeSession()
        try #require(session.run(source: setup) == .completed)
        let outcome = session.run(source: source)
        try #require(outcome == .completed, "\(outcome)")
        return transcript.lines
    }

    @Test func explainDrawsTheGraphOfAScalarFunction() throws {
        #expect(try Self.printed("x = 0.5\ny = 1\nexplain grad(sigmoid(x + y), x)") == [
            "f = sigmoid(x + y), differentiated with respect to x",
            "forward pass: each node's value, in order",
            "  n1 = x            = 0.5",
            "  n2 = y            = 1  (constant)",
            "  n3 = n1 + n2      = 1.5",
            "  n4 = sigmoid(n3)  = 0.8176",
            "backward pass: each node's adjoint ∂f/∂n, the adjoint of the node using it times the local derivative",
            "  ∂f/∂n4 = 1  (f itself)",
            "  ∂f/∂n3 = ∂f/∂n4 × sigmoid'(n3) = 1 × 0.1491 = 0.1491",
            "  ∂f/∂n1 = ∂f/∂n3 × 1 = 0.1491 × 1 = 0.1491",
            "grad = ∂f/∂x = ∂f/∂n1 = 0.1491",
        ])
    }

    @Test func explainShowsMatrixNodesWithTheirShapes() throws {
        #expect(try Self.printed("A = [[1, 2]]\nW = [[0.5, -1], [0.25, 2]]\nexplain grad(sum(sigmoid(A @ W)), A)") == [
            "f = sum(sigmoid(A @ W)), differentiated with respect to A",
            "forward pass: each node's value, in order",
            "  n1 = A            = [[1, 2]]  (1×2)",
            "  n2 = W            = [[0.5, -1], [0.25, 2]]  (2×2)  (constant)",
            "  n3 = n1 @ n2      = [[1, 3]]  (1×2)",
            "  n4 = sigmoid(n3)  = [[0.7311, 0.9526]]  (1×2)",
            "  n5 = sum(n4)      = 1.684",
            "backward pass: each node's adjoint ∂f/∂n, the adjoint of the node using it times the local derivative",
            "  ∂f/∂n5 = 1  (f itself)",
            "  ∂f/∂n4 = ∂f/∂n5 × 1 (each element) = [[1, 1]]  (1×2)",
            "  ∂f/∂n3 = ∂f/∂n4 ⊙ sigmoid'(n3) = [[0.1966, 0.04518]]  (1×2)",
            "  ∂f/∂n1 = ∂f/∂n3 @ n2ᵀ = [[0.05313, 0.1395]]  (1×2)",
            "grad = ∂f/∂A = ∂f/∂n1 = [[0.05313, 0.1395]]  (1×2)",
        ])
    }

    @Test func explainSumsTheAdjointsOfANodeUsedTwice() throws {
        let lines = try Self.printed("x = 0.5\nexplain grad(x^2 * x, x)")
        #expect(lines.contains("  ∂f/∂n1 = ∂f/∂n3 × n2·n1^(n2 - 1) + ∂f/∂n4 × n3 = 0.5 × 1 + 1 × 0.25 = 0.75"))
        #expect(lines.last == "grad = ∂f/∂x = ∂f/∂n1 = 0.75")
    }

    @Test func explainSaysWhenTheVariableDoesNotReachTheExpression() throws {
        let lines = try Self.printed("x = [1, 2]\ny = 3\nexplain grad(y * 2, x)")
        #expect(lines.last == "grad = ∂f/∂x = [0, 0]  (vector of 2)  (x does not reach f)")
    }

    @Test func explainGradOfOneParameterIsExplainGradParameter() throws {
        let call = try Self.printed("explain grad(W2)", after: mazurProgram)
        let word = try Self.printed("explain grad W2", after: mazurProgram)
        #expect(call == word)
        #expect(!call.isEmpty)
    }

    @Test func derivCommandTakesUserFunctions() throws {
        #expect(try Self.printed("def f(t) = t^3\nderiv f at 2") == [
            "autodiff    f'(2) = 12",
            "numeric     (f(2.001) - f(1.999)) / (2 × 0.001) = 12",
            "difference  1e-6",
        ])
        #expect(try Self.printed("deriv sigmoid at 0")[0] == "analytic    sigmoid'(0) = 0.25")
    }

    @Test func derivCommandKeepsItsActivationMessages() throws {
        let (session, _) = makeSession()
        #expect(session.run(source: "deriv sigmod at 1") == .failed(Diagnostic(.unknownWord(kind: "activation", name: "sigmod", suggestion: "sigmoid"), at: span(1, 7, 13))))
        #expect(session.run(source: "deriv softmax at 1") == .failed(Diagnostic(
            .expectedValue(what: "an elementwise activation (softmax mixes its inputs: see explain grad)", got: "softmax"), at: span(1, 7, 14))))
    }

    @Test func derivCompletesActivationsAndTheUsersFunctions() throws {
        let session = try Self.session("def sq(t) = t^2")
        let completer = Completer(session: session) { _ in [] }
        #expect(completer.complete("deriv s").candidates == ["sigmoid", "sign", "softmax", "softplus", "sq", "step"])
    }

    // MARK: - Errors

    static let errorCases: [(source: String, message: String)] = [
        ("grad(v, v)", "grad(EXPR, VAR) needs EXPR to be one number, got a vector of 3"),
        ("grad(M @ N, M)", "grad(EXPR, VAR) needs EXPR to be one number, got a 2×2 matrix"),
        ("grad(s^2, 2)", "expected a variable to differentiate with respect to, like x or W1, got an expression"),
        ("grad(s^2, s + 1)", "expected a variable to differentiate with respect to, like x or W1, got an expression"),
        ("grad(s^2, pi)", "expected a variable to differentiate with respect to, like x or W1, got 'pi', which is not a variable"),
        ("grad(s^2, nothing)", "unknown name 'nothing'"),
        ("grad(s^2, sigmoid)", "expected a value, got the function 'sigmoid' (call it: sigmoid(…))"),
        ("grad(grad(s^2, s), s)", "'grad' inside grad(EXPR, VAR) is not supported: nn does not take derivatives of derivatives"),
        ("grad(deriv(f, s), s)", "'deriv' inside grad(EXPR, VAR) is not supported: nn does not take derivatives of derivatives"),
        ("grad(\"text\", s)", "expected a number, vector or matrix, got a string"),
        ("grad(sum(M @ M), M)", "cannot multiply a 2×3 matrix by a 2×3 matrix: inner sizes differ"),
        ("grad(log(t), t)", "log of -1.3: log of a negative number is undefined"),
        ("grad(g(s), s)", "g(a, b) takes 2 arguments, got 1"),
        ("grad(exp(s, t), s)", "exp(x) takes 1 argument, got 2"),
        ("grad(sigmod(s), s)", "unknown function 'sigmod'"),
        ("deriv(sigmod, s)", "unknown function 'sigmod'"),
        ("deriv(s, s)", "unknown function 's'"),
        ("deriv(g, s)", "g(a, b) takes 2 arguments, got 1"),
        ("jacobian(f, M)", "expected a number or vector for jacobian's x, got a 2×3 matrix"),
        ("grad(sum(max(v, N)), v)", "cannot compare a vector of 3 and a 3×2 matrix"),
        ("grad(sum(leaky_relu(M, v)), M)", "expected one finite number for leaky_relu's alpha, got a vector of 3"),
        ("grad(sum(softmax(transpose(v))), v)", "softmax of a 3×1 matrix is 1 in every row: softmax normalizes each row, and each row here is one number"),
        ("grad(max(s, t, s), s)", "max(x[, y]) takes 1 to 2 arguments, got 3"),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: (source: String, message: String)) throws {
        let session = try Self.session()
        #expect(throws: Diagnostic.self) { try Self.value(of: testCase.source, in: session) }
        do {
            _ = try Self.value(of: testCase.source, in: session)
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.message == testCase.message)
            #expect(diagnostic.span != nil)
        }
    }

    @Test func recursiveFunctionsStopAtTheCallDepthLimit() throws {
        let session = try Self.session("def forever(a) = forever(a) + 1\nx = 1")
        #expect(throws: Diagnostic.self) { try Self.value(of: "grad(forever(x), x)", in: session) }
    }
}
