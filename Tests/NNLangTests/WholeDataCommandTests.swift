import NNEngine
import Testing
@testable import NNLang

/// `step`, `grad`, `loss`, `evaluate` and `predict` on data of several batches (1,100 samples:
/// batches of 512, 512 and 76) print what the readable reference computes (`Network.gradients`,
/// `Network.loss`, `Network.forward` on every sample at once), digit for digit, in both
/// weight conventions. `WholeDataTests` (NNEngine) holds the batched arithmetic to the reference
/// for every activation and loss.
@Suite("Whole-data commands")
struct WholeDataCommandTests {
    static let setup = """
        data random n=1100 inputs=3 classes=3 seed=2
        input 3
        layer 4 tanh
        layer 3 softmax
        loss cross_entropy
        """

    private func session() -> (Session, Transcript) {
        let (session, transcript) = makeSession()
        #expect(session.run(source: Self.setup) == .completed)
        return (session, transcript)
    }

    private func lines(_ session: Session, _ transcript: Transcript, _ source: String) -> [String] {
        let start = transcript.lines.count
        #expect(session.run(source: source) == .completed, "\(source)")
        return Array(transcript.lines[start...])
    }

    /// The network and the training data the session's statements see.
    private func reference(_ session: Session) throws -> (Network, DataSet) {
        let network = try #require(session.workspace.network)
        let data = try #require(session.workspace.trainingSet)
        #expect(data.sampleCount > 2 * Network.wholeDataBatchRows)
        return (network, data)
    }

    @Test(arguments: ["columns", "rows"])
    func gradPrintsTheReferenceGradients(_ convention: String) throws {
        let (session, transcript) = session()
        _ = lines(session, transcript, "set convention \(convention)")
        let (network, data) = try reference(session)
        let gradients = network.gradients(input: data.inputs, target: data.targets, loss: .crossEntropy)
        let settings = session.settings
        let format = settings.formatter
        var expected: [String] = []
        for layer in 1...2 {
            expected.append("∂E/∂W\(layer) = \(format.format(settings.convention.shown(gradients.weights[layer - 1])))")
            expected.append("∂E/∂b\(layer) = \(format.format(gradients.biases[layer - 1]))")
        }
        #expect(lines(session, transcript, "grad") == expected)
        #expect(lines(session, transcript, "grad W2") == [expected[2]])
        #expect(lines(session, transcript, "grad W1") == [expected[0]])
        #expect(lines(session, transcript, "grad b1") == [expected[1]])
        let single = convention == "rows" ? "W1[3,2]" : "W1[2,3]"  // unit 2, input 3
        #expect(lines(session, transcript, "grad \(single)") == ["∂E/∂\(single) = \(format.format(gradients.weights[0][1, 2]))"])
    }

    @Test func lossEvaluateAndPredictPrintTheReference() throws {
        let (session, transcript) = session()
        let (network, data) = try reference(session)
        let format = session.settings.formatter
        let pass = network.forward(data.inputs)
        let loss = network.loss(of: pass, target: data.targets, loss: .crossEntropy)
        #expect(lines(session, transcript, "loss") == ["E = \(format.format(loss))"])
        let correct = Metrics.correctCount(outputs: pass.output, targets: data.targets)
        #expect(lines(session, transcript, "evaluate")
                == ["training (no split): E = \(format.format(loss)), accuracy = \(format.format(Double(correct) / 1100)) (\(correct) of 1100)"])
        #expect(lines(session, transcript, "P = predict(X)").isEmpty)
        guard case .matrix(let predicted) = session.variables["P"] else {
            Issue.record("P is not a matrix")
            return
        }
        #expect(predicted.rows == 1100 && zip(predicted.storage, pass.output.storage).allSatisfy { abs($0 - $1) <= 1e-12 })
    }

    @Test func confusionCountsTheReferencePredictions() throws {
        let (session, transcript) = session()
        let (network, data) = try reference(session)
        let expected = Metrics.confusionMatrix(outputs: network.predict(data.inputs), targets: data.targets, classCount: 3)
        let printed = lines(session, transcript, "confusion").joined(separator: "\n").split(separator: "\n").map(String.init)
        // The heading, the line of class names, then one line per true class ending in its counts.
        #expect(printed.count == 5)
        let counts = printed.suffix(3).map { line in line.split(separator: " ").suffix(3).compactMap { Int($0) } }
        #expect(counts == expected)
        #expect(expected.joined().reduce(0, +) == 1100)
    }

    @Test func stepPrintsTheReferenceLossesAndTakesTheReferenceStep() throws {
        let (session, transcript) = session()
        _ = lines(session, transcript, "freeze 2")
        let (network, data) = try reference(session)
        let format = session.settings.formatter
        let gradients = network.gradients(input: data.inputs, target: data.targets, loss: .crossEntropy)
        var stepped = network
        #expect(Optimizer.descend(&stepped, gradients: gradients, learningRate: 0.5, frozenLayers: [1]))
        let after = stepped.loss(input: data.inputs, target: data.targets, loss: .crossEntropy)
        #expect(lines(session, transcript, "step lr=0.5") == ["E = \(format.format(gradients.loss)) -> \(format.format(after))"])
        let result = try #require(session.workspace.network)
        #expect(result.layers[1] == network.layers[1])  // frozen
        #expect(result.layers[0] != network.layers[0])
        #expect(zip(result.layers[0].weights.storage, stepped.layers[0].weights.storage).allSatisfy { abs($0 - $1) <= 1e-12 })
        #expect(zip(result.layers[0].biases, stepped.layers[0].biases).allSatisfy { abs($0 - $1) <= 1e-12 })
    }
}
