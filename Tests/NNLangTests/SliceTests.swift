import NNEngine
import Testing
@testable import NNLang

/// Slices (`X[:, 1]`, `X[2:5, :]`, `X[:, [1, 3]]`), 1-based and inclusive like every index, and
/// joining (`hcat`, `vcat`, `rows`, `cols`), as values and under `grad(EXPR, VAR)`.
@Suite("Slices and joins")
struct SliceTests {
    static let matrix = "M = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]\nv = [10, 20, 30, 40]\n"

    @Test(arguments: [
        ("M[:, 1]", "[1, 4, 7, 10]"),
        ("M[2, :]", "[4, 5, 6]"),
        ("M[2:3, :]", "[[4, 5, 6], [7, 8, 9]]"),
        ("M[:, [1, 3]]", "[[1, 3], [4, 6], [7, 9], [10, 12]]"),
        ("M[3:, 2:]", "[[8, 9], [11, 12]]"),
        ("M[:2, 3]", "[3, 6]"),
        ("M[[4, 1], 2]", "[11, 2]"),
        ("M[2:2, 2:2]", "[[5]]"),
        ("M[2, 3]", "6"),
        ("v[2:3]", "[20, 30]"),
        ("v[[4, 1, 4]]", "[40, 10, 40]"),
        ("v[:]", "[10, 20, 30, 40]"),
        ("M[1 + 1 : 2 * 2, 1]", "[4, 7, 10]"),
    ])
    func slices(_ testCase: (expression: String, printed: String)) throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: Self.matrix + "print " + testCase.expression) == .completed)
        #expect(transcript.lines.last == testCase.printed)
    }

    @Test(arguments: [
        ("M[1:5, 1]", "index [1:5, 1] is out of range for M, a 4×3 matrix"),
        ("M[:, [1, 4]]", "index [:, [1, 4]] is out of range for M, a 4×3 matrix"),
        ("M[3:2, 1]", "expected a slice a:b with a ≤ b, got 3:2"),
        ("M[0:2, 1]", "expected a whole number ≥ 1 for the start of a slice, got 0"),
        ("M[:, 1.5:2]", "expected a whole number ≥ 1 for the start of a slice, got 1.5"),
        ("M[:]", "M takes 2 indices, got 1"),
        ("v[:, 1]", "v takes 1 index, got 2"),
        ("v[[1, 2.5]]", "expected a whole number ≥ 1 for an index, got 2.5"),
        ("1:2", "a range a:b selects part of a value, inside its brackets: X[2:5, :], v[1:3]"),
    ])
    func mistakes(_ testCase: (expression: String, message: String)) throws {
        let (session, _) = makeSession()
        #expect(session.run(source: Self.matrix) == .completed)
        let parsed = Parser.parse("print " + testCase.expression)
        if let syntax = parsed.diagnostics.first {
            // `1:2` on its own is not an index: a syntax error is as good as a runtime one here.
            #expect(testCase.expression == "1:2", "\(syntax.problem.message)")
            return
        }
        guard case .failed(let diagnostic) = session.run(parsed.statements) else {
            Issue.record("\(testCase.expression) should fail")
            return
        }
        #expect(diagnostic.problem.message == testCase.message)
    }

    @Test func parameterSlicesFollowTheConvention() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "input 2\nlayer 3\nW1 = [[1, 2], [3, 4], [5, 6]]\nprint W1[:, 2]\nset convention rows\nprint W1[:, 2]") == .completed)
        #expect(transcript.lines == ["[2, 4, 6]", "[3, 4]"])
    }

    @Test(arguments: [
        ("hcat(A, [5, 6])", "[[1, 2, 5], [3, 4, 6]]"),
        ("vcat(A, [7, 8])", "[[1, 2], [3, 4], [7, 8]]"),
        ("vcat([1, 2], [3, 4])", "[[1, 2], [3, 4]]"),
        ("hcat([1, 2], [3, 4])", "[[1, 3], [2, 4]]"),
        ("rows(A) + 10 * cols(A)", "22"),
        ("rows([1, 2, 3]), cols([1, 2, 3])", "1 3"),
    ])
    func joins(_ testCase: (expression: String, printed: String)) throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "A = [[1, 2], [3, 4]]\nprint " + testCase.expression) == .completed)
        #expect(transcript.lines.last == testCase.printed)
    }

    @Test func joiningMismatchedShapesSaysWhich() throws {
        let (session, _) = makeSession()
        guard case .failed(let diagnostic) = session.run(source: "A = [[1, 2], [3, 4]]\nprint hcat(A, [1, 2, 3])") else {
            Issue.record("should fail")
            return
        }
        #expect(diagnostic.problem.message == "expected 2 rows in argument 2 of hcat, as in the first, got a vector of 3")
    }

    /// grad(EXPR, VAR) through slices and joins, against central differences of the same EXPR.
    @Test(arguments: [
        "sum(M[:, 2] * [1, 2, 3, 4])",
        "sum(M[2:3, [1, 3]] ^ 2)",
        "M[4, 1] * M[1, 3] + sum(M[:2, :] * M[3:, :])",
        "sum(hcat(M, M[:, 1] ^ 2) * hcat(M, M[:, 3]))",
        "sum(vcat(M, M[1, :] * 3) ^ 2) / 10",
        "sum(sigmoid(hcat(M[:, 1], M[:, 2]) @ [[1], [-1]]))",
    ])
    func gradientsMatchCentralDifferences(_ expression: String) throws {
        let (session, _) = makeSession()
        #expect(session.run(source: "M = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [0.7, 0.8, 0.9], [-1, 1.1, 0.2]]") == .completed)
        let parsed = try #require(Parser.parse("grad(\(expression), M)").statements.first)
        guard case .expression(let gradientExpression) = parsed.kind, case .matrix(let gradient) = try session.evaluate(gradientExpression) else {
            Issue.record("grad of \(expression) is not a matrix")
            return
        }
        let body = try #require(Parser.parse(expression).statements.first)
        guard case .expression(let bodyExpression) = body.kind else { return }
        guard case .matrix(let point) = session.variables["M"] else { return }
        var largest = 0.0
        for row in 0..<point.rows {
            for column in 0..<point.columns {
                var plus = point, minus = point
                plus[row, column] += 1e-6
                minus[row, column] -= 1e-6
                session.variables["M"] = .matrix(plus)
                guard case .scalar(let up) = try session.evaluate(bodyExpression) else { return }
                session.variables["M"] = .matrix(minus)
                guard case .scalar(let down) = try session.evaluate(bodyExpression) else { return }
                let numeric = (up - down) / 2e-6
                #expect(abs(numeric - gradient[row, column]) < 1e-6, "\(expression) at [\(row + 1),\(column + 1)]")
                largest = max(largest, abs(gradient[row, column]))
            }
        }
        session.variables["M"] = .matrix(point)
        #expect(largest > 0.01, "a gradient of zeros proves nothing")
    }

    @Test func theParserReadsSubscripts() {
        let parsed = Parser.parse("X[2:5, :]\nX[:, [1, 3]]\nX[:2, 3:]")
        #expect(parsed.diagnostics.isEmpty)
        #expect(TreeText.program(parsed.statements)
            == "(index X (: 2 5) (: _ _)); (index X (: _ _) [1 3]); (index X (: _ 2) (: 3 _))")
    }
}
