import Foundation
import Testing
@testable import NNEngine

/// Class weights: the balanced weights, the weighted loss by hand, its gradient by finite
/// differences, and the fast trainer against the reference with weights.
@Suite("Class weights")
struct ClassWeightTests {
    @Test func balancedIsSamplesOverClassesTimesCount() {
        // 4 samples, 2 classes: 4 / (2 · 3) and 4 / (2 · 1).
        let weights = ClassWeights.balanced(classes: [0, 0, 1, 0], classCount: 2)
        #expect(abs(weights[0] - 2.0 / 3) < 1e-15 && weights[1] == 2)
        // A class without samples weighs 1, and does not count among the classes.
        #expect(ClassWeights.balanced(classes: [2, 2, 0], classCount: 3) == [1.5, 1, 0.75])
        #expect(ClassWeights.sampleWeights([1, 3], targets: Matrix(column: [0, 1, 1, 0])) == [1, 3, 3, 1])
    }

    /// mse of one output: terms 0.25, 0.04, 0.01 weighted 2, 1, 3 is (0.5 + 0.04 + 0.03) / 3.
    /// cross_entropy: −log 0.8 weighted 2 and −log 0.25 weighted 0.5, over 2 samples.
    @Test func weightedLossByHand() {
        let mse = Loss.mse.value(output: Matrix(column: [0.5, 0.2, 0.9]), target: Matrix(column: [1, 0, 1]), sampleWeights: [2, 1, 3])
        #expect(abs(mse - 0.19) < 1e-15)
        let crossEntropy = Loss.crossEntropy.value(output: Matrix([[0.8, 0.2], [0.75, 0.25]]), target: Matrix([[1, 0], [0, 1]]),
                                                   sampleWeights: [2, 0.5])
        #expect(abs(crossEntropy - (-2 * log(0.8) - 0.5 * log(0.25)) / 2) < 1e-15)
        // Weights of 1 are the unweighted loss.
        let output = Matrix([[0.3, 0.7], [0.6, 0.4]]), target = Matrix([[0, 1], [1, 0]])
        #expect(Loss.crossEntropy.value(output: output, target: target, sampleWeights: [1, 1]) == Loss.crossEntropy.value(output: output, target: target))
    }

    /// ∂(weighted loss)/∂W by finite differences, through the closed-form softmax route and
    /// the general sigmoid + mse route.
    @Test(arguments: [(Activation.softmax, Loss.crossEntropy), (.sigmoid, .mse)])
    func weightedGradientsMatchFiniteDifferences(_ output: Activation, _ loss: Loss) {
        var generator = SeededGenerator(seed: 8)
        var network = Network(inputCount: 3)
        network.appendLayer(units: 4, activation: .tanh, generator: &generator)
        network.appendLayer(units: 2, activation: output, generator: &generator)
        let inputs = TestSupport.randomMatrix(rows: 5, columns: 3, generator: &generator)
        let targets = Matrix([[1, 0], [0, 1], [0, 1], [1, 0], [0, 1]])
        let weights = [0.5, 2, 1.5, 0.25, 3.0]
        let analytic = network.gradients(of: network.forward(inputs), target: targets, loss: loss, sampleWeights: weights)
        #expect(abs(analytic.loss - loss.value(output: network.predict(inputs), target: targets, sampleWeights: weights)) < 1e-15)
        for layer in network.layers.indices {
            let numeric = TestSupport.centralDifferences(of: network.layers[layer].weights) { moved in
                var changed = network
                changed.layers[layer].weights = moved
                return loss.value(output: changed.predict(inputs), target: targets, sampleWeights: weights)
            }
            #expect(TestSupport.largestMagnitude(numeric) > 1e-4, "a check that passes because everything is zero")
            #expect(TestSupport.isClose(analytic.weights[layer], numeric), "layer \(layer + 1)")
        }
        // The weights matter: unweighted gradients differ.
        #expect(!TestSupport.isClose(network.gradients(input: inputs, target: targets, loss: loss).weights[0], analytic.weights[0]))
    }

    static let configurations: [(String, TrainingConfiguration)] = [
        ("plain descent, full batch", TrainingConfiguration(epochs: 4, learningRate: 0.3, measuresAccuracy: true)),
        ("sgd, shuffled batches", TrainingConfiguration(epochs: 3, learningRate: 0.2, batchSize: 5, shuffle: true, measuresAccuracy: true)),
        ("adam, batches", TrainingConfiguration(epochs: 3, learningRate: 0.01, batchSize: 7, optimizer: OptimizerSettings(kind: .adam))),
    ]

    @Test(arguments: configurations)
    func fastWeightedTrainingMatchesTheReference(_ name: String, _ base: TrainingConfiguration) {
        let start = FastTrainerTests.network(seed: 7)
        let (inputs, targets) = FastTrainerTests.data()
        var configuration = base
        configuration.classWeights = [1, 3, 0.5]
        var fast = start, reference = start, unweighted = start
        var fastGenerator = SeededGenerator(seed: 3), referenceGenerator = SeededGenerator(seed: 3)
        let fastReport = Trainer.train(&fast, inputs: inputs, targets: targets, loss: .crossEntropy,
                                       configuration: configuration, generator: &fastGenerator)
        let referenceReport = Trainer.referenceTrain(&reference, inputs: inputs, targets: targets, loss: .crossEntropy,
                                                     configuration: configuration, generator: &referenceGenerator)
        var plainGenerator = SeededGenerator(seed: 3)
        _ = Trainer.train(&unweighted, inputs: inputs, targets: targets, loss: .crossEntropy, configuration: base, generator: &plainGenerator)
        #expect(fast != start)
        #expect(!FastTrainerTests.agree(fast, unweighted, within: 1e-6), "the weights changed training")
        #expect(FastTrainerTests.agree(fast, reference, within: 1e-12))
        #expect(abs((fastReport.finalLoss ?? .nan) - (referenceReport.finalLoss ?? .nan)) <= 1e-12)
        for (a, b) in zip(fastReport.history, referenceReport.history) { #expect(abs(a.loss - b.loss) <= 1e-12) }
        // The final loss is the weighted loss of the trained network, computed independently.
        let weights = ClassWeights.sampleWeights([1, 3, 0.5], targets: targets)
        let expected = Loss.crossEntropy.value(output: fast.predict(inputs), target: targets, sampleWeights: weights)
        #expect(abs((fastReport.finalLoss ?? .nan) - expected) <= 1e-12)
    }

    /// A full-batch epoch records the loss before its step: the weighted loss at the start.
    @Test func anEpochsLossIsTheWeightedLossItTrainedOn() {
        let start = FastTrainerTests.network(seed: 2)
        let (inputs, targets) = FastTrainerTests.data()
        var configuration = TrainingConfiguration(epochs: 1, learningRate: 0.1)
        configuration.classWeights = [2, 1, 0]
        var network = start
        let report = Trainer.train(&network, inputs: inputs, targets: targets, loss: .crossEntropy, configuration: configuration)
        var total = 0.0
        let outputs = start.predict(inputs)
        for row in 0..<inputs.rows {
            let label = Metrics.trueClasses(targets: targets)[row]
            total += [2.0, 1, 0][label] * -log(outputs[row, label])
        }
        #expect(abs((report.history.first?.loss ?? .nan) - total / Double(inputs.rows)) <= 1e-12)
    }
}
