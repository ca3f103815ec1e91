import Testing
@testable import NNLang

@Suite("Parser")
struct ParserTests {
    static let treeCases: [(source: String, tree: String)] = [
        // Commands: positional arguments, then key=value options.
        ("input 2", "(input 2)"),
        ("layer 2 sigmoid", "(layer 2 sigmoid)"),
        ("layer 10 leaky_relu alpha=0.1", "(layer 10 leaky_relu alpha=0.1)"),
        ("layer 3", "(layer 3)"),
        ("loss", "(loss)"),
        ("loss huber delta=0.5", "(loss huber delta=0.5)"),
        ("train epochs=100 lr=0.5 batch=2", "(train epochs=100 lr=0.5 batch=2)"),
        ("data x=[[0.05, 0.10]] y=[[0.01, 0.99]]", "(data x=[[0.05 0.1]] y=[[0.01 0.99]])"),
        ("forward [0.05, 0.10]", "(forward [0.05 0.1])"),
        ("print a, b", "(print a b)"),
        ("print a b", "(print a b)"),
        ("print x [1, 2]", "(print x [1 2])"),
        ("print \"E =\", loss", "(print \"E =\" loss)"),
        ("set precision 4", "(set precision 4)"),
        // A word argument is one word, so a sign after it starts the value.
        ("set lr -1", "(set lr (- 1))"),
        ("help layer", "(help layer)"),
        ("help", "(help)"),
        ("time train epochs=1", "(time (train epochs=1))"),
        ("time time summary", "(time (time (summary)))"),
        ("time x = 1", "(time (= x 1))"),
        ("quit", "(quit)"),
        // grad as a command and as a function.
        ("grad w5", "(grad w5)"),
        ("grad W2[1,2]", "(grad (index W2 1 2))"),
        ("grad", "(grad)"),
        ("grad(w5)", "(call grad w5)"),
        ("grad(w5) * 2", "(* (call grad w5) 2)"),
        ("predict([0, 1])", "(call predict [0 1])"),
        ("predict [0, 1]", "(predict [0 1])"),
        // Assignments.
        ("w5 = 0.4", "(= w5 0.4)"),
        ("W2[1,2] = 0.45", "(= (index W2 1 2) 0.45)"),
        ("b1[2] = -1", "(= (index b1 2) (- 1))"),
        ("rate = 0.5", "(= rate 0.5)"),
        ("m = [[1, 2],\n     [3, 4]]", "(= m [[1 2] [3 4]])"),
        // Expressions and precedence.
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("8 / 4 / 2", "(/ (/ 8 4) 2)"),
        ("-2 * 3", "(* (- 2) 3)"),
        ("2 * -3", "(* 2 (- 3))"),
        ("--1", "(- (- 1))"),
        ("+x", "(+ x)"),
        ("-x @ W1", "(@ (- x) W1)"),
        ("a + b @ c", "(+ a (@ b c))"),
        ("a @ b * c", "(* (@ a b) c)"),
        ("x @ W1 + b1", "(+ (@ x W1) b1)"),
        ("sigmoid(0)", "(call sigmoid 0)"),
        ("sigmoid (0)", "(call sigmoid 0)"),
        ("sum(exp([1, 2]))", "(call sum (call exp [1 2]))"),
        ("W2[1, 2]", "(index W2 1 2)"),
        ("v[i + 1]", "(index v (+ i 1))"),
        ("[1, 2,]", "[1 2]"),
        ("[[1, 2], [3, 4]]", "[[1 2] [3 4]]"),
        ("[]", "[]"),
        ("\"text\"", "\"text\""),
        ("1e-3", "0.001"),
        // Separators.
        ("x = 1; y = 2", "(= x 1); (= y 2)"),
        ("\n\n;;x\n\n", "x"),
        ("a # comment\nb", "a; b"),
        ("# nothing", ""),
        ("", ""),
    ]

    @Test(arguments: treeCases)
    func trees(_ testCase: (source: String, tree: String)) {
        let result = Parser.parse(testCase.source)
        #expect(result.diagnostics.map(\.message) == [])
        #expect(TreeText.program(result.statements) == testCase.tree)
        #expect(!result.needsMoreInput)
    }

    static let spanCases: [(source: String, span: SourceSpan)] = [
        ("layer 2 sigmoid", span(1, 1, 16)),
        ("W2[1,2] = 0.45", span(1, 1, 15)),
        ("(1 + 2)", span(1, 1, 8)),
        ("  -x", span(1, 3, 5)),
        ("time train epochs=1", span(1, 1, 20)),
        ("f(1)  # comment", span(1, 1, 5)),
    ]

    @Test(arguments: spanCases)
    func statementSpans(_ testCase: (source: String, span: SourceSpan)) {
        let result = Parser.parse(testCase.source)
        #expect(result.statements.map(\.span) == [testCase.span])
    }

