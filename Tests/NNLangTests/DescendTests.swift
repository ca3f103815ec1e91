import Foundation
import NNEngine
import Testing
@testable import NNLang

/// `descend`: the path's points against trajectories computed independently (by hand for SGD
/// on a quadratic; by real `torch.optim` optimizers for all seven that descend runs, from
/// `Fixtures/descend_paths.json`, which `python3 Tests/NNLangTests/Fixtures/descend_paths.py`
/// writes), its printout, where the path is kept, and its errors.
@Suite("Descend")
struct DescendTests {
    /// The value of `name` after running `source`.
    static func value(_ name: String, after source: String) throws -> Value {
        let (session, _) = try SessionTests.session(after: source)
        return try SessionTests.value(of: name, in: session)
    }

    static func rows(_ value: Value) -> [[Double]] {
        guard case .matrix(let matrix) = value else { return [] }
        return matrix.rowArrays
    }

    /// f = x² + 10y², ∇f = (2x, 20y); plain SGD with η = 0.01 multiplies x by 1 − 0.02 = 0.98
    /// and y by 1 − 0.2 = 0.8 each step.
    @Test func sgdOnAQuadraticByHand() throws {
        let path = Self.rows(try Self.value("path", after: "descend x^2 + 10*y^2 from=[1, 1] optimizer=sgd lr=0.01 steps=3"))
        let expected: [[Double]] = [[1, 1], [0.98, 0.8], [0.9604, 0.64], [0.941192, 0.512]]
        #expect(path.count == 4)
        for (row, want) in zip(path, expected) {
            for (got, value) in zip(row, want) { #expect(abs(got - value) < 1e-15, "\(row) vs \(want)") }
        }
    }

    /// steps=0 keeps the start alone.
    @Test func noStepsKeepTheStart() throws {
        let lines = try PlotTests.output(of: "descend x^2 + y from=[1, 2] steps=0")
        #expect(lines.last == "the path, 1 point, is in path")
        #expect(lines.contains { $0.hasPrefix("end after 0 steps") })
    }

    /// With one free name the path is one column; the start comes first.
    @Test func oneFreeNameGivesOneColumn() throws {
        // f = (t − 3)², f' = 2(t − 3): from 0 with η = 0.25, t halves its distance to 3 each step.
        let path = Self.rows(try Self.value("path", after: "descend (t - 3)^2 from=0 lr=0.25 steps=3"))
        #expect(path == [[0], [1.5], [2.25], [2.625]])
    }

    struct FixtureCase: Decodable, CustomTestStringConvertible, Sendable {
        var name: String
        var statement: String
        var path: [[Double]]
        var testDescription: String { name }
    }

    struct Fixture: Decodable {
        var cases: [FixtureCase]
    }

    static let torchCases: [FixtureCase] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/descend_paths.json")
        guard let data = try? Data(contentsOf: url), let fixture = try? JSONDecoder().decode(Fixture.self, from: data) else { return [] }
        return fixture.cases
    }()

    @Test func theFixtureHasEveryOptimizerOnEveryFunction() {
        #expect(Self.torchCases.count == 3 * DescendCommand.optimizers.count)
        #expect(Set(Self.torchCases.map { String($0.name.split(separator: " ")[0]) }) == Set(DescendCommand.optimizers.map(\.rawValue)))
    }

    /// Every point of the path as torch.optim's: the same rules, defaults and hyperparameters.
    @Test(arguments: torchCases)
    func matchesTorch(_ testCase: FixtureCase) throws {
        let path = Self.rows(try Self.value("path", after: testCase.statement))
        #expect(path.count == testCase.path.count)
        var worst = 0.0
        for (row, want) in zip(path, testCase.path) {
            for (got, value) in zip(row, want) { worst = max(worst, abs(got - value) / max(1, abs(value))) }
        }
        #expect(worst < 1e-9, "largest relative difference \(worst)")
        // A descent that does not move would pass any comparison of a path with itself.
        #expect(testCase.path.last != testCase.path.first)
    }

    @Test func printsTheStartAndTheEnd() throws {
        let lines = try PlotTests.output(of: "descend x^2 + 10*y^2 from=[1, 1] optimizer=sgd lr=0.01 steps=3")
        #expect(lines == [
            "descend x ^ 2 + 10 * y ^ 2 with sgd, lr = 0.01",
            "                          x      y        value",
            "start                     1      1           11",
            "end after 3 steps  0.941192  0.512  3.507282381",
            "the path, 4 points, is in path",
        ])
    }

    @Test func asKeepsThePathInAVariable() throws {
        let (session, transcript) = try SessionTests.session(after: "descend x^2 from=2 steps=2 as=walk")
        #expect(transcript.lines.last == "the path, 3 points, is in walk")
        #expect(Self.rows(try SessionTests.value(of: "walk", in: session)) == [[2], [1.6], [1.28]])
        #expect(session.workspace.descentPath == nil)
    }

    /// The session's optimizer and learning rate, as train uses them, unless given.
    @Test func theSessionsOptimizerByDefault() throws {
        let session = Self.rows(try Self.value("path", after: "optimizer momentum momentum=0.5 lr=0.1\ndescend x^2 from=1 steps=2"))
        let given = Self.rows(try Self.value("path", after: "descend x^2 from=1 steps=2 optimizer=momentum momentum=0.5 lr=0.1"))
        #expect(session == given)
        // b₁ = g₁ = 2, x₁ = 1 − 0.2 = 0.8; b₂ = 0.5·2 + 1.6 = 2.6, x₂ = 0.8 − 0.26 = 0.54.
        #expect(abs(given[2][0] - 0.54) < 1e-15)
    }

    @Test func stopsWhereTheFunctionHasNoValue() throws {
        let (session, transcript) = try SessionTests.session(after: "descend log(x) from=0.1 lr=1 steps=5")
        #expect(transcript.lines.contains("stopped after 1 step: log of -9.9: log of a negative number is undefined"))
        #expect(Self.rows(try SessionTests.value(of: "path", in: session)) == [[0.1], [-9.9]])
    }

    static let errorCases: [(source: String, message: String)] = [
        ("descend x*y from=[1, 2, 3]", "expected 2 finite numbers, for x, y, in from=, got a vector of 3"),
        ("descend 3 from=1", "expected an expression of one or more free names to descend, such as x^2 + 10*y^2, got no name without a value"),
        ("descend x^2 from=1 as=W1", "expected a variable's name for as=, got 'W1', which names something else"),
        ("descend x^2 from=1 as=x", "expected a name for as= other than the expression's variables, got 'x'"),
        ("descend x^2 from=1 optimizer=adam momentum=0.5", "option 'momentum' applies to momentum and nesterov only"),
        ("print path", "no path yet: 'descend' keeps one"),
        ("descend [x, x] from=1", "grad(EXPR, VAR) needs EXPR to be one number, got a vector of 2"),
        ("optimizer lbfgs\ndescend x^2 from=1",
         "expected an optimizer that steps by a rule for descend (sgd, momentum, nesterov, adagrad, rmsprop, adam or rprop; lbfgs is train's only), got the session's lbfgs"),
        ("descend x^2 from=1 optimizer=lbfgs",
         "expected an optimizer that steps by a rule for descend (sgd, momentum, nesterov, adagrad, rmsprop, adam or rprop; lbfgs is train's only), got lbfgs"),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: (source: String, message: String)) throws {
        #expect(try PlotTests.failure(of: testCase.source) == testCase.message)
    }
}
