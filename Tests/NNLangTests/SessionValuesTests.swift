import NNEngine
import Testing
@testable import NNLang

/// The session's values in expressions: X, Y, Xtest, Ytest, accuracy, test_accuracy, history,
/// classes; read-only, each with a clear message when there is nothing to read.
@Suite("Session values")
struct SessionValuesTests {
    static let setup = """
        data x=[[0, 0], [0, 1], [1, 0], [1, 1], [2, 2]] y=[[0], [1], [1], [0], [1]]
        split test=0.4 seed=1
        normalize standard
        input 2
        layer 3 tanh
        layer 1 sigmoid
        loss binary_cross_entropy
        """

    @Test func theDataAsTheNetworkSeesIt() throws {
        let (session, _) = makeSession()
        #expect(session.run(source: Self.setup) == .completed)
        let training = try #require(session.workspace.trainingSet)
        let test = try #require(session.workspace.testSet)
        #expect(try session.evaluate(Parser.parse("X").statements.expression) == .matrix(training.inputs))
        #expect(try session.evaluate(Parser.parse("Y").statements.expression) == .matrix(training.targets))
        #expect(try session.evaluate(Parser.parse("Xtest").statements.expression) == .matrix(test.inputs))
        #expect(try session.evaluate(Parser.parse("Ytest").statements.expression) == .matrix(test.targets))
        #expect(training.sampleCount == 3 && test.sampleCount == 2)
        #expect(try session.evaluate(Parser.parse("classes").statements.expression) == .text("0, 1"))
    }

    @Test func accuraciesAreTheNetworks() throws {
        let (session, _) = makeSession()
        #expect(session.run(source: Self.setup) == .completed)
        let network = try #require(session.workspace.network)
        let training = try #require(session.workspace.trainingSet)
        let test = try #require(session.workspace.testSet)
        #expect(try session.evaluate(Parser.parse("accuracy").statements.expression)
            == .scalar(Metrics.accuracy(outputs: network.predict(training.inputs), targets: training.targets)))
        #expect(try session.evaluate(Parser.parse("test_accuracy").statements.expression)
            == .scalar(Metrics.accuracy(outputs: network.predict(test.inputs), targets: test.targets)))
    }

    @Test func historyHasARowPerEpoch() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: Self.setup + "\ntrain epochs=4 lr=0.3 quiet=true validation=0.34\nprint rows(history), cols(history)\nprint history[:, 1]") == .completed)
        #expect(transcript.lines.suffix(2) == ["4 6", "[1, 2, 3, 4]"])
        let records = session.workspace.trainingHistory
        guard case .matrix(let history) = try session.evaluate(Parser.parse("(history)").statements.expression) else {
            Issue.record("history is not a matrix")
            return
        }
        for (row, record) in records.enumerated() {
            #expect(history[row, 1] == record.loss && history[row, 3] == record.validationLoss && history[row, 5] == record.learningRate)
        }
    }

    @Test(arguments: [
        ("", "print X", "'X' needs data: give it with 'data x=MATRIX y=MATRIX'"),
        ("data xor", "print Xtest", "'Xtest' is the test part, and there is none: hold one out with 'split test=0.2'"),
        ("data xor\ninput 2\nlayer 1 sigmoid", "print test_accuracy", "'test_accuracy' is the test part, and there is none: hold one out with 'split test=0.2'"),
        ("data sine", "print accuracy", "'accuracy' needs a network: start with 'input N'"),
        ("data sine\ninput 1\nlayer 1", "print accuracy", "'accuracy' needs classes, and the data's targets are numbers"),
        ("", "print history", "no training history yet: 'train' records one"),
        ("", "X = [[1, 2]]", "'X' is the training inputs, after split and normalization, one row per sample, a value of the session that cannot be assigned: choose another name"),
        ("", "for accuracy in [1, 2] { print accuracy }", "'accuracy' is the share of training samples classified right, a value of the session that cannot be assigned: choose another name"),
        ("", "def f(Ytest) = Ytest + 1", "'Ytest' is the test targets, a value of the session that cannot be assigned: choose another name"),
    ])
    func messages(_ testCase: (setup: String, statement: String, message: String)) throws {
        let (session, _) = makeSession()
        #expect(session.run(source: testCase.setup) == .completed)
        guard case .failed(let diagnostic) = session.run(source: testCase.statement) else {
            Issue.record("\(testCase.statement) should fail")
            return
        }
        #expect(diagnostic.problem.message == testCase.message)
    }
}

extension Array where Element == Statement {
    /// The expression of a one-statement program.
    fileprivate var expression: Expression {
        get throws {
            guard let first, case .expression(let expression) = first.kind else { throw TestFailure() }
            return expression
        }
    }
}

private struct TestFailure: Error {}