    @Test func commandPartsKeepTheirSpans() throws {
        let statement = try #require(Parser.parse("train epochs=3 lr=0.5").statements.first)
        guard case .command(let command) = statement.kind else {
            Issue.record("not a command: \(statement)")
            return
        }
        #expect(command.nameSpan == span(1, 1, 6))
        #expect(command.options.map(\.nameSpan) == [span(1, 7, 13), span(1, 16, 18)])
        #expect(command.options.map(\.value.span) == [span(1, 14, 15), span(1, 19, 22)])
        #expect(command.option("lr")?.value.kind == .number(0.5))
        #expect(command.option("batch") == nil)
    }

    static let errorCases: [(source: String, message: String, span: SourceSpan, hint: String?)] = [
        ("lyer 2 relu", "unknown command 'lyer'", span(1, 1, 5), "did you mean 'layer'?"),
        ("frobnicate 3", "unknown command 'frobnicate'", span(1, 1, 11), "'help' lists the commands"),
        ("x [1]", "unknown command 'x'", span(1, 1, 2), "'help' lists the commands"),
        ("layer 2 sigmod", "unknown activation 'sigmod'", span(1, 9, 15), "did you mean 'sigmoid'?"),
        ("layer 2 3", "expected an activation name, found an expression", span(1, 9, 10), nil),
        ("loss sse2", "unknown loss 'sse2'", span(1, 6, 10), "did you mean 'sse'?"),
        ("loss 3", "expected a loss name, found an expression", span(1, 6, 7), nil),
        ("set precison 4", "unknown setting 'precison'", span(1, 5, 13), "did you mean 'precision'?"),
        ("help xyzzy", "unknown help topic 'xyzzy'", span(1, 6, 11), nil),
        ("train epoch=3", "unknown option 'epoch' for 'train'", span(1, 7, 12), "did you mean 'epochs'?"),
        ("step speed=3", "unknown option 'speed' for 'step'", span(1, 6, 11), "valid options: lr"),
        ("summary foo=1", "unknown option 'foo' for 'summary'", span(1, 9, 12), "it takes no options"),
        ("train lr=1 lr=2", "option 'lr' given twice", span(1, 12, 14), nil),
        ("layer", "'layer' needs the number of units", span(1, 6, 6), nil),
        ("layer\nx", "'layer' needs the number of units", span(1, 6, 7), nil),
        ("layer alpha=1", "'layer' needs the number of units", span(1, 14, 14), nil),
        ("set precision", "'set' needs a value", span(1, 14, 14), nil),
        ("layer 2 relu -1", "too many arguments for 'layer'", span(1, 14, 16), nil),
        ("time", "'time' needs a statement to run", span(1, 5, 5), nil),
        // As in most expression languages, `lr -1` is the subtraction lr - 1, which leaves `set` one short.
        ("input 2 3", "too many arguments for 'input'", span(1, 9, 10), nil),
        ("layer 2 relu relu", "too many arguments for 'layer'", span(1, 14, 18), nil),
        ("summary 1", "too many arguments for 'summary'", span(1, 9, 10), nil),
        ("grad 3", "'grad' expects a parameter name like w5, W2, b1 or W2[1,2]", span(1, 6, 7), nil),
        ("grad w5[1]", "'grad' expects a parameter name like w5, W2, b1 or W2[1,2]", span(1, 6, 11), nil),
        ("x = [1, 2", "expected ']' to close '[' at 1:5, found end of input", span(1, 10, 10), nil),
        ("x = [1 2]", "expected ']' to close '[' at 1:5, found number '2' (a missing ',' or operator?)", span(1, 8, 9), nil),
        ("x = [[1, 2]\n     [3, 4]]", "expected ']' to close '[' at 1:5, found '[' (a missing ',' or operator?)", span(2, 6, 7), nil),
        // A newline inside brackets separates like a space: this is not the index a[1].
        ("x = [a\n[1]]", "expected ']' to close '[' at 1:5, found '[' (a missing ',' or operator?)", span(2, 1, 2), nil),
        ("W2[1, 2 = 3", "expected ']' to close '[' at 1:3, found '=' (a missing ',' or operator?)", span(1, 9, 10), nil),
        ("(1 + 2", "expected ')' to close '(' at 1:1, found end of input", span(1, 7, 7), nil),
        ("sigmoid(1, 2", "expected ')' to close '(' at 1:8, found end of input", span(1, 13, 13), nil),
        ("(1 + 2]", "expected ')' to close '(' at 1:1, found ']'", span(1, 7, 8), nil),
        ("1 +", "expected an expression, found end of input", span(1, 4, 4), nil),
        ("* 2", "expected an expression, found '*'", span(1, 1, 2), nil),
        ("]", "expected an expression, found ']'", span(1, 1, 2), nil),
        ("x = ", "expected an expression, found end of input", span(1, 5, 5), nil),
        ("1 2", "expected end of statement, found number '2'", span(1, 3, 4), nil),
        ("x = 1 \"s\"", "expected end of statement, found string \"s\"", span(1, 7, 10), nil),
        ("W2[] = 1", "expected an index, found ']'", span(1, 4, 5), nil),
        ("3 = 4", "cannot assign to this expression", span(1, 1, 2), nil),
        ("sigmoid(1) = 4", "cannot assign to this expression", span(1, 1, 11), nil),
        ("sigmoid = 2", "cannot assign to 'sigmoid': it is a command or function name", span(1, 1, 8), nil),
        ("train = 2", "cannot assign to 'train': it is a command or function name", span(1, 1, 6), nil),
        ("x = 10x", "malformed number '10x'", span(1, 5, 8), nil),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: (source: String, message: String, span: SourceSpan, hint: String?)) {
        let result = Parser.parse(testCase.source)
        #expect(result.diagnostics.map(\.message) == [testCase.message])
        #expect(result.diagnostics.first?.span == testCase.span)
        #expect(result.diagnostics.first?.hint == testCase.hint)
    }

