import NNEngine
import Testing
@testable import NNLang

/// Options that a statement would leave unread are refused, at the option, before anything
/// changes: an optimizer's options without its name, `eps=` for an optimizer without an ε,
/// `log_every=` with nothing printed, `samples=` beside `n=`.
@Suite("Options that would go unread")
struct UnreadOptionTests {
    static let refused: [(source: String, message: String, span: SourceSpan)] = [
        ("optimizer lr=0.5", "'optimizer' needs an optimizer name before its options", span(1, 11, 13)),
        ("optimizer momentum=0.5 lr=0.2", "'optimizer' needs an optimizer name before its options", span(1, 11, 19)),
        ("optimizer weight_decay=-1", "'optimizer' needs an optimizer name before its options", span(1, 11, 23)),
        ("train epochs=1 eps=1e-3", "option 'eps' applies to adagrad, rmsprop and adam only", span(1, 16, 19)),
        ("optimizer nesterov eps=0.1", "option 'eps' applies to adagrad, rmsprop and adam only", span(1, 20, 23)),
        ("optimizer adam\ntrain optimizer=momentum eps=0.1", "option 'eps' applies to adagrad, rmsprop and adam only", span(2, 26, 29)),
        ("train epochs=2 quiet=true log_every=1", "option 'log_every' applies to runs without quiet=true only", span(1, 27, 36)),
        ("data circles n=10 samples=20", "option 'n' given twice", span(1, 19, 26)),
        ("data circles samples=20 n=10", "option 'n' given twice", span(1, 14, 21)),
    ]

    @Test(arguments: refused)
    func refusedAtTheOption(_ testCase: (source: String, message: String, span: SourceSpan)) throws {
        let (session, _) = try SessionTests.session(after: TrainCommandTests.xorNetwork)
        let (workspace, settings) = (session.workspace, session.settings)
        guard case .failed(let diagnostic) = session.run(source: testCase.source) else {
            Issue.record("\(testCase.source) did not fail")
            return
        }
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.span == testCase.span)
        if !testCase.source.contains("\n") {
            #expect(session.workspace == workspace)
            #expect(session.settings == settings)
        }
    }

    /// The same options where they are read: the guard against a table that refuses everything.
    @Test(arguments: [
        "optimizer adagrad eps=1e-3",
        "optimizer rmsprop eps=1e-3",
        "optimizer adam eps=1e-3 lr=0.01",
        "train epochs=1 optimizer=adam eps=1e-3 quiet=true",
        "train epochs=2 quiet=false log_every=1",
        "data circles samples=20",
    ])
    func acceptedWhereTheyAreRead(_ source: String) throws {
        let (session, _) = try SessionTests.session(after: TrainCommandTests.xorNetwork)
        #expect(session.run(source: source) == .completed)
    }

    @Test func optimizerOptionsReachTheSessionTogetherOrNotAtAll() throws {
        let (session, _) = makeSession()
        #expect(session.run(source: "optimizer adagrad eps=1e-3 lr=0.05") == .completed)
        var expected = OptimizerSettings(kind: .adagrad)
        expected.epsilon = 1e-3
        #expect(session.settings.optimizer == expected)
        #expect(session.settings.learningRate == 0.05)
        // A bad lr= leaves the optimizer as it was, not half changed.
        guard case .failed(let diagnostic) = session.run(source: "optimizer adam lr=-1") else {
            Issue.record("lr=-1 did not fail")
            return
        }
        #expect(diagnostic.message == "the learning rate must be greater than 0, got -1")
        #expect(session.settings.optimizer == expected)
        #expect(session.settings.learningRate == 0.05)
    }

    @Test func samplesIsTheSameAsN() throws {
        let (session, _) = makeSession()
        #expect(session.run(source: "data circles samples=30 seed=1") == .completed)
        let bySamples = try #require(session.workspace.dataSet)
        #expect(session.run(source: "data circles n=30 seed=1") == .completed)
        #expect(session.workspace.dataSet == bySamples)
        #expect(bySamples.sampleCount == 30)
    }
}
