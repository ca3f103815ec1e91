import Foundation
import NNEngine
import Testing
@testable import NNLang

/// Engineered features: `data … features=[…]`, computed again for new raw inputs by `predict`,
/// `forward X` and `plot boundary`, and kept in model files.
@Suite("Features")
struct FeaturesTests {
    private func session(_ source: String) throws -> (Session, Transcript) {
        let (session, transcript) = makeSession()
        let outcome = session.run(source: source)
        #expect(outcome == .completed, "\(outcome)")
        return (session, transcript)
    }

    @Test func theDataHoldsTheFeaturesComputed() throws {
        let (session, _) = try session("data x=[[1, 2], [3, -1]] y=[[0], [1]] features=[x1, x1 * x2, x2^2, sin(x1), 2]")
        let data = try #require(session.workspace.dataSet)
        #expect(data.inputs == Matrix([[1, 2, 4, sin(1), 2], [3, -3, 1, sin(3), 2]]))
        #expect(data.featureNames == ["x1", "x1 * x2", "x2 ^ 2", "sin(x1)", "2"])
        #expect(session.workspace.features?.rawInputCount == 2)
        #expect(session.workspace.features?.rawInputs == Matrix([[1, 2], [3, -1]]))
    }

    @Test func newInputsGetTheFeaturesAndTheNormalization() throws {
        let (session, transcript) = try session("""
            data x=[[1, 2], [3, -1], [0, 0.5]] y=[[0], [1], [1]] features=[x1 * x2, x1^2]
            normalize standard
            input 2
            layer 1 sigmoid
            W1 = [[0.5, -0.25]]
            print predict([2, 3])
            forward [2, 3]
            """)
        let normalization = try #require(session.workspace.normalization)
        let features = normalization.apply(Matrix([[6, 4]]))
        let z = 0.5 * features[0, 0] - 0.25 * features[0, 1]
        #expect(transcript.lines[0] == session.formatter.format(Value.vector([1 / (1 + exp(-z))])))
        #expect(transcript.lines[1] == "z1 = " + session.formatter.format(Value.vector([z])))
    }

    @Test func aLinearModelSolvesCirclesOnlyWithSquares() throws {
        let training = "input 2\nlayer 1 sigmoid\nloss binary_cross_entropy\ntrain epochs=300 optimizer=adam lr=0.1 quiet=true"
        let (raw, _) = try session("set seed 1\ndata circles n=200 noise=0.05 seed=2\n" + training)
        let (squared, _) = try session("set seed 1\ndata circles n=200 noise=0.05 seed=2 features=[x1^2, x2^2]\n" + training)
        guard case .scalar(let rawAccuracy) = try raw.sessionValue("accuracy", span: span(1, 1, 2)),
              case .scalar(let squaredAccuracy) = try squared.sessionValue("accuracy", span: span(1, 1, 2)) else {
            Issue.record("no accuracy")
            return
        }
        #expect(rawAccuracy < 0.75)
        #expect(squaredAccuracy > 0.95)
    }

    @Test func plotBoundaryDrawsTheRawPlane() throws {
        let (session, transcript) = try session("""
            data circles n=60 noise=0.05 seed=2 features=[x1^2, x2^2, x1 * x2]
            input 3
            layer 1 sigmoid
            plot boundary width=30 height=10
            """)
        _ = session
        #expect(transcript.lines.contains { $0.hasSuffix("x1") })
        #expect(transcript.lines.contains("x2"))
    }

    @Test func modelFilesKeepTheFeatures() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (saved, _) = try session("""
            data circles n=40 seed=2 features=[x1^2, x2^2, x1 * x2]
            input 3
            layer 1 sigmoid
            save "\(folder)/f.nnm"
            """)
        let text = String(decoding: try FileAccess.readFile(folder + "/f.nnm").get(), as: UTF8.self)
        #expect(text.hasPrefix("nn-model 2\n"))
        #expect(text.contains("features 2 \"x1 ^ 2\" \"x2 ^ 2\" \"x1 * x2\"\n"))
        let (loaded, _) = try session("load \"\(folder)/f.nnm\"")
        #expect(loaded.workspace.features?.texts == saved.workspace.features?.texts)
        #expect(try loaded.evaluate(Parser.parse("predict([0.3, -0.2])").statements[0].expressionOrNil!)
            == (try saved.evaluate(Parser.parse("predict([0.3, -0.2])").statements[0].expressionOrNil!)))
        // A model without features is still format 1.
        _ = try session("input 2\nlayer 1\nsave \"\(folder)/g.nnm\"")
        #expect(String(decoding: try FileAccess.readFile(folder + "/g.nnm").get(), as: UTF8.self).hasPrefix("nn-model 1\n"))
    }

    @Test(arguments: [
        ("data circles features=[x3]", "a feature reads the data's raw inputs x1 and x2 (and e, pi), not 'x3'"),
        ("v = 2\ndata circles features=[x1 * v]", "a feature reads the data's raw inputs x1 and x2 (and e, pi), not 'v'"),
        ("data circles features=x1", "expected a list of features like [x1, x2, x1 * x2, x1^2, sin(x1)], got an expression"),
        ("data circles features=[log(x1)]", "log of -0.8272164199: log of a negative number is undefined"),
        ("data circles features=[x1^2, x2^2]\ninput 2\nlayer 1\npredict [1, 2, 3]", "the input has 3 columns but the network takes 2 inputs"),
    ])
    func mistakes(_ testCase: (source: String, message: String)) throws {
        let (session, _) = makeSession()
        guard case .failed(let diagnostic) = session.run(source: testCase.source) else {
            Issue.record("\(testCase.source) should fail")
            return
        }
        #expect(diagnostic.problem.message == testCase.message)
    }
}

extension Statement {
    /// The expression of an expression statement.
    var expressionOrNil: NNLang.Expression? {
        if case .expression(let expression) = kind { return expression }
        return nil
    }
}