    @Test func everyErrorOfAProgramIsReportedOnceInOrder() {
        let source = """
            lyer 2 relu
            input 2
            layer 2 sigmod
            x = 10x
            train epoch=3
            y = [1, 2 3]
            print (1
            """
        let result = Parser.parse(source)
        #expect(result.diagnostics.map(\.message) == [
            "unknown command 'lyer'",
            "unknown activation 'sigmod'",
            "malformed number '10x'",
            "unknown option 'epoch' for 'train'",
            "expected ']' to close '[' at 6:5, found number '3' (a missing ',' or operator?)",
            "expected ')' to close '(' at 7:7, found end of input",
        ])
        #expect(result.diagnostics.map { $0.span?.start.line } == [1, 3, 4, 5, 6, 7])
        #expect(TreeText.program(result.statements) == "(input 2)")
    }

    /// Text the lexer has already reported is not reported again by the parser.
    static let lexicalErrorCases: [(source: String, message: String)] = [
        ("x = 1 10x", "malformed number '10x'"),
        ("x = a.b", "unexpected character '.'"),
        ("print 1 $", "unexpected character '$'"),
        ("lyer $", "unexpected character '$'"),
        ("[1, 2 $]", "unexpected character '$'"),
        ("layer 2 relu alpha=\"x", "unterminated string"),
        ("sigmoid(1 10x)", "malformed number '10x'"),
    ]

    @Test(arguments: lexicalErrorCases)
    func lexicalErrorsAreReportedOnce(_ testCase: (source: String, message: String)) {
        #expect(Parser.parse(testCase.source).diagnostics.map(\.message) == [testCase.message])
    }

    @Test func deepNestingIsOneDiagnosticNotACrash() {
        let source = String(repeating: "[", count: 10_000)
        let result = Parser.parse(source)
        #expect(result.diagnostics.map(\.message) == ["nested too deeply: more than \(Parser.nestingLimit) levels of brackets, blocks or operators"])
        #expect(result.diagnostics.first?.span == span(1, Parser.nestingLimit + 1, Parser.nestingLimit + 2))
        #expect(result.needsMoreInput)
    }

    @Test func nestingJustUnderTheLimitParses() {
        // Each bracket is one level and the statement's own expression another.
        let depth = Parser.nestingLimit - 1
        let source = "x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        let result = Parser.parse(source)
        #expect(result.diagnostics.isEmpty)
        #expect(TreeText.program(result.statements) == "(= x 1)")
    }

    @Test func deepUnaryMinusIsBoundedToo() {
        let result = Parser.parse(String(repeating: "-", count: 10_000) + "1")
        #expect(result.diagnostics.map(\.message) == ["nested too deeply: more than \(Parser.nestingLimit) levels of brackets, blocks or operators"])
    }

    static let moreInputCases: [(source: String, needsMore: Bool)] = [
        ("x = [1, 2", true), ("x = [[1, 2],", true), ("print sigmoid(", true), ("x = [1, 2]", false), ("x = ]", false),
    ]

    @Test(arguments: moreInputCases)
    func needsMoreInput(_ testCase: (source: String, needsMore: Bool)) {
        #expect(Parser.parse(testCase.source).needsMoreInput == testCase.needsMore)
    }

    /// Hostile and broken inputs end with diagnostics rather than a hang or a crash.
    static let brokenInputs = [
        "=", "= = =", ",,,", ")))", "]]]", "[[[", "(((", "time time", "layer = = 2", "train lr=", "train lr= =",
        "print ,", "data x=", "@", "x = = 1", "W2[1,", "grad(", "\"", "1e", "x[", "x[1][2]", "set",
    ]

    @Test(arguments: brokenInputs)
    func brokenInputEndsInDiagnostics(_ source: String) {
        #expect(!Parser.parse(source).diagnostics.isEmpty)
    }

    /// A program over the size limit is one diagnostic, before any of it is lexed.
    @Test func aProgramOverTheSizeLimitIsRefusedBeforeLexing() {
        let huge = String(repeating: "x = 1\n", count: Parser.maximumSourceSize / 6 + 1)
        let result = Parser.parse(huge)
        #expect(result.statements.isEmpty)
        #expect(result.diagnostics.map(\.message) == ["the program is 33554436 bytes, more than nn runs (33554432 bytes): put data in a data file"])
        let fits = String(repeating: "x = 1\n", count: 1000)
        #expect(Parser.parse(fits).diagnostics.isEmpty)
    }
}
