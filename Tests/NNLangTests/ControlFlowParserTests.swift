import Testing
@testable import NNLang

/// The parser on `def`, `for`, `if`, `repeat`, and the calls of automatic differentiation:
/// the trees it builds and the errors it reports.
@Suite("Parser: control flow and derivatives")
struct ControlFlowParserTests {
    static let treeCases: [(source: String, tree: String)] = [
        ("def f(x) = x^2", "(def f (x) (^ x 2))"),
        ("def g(x, y) = sigmoid(x + y)", "(def g (x y) (call sigmoid (+ x y)))"),
        ("def one() = 1", "(def one () 1)"),
        ("for x in [1, 2] { print x }", "(for x [1 2] {(print x)})"),
        ("for row in M {\n  print row\n  total = total + sum(row)\n}", "(for row M {(print row); (= total (+ total (call sum row)))})"),
        ("for i in range(1, 4) { }", "(for i (call range 1 4) {})"),
        ("if x > 0 { y = 1 }", "(if (> x 0) {(= y 1)})"),
        ("if x > 0 { y = 1 } else { y = 2 }", "(if (> x 0) {(= y 1)} {(= y 2)})"),
        ("if a { 1 } else if b { 2 } else { 3 }", "(if a {1} {(if b {2} {3})})"),
        ("if not a and b or c { }", "(if (or (and (not a) b) c) {})"),
        ("repeat 3 { step }", "(repeat 3 {(step)})"),
        ("repeat n + 1 { x = x * 2; print x }", "(repeat (+ n 1) {(= x (* x 2)); (print x)})"),
        ("for x in v { if x > 0 { repeat 2 { print x } } }", "(for x v {(if (> x 0) {(repeat 2 {(print x)})})})"),
        ("-x^2", "(- (^ x 2))"),
        ("2^3^2", "(^ 2 (^ 3 2))"),
        // Derivatives: grad of an expression, deriv and jacobian of a function.
        ("grad(x^2, x)", "(call grad (^ x 2) x)"),
        ("grad(sum(sigmoid(X @ W)), W)", "(call grad (call sum (call sigmoid (@ X W))) W)"),
        ("deriv(f, 2)", "(call deriv f 2)"),
        ("jacobian(softmax, [1, 2])", "(call jacobian softmax [1 2])"),
        ("deriv f at 2", "(deriv f at 2)"),
        ("deriv sigmoid at 0.5 h=1e-5", "(deriv sigmoid at 0.5 h=1e-05)"),
        // explain's topic word, or a call of grad when '(' follows it directly.
        ("explain grad w5", "(explain grad w5)"),
        ("explain grad W2[1,2]", "(explain grad (index W2 1 2))"),
        ("explain grad(x^2, x)", "(explain (call grad (^ x 2) x))"),
        ("explain grad(sigmoid(x + y), x)", "(explain (call grad (call sigmoid (+ x y)) x))"),
        ("explain forward sample=2", "(explain forward sample=2)"),
    ]

    @Test(arguments: treeCases)
    func trees(_ testCase: (source: String, tree: String)) {
        let result = Parser.parse(testCase.source)
        #expect(result.diagnostics.map(\.message) == [])
        #expect(TreeText.program(result.statements) == testCase.tree)
    }

    static let errorCases: [(source: String, message: String, span: SourceSpan)] = [
        ("for x [1, 2] { print x }", "expected 'in' after 'for x', found '['", span(1, 7, 8)),
        ("for in [1] { }", "expected a name after 'for', found 'in'", span(1, 5, 7)),
        ("for x in [1] print x", "expected '{' to start the block after 'for … in …', found 'print'", span(1, 14, 19)),
        ("for x in [1] { print x ", "expected '}' to close '{' at 1:14, found end of input", span(1, 24, 24)),
        ("if x > 0 {\n  y = 1\n", "expected '}' to close '{' at 1:10, found end of input", span(3, 1, 1)),
        ("if { }", "expected an expression, found '{'", span(1, 4, 5)),
        ("if 1 { x = 1 } else y", "expected '{' to start the block after 'else', found 'y'", span(1, 21, 22)),
        ("else { }", "expected a statement, found 'else'", span(1, 1, 5)),
        ("}", "expected a statement, found '}' with no '{' open", span(1, 1, 2)),
        ("repeat 3 x = 1", "expected '{' to start the block after 'repeat …', found 'x'", span(1, 10, 11)),
        ("repeat { }", "expected an expression, found '{'", span(1, 8, 9)),
        ("def f(x, x) = x", "parameter 'x' given twice", span(1, 10, 11)),
        ("def f x = 1", "expected '(' and the parameters after 'def f', found 'x'", span(1, 7, 8)),
        ("def f(x) x", "expected '=' and the function's expression, found 'x'", span(1, 10, 11)),
        ("def f(1) = 2", "expected a name after '(', found number '1'", span(1, 7, 8)),
        ("def sigmoid(x) = x", "cannot assign to 'sigmoid': it is a command or function name", span(1, 5, 12)),
        ("def grad(x) = x", "cannot assign to 'grad': it is a command or function name", span(1, 5, 9)),
        ("jacobian = 1", "cannot assign to 'jacobian': it is a command or function name", span(1, 1, 9)),
        ("explain grad(x^2, x", "expected ')' to close '(' at 1:13, found end of input", span(1, 20, 20)),
        ("explain forward(1)", "expected an explain topic name, found an expression", span(1, 9, 19)),
        ("deriv 3 at 2", "expected a name, found an expression", span(1, 7, 8)),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: (source: String, message: String, span: SourceSpan)) {
        let result = Parser.parse(testCase.source)
        #expect(result.diagnostics.map(\.message) == [testCase.message])
        #expect(result.diagnostics.first?.span == testCase.span)
    }

    @Test func oneRunReportsEveryBrokenBlockOnce() {
        let source = """
            for x [1] { print x }
            x = 1
            repeat 2 y = 3
            if x { print x } else z
            """
        #expect(Parser.parse(source).diagnostics.map(\.message) == [
            "expected 'in' after 'for x', found '['",
            "expected '{' to start the block after 'repeat …', found 'y'",
            "expected '{' to start the block after 'else', found 'z'",
        ])
    }
}
