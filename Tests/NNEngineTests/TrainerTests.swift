import Testing
import NNEngine

@Suite("Training")
struct TrainerTests {
    static let xorInputs = Matrix([[0, 0], [0, 1], [1, 0], [1, 1]])
    static let xorTargets = Matrix(column: [0, 1, 1, 0])

    @Test func xorIsLearned() {
        var generator = SeededGenerator(seed: 42)
        var network = Network(inputCount: 2)
        network.appendLayer(units: 4, activation: .sigmoid, generator: &generator)
        network.appendLayer(units: 1, activation: .sigmoid, generator: &generator)
        let before = network.loss(input: Self.xorInputs, target: Self.xorTargets, loss: .sse)
        let report = Trainer.train(&network, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .sse,
                                   configuration: TrainingConfiguration(epochs: 5000, learningRate: 2))
        #expect(report.epochsCompleted == 5000)
        #expect(report.divergedAtEpoch == nil)
        #expect(before > 0.1)
        #expect((report.finalLoss ?? .nan) < 0.005)
        #expect(report.finalLoss == network.loss(input: Self.xorInputs, target: Self.xorTargets, loss: .sse))
        let predictions = network.predict(Self.xorInputs)
        for sample in 0..<4 {
            #expect(abs(predictions[sample, 0] - Self.xorTargets[sample, 0]) < 0.15)
        }
    }

    @Test func trainingIsReproducible() {
        func run() -> Network {
            var generator = SeededGenerator(seed: 6)
            var network = Network(inputCount: 2)
            network.appendLayer(units: 3, activation: .tanh, generator: &generator)
            network.appendLayer(units: 1, activation: .sigmoid, generator: &generator)
            _ = Trainer.train(&network, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                              configuration: TrainingConfiguration(epochs: 50, learningRate: 0.5, batchSize: 3))
            return network
        }
        #expect(run() == run())
    }

    /// y = 3x on five points with a single linear unit.
    static let lineInputs = Matrix(column: [1, 2, 3, 4, 5])
    static let lineTargets = Matrix(column: [3, 6, 9, 12, 15])

    static func linearNetwork() -> Network {
        Network(inputCount: 1, layers: [DenseLayer(weights: Matrix([[0.5]]), biases: [0], activation: .linear)])
    }

    @Test func divergenceKeepsThePreviousEpochsParameters() throws {
        var network = Self.linearNetwork()
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 10_000, learningRate: 100))
        let epoch = try #require(report.divergedAtEpoch)
        #expect(epoch > 2, "took at least a couple of finite steps first")
        #expect(report.epochsCompleted == epoch - 1)
        #expect(network.allParametersFinite)
        #expect(report.finalLoss == network.loss(input: Self.lineInputs, target: Self.lineTargets, loss: .mse))

        // The same training stopped one epoch short reaches the very same parameters.
        var previous = Self.linearNetwork()
        let shorter = Trainer.train(&previous, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                    configuration: TrainingConfiguration(epochs: epoch - 1, learningRate: 100))
        #expect(shorter.divergedAtEpoch == nil)
        #expect(network == previous)
    }

    @Test func divergenceInsideAnEpochRollsBackToItsStart() throws {
        var network = Self.linearNetwork()
        let configuration = TrainingConfiguration(epochs: 10_000, learningRate: 30, batchSize: 2)
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: configuration)
        let epoch = try #require(report.divergedAtEpoch)
        var previous = Self.linearNetwork()
        var shorter = configuration
        shorter.epochs = epoch - 1
        _ = Trainer.train(&previous, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse, configuration: shorter)
        #expect(network == previous)
        #expect(network.allParametersFinite)
    }

    @Test func miniBatchesThatDoNotDivideTheDataSet() {
        // Five samples in batches of two: steps on rows 0..<2, 2..<4, 4..<5, one by hand each.
        var network = Self.linearNetwork()
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .sse,
                                   configuration: TrainingConfiguration(epochs: 1, learningRate: 0.01, batchSize: 2))
        var expected = Self.linearNetwork()
        for range in [0..<2, 2..<4, 4..<5] {
            let gradients = expected.gradients(input: Self.lineInputs.rows(range), target: Self.lineTargets.rows(range), loss: .sse)
            #expect(Optimizer.descend(&expected, gradients: gradients, learningRate: 0.01))
        }
        #expect(report.epochsCompleted == 1)
        #expect(network == expected)
        // And not the same as one whole-batch step.
        var wholeBatch = Self.linearNetwork()
        _ = Trainer.train(&wholeBatch, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .sse,
                          configuration: TrainingConfiguration(epochs: 1, learningRate: 0.01))
        #expect(wholeBatch != network)
    }

    @Test func miniBatchTrainingConverges() {
        var network = Self.linearNetwork()
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 2000, learningRate: 0.01, batchSize: 3))
        #expect(report.divergedAtEpoch == nil)
        #expect((report.finalLoss ?? .nan) < 1e-6)
    }

    @Test func shouldContinueIsAskedBeforeEachEpoch() {
        var network = Self.linearNetwork()
        var asked: [Int] = []
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 10, learningRate: 0.01)) { epoch in
            asked.append(epoch)
            return epoch <= 3
        }
        #expect(asked == [1, 2, 3, 4])
        #expect(report.epochsCompleted == 3)
        #expect(report.divergedAtEpoch == nil)
        #expect(report.interruptedAtEpoch == 4)
    }

    /// Stopping in the middle of an epoch keeps every whole batch's step and no partial one:
    /// the parameters equal those of the same batches stepped by hand.
    @Test func stoppingMidEpochKeepsWholeBatches() {
        var network = Self.linearNetwork()
        var batchesAllowed = 5
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 10, learningRate: 0.01, batchSize: 3)) { _ in
            batchesAllowed -= 1
            return batchesAllowed >= 0
        }
        var replay = Self.linearNetwork()
        let rows = Self.lineInputs.rows
        let starts = Array(stride(from: 0, to: rows, by: 3))
        for step in 0..<5 {
            let start = starts[step % starts.count]
            let range = start..<min(start + 3, rows)
            let gradients = replay.gradients(input: Self.lineInputs.rows(range), target: Self.lineTargets.rows(range), loss: .mse)
            #expect(Optimizer.descend(&replay, gradients: gradients, learningRate: 0.01))
        }
        #expect(starts.count < 5, "the stop must fall after the first epoch for this test to mean anything")
        #expect(network == replay)
        #expect(network != Self.linearNetwork())
        #expect(report.interruptedAtEpoch == 5 / starts.count + 1)
        #expect(report.epochsCompleted == 5 / starts.count)
    }

    @Test func zeroEpochsReportsTheStartingLoss() {
        var network = Self.linearNetwork()
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .sse,
                                   configuration: TrainingConfiguration(epochs: 0, learningRate: 0.01))
        #expect(report == TrainingReport(epochsCompleted: 0, finalLoss: Self.linearNetwork().loss(
            input: Self.lineInputs, target: Self.lineTargets, loss: .sse)))
        #expect(network == Self.linearNetwork())
    }
}
