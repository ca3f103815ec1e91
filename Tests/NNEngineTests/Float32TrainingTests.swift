import Testing
@testable import NNEngine

/// float32 training converts each batch from the float64 data as it takes it, keeping no float32
/// copy: every route a batch can take (a slice, a shuffled gather, sample weights, validation, the
/// final measurement) against float64 training of the same network.
@Suite("Float32 training")
struct Float32TrainingTests {
    @Test(arguments: [false, true])
    func everyRouteOfABatchAgreesWithFloat64(shuffled: Bool) {
        let start = FastTrainerTests.network(seed: 7)
        let (inputs, targets) = FastTrainerTests.data()
        let (validationInputs, validationTargets) = FastTrainerTests.data(samples: 9)
        var configuration = TrainingConfiguration(epochs: 4, learningRate: 0.2, batchSize: 5, shuffle: shuffled,
                                                  optimizer: OptimizerSettings(kind: .momentum), measuresAccuracy: true)
        configuration.validation = DataSet(inputs: validationInputs, targets: validationTargets)
        configuration.classWeights = [1, 2, 0.5]
        var double = start, single = start
        var generator = SeededGenerator(seed: 3)
        let doubleReport = Trainer.train(&double, inputs: inputs, targets: targets, loss: .crossEntropy,
                                         configuration: configuration, generator: &generator)
        configuration.precision = .float32
        generator = SeededGenerator(seed: 3)
        let singleReport = Trainer.train(&single, inputs: inputs, targets: targets, loss: .crossEntropy,
                                         configuration: configuration, generator: &generator)
        #expect(double != start && single != double, "float32 really ran in Float")
        #expect(FastTrainerTests.agree(double, single, within: 1e-4))
        for (a, b) in [(doubleReport.finalLoss, singleReport.finalLoss),
                       (doubleReport.finalValidationLoss, singleReport.finalValidationLoss),
                       (doubleReport.history.last?.loss, singleReport.history.last?.loss)] {
            let (x, y) = (a ?? .nan, b ?? .nan)
            #expect(abs(x - y) <= 1e-5 * max(1, abs(x)), "\(x) and \(y)")
        }
        #expect(doubleReport.finalAccuracy == singleReport.finalAccuracy)
    }

    @Test(arguments: [false, true])
    func noBuffersAreMadeAfterTheFirstEpoch(shuffled: Bool) {
        var network = FastTrainerTests.network(seed: 1)
        let (inputs, targets) = FastTrainerTests.data()
        var configuration = TrainingConfiguration(epochs: 3, learningRate: 0.1, batchSize: 5, shuffle: shuffled,
                                                  optimizer: OptimizerSettings(kind: .adam), precision: .float32)
        configuration.validation = DataSet(inputs: inputs, targets: targets)
        var generator = SeededGenerator(seed: 2)
        var counter = Trainer.WorkspaceCounter()
        _ = Trainer.train(&network, inputs: inputs, targets: targets, loss: .crossEntropy, configuration: configuration,
                          generator: &generator, counter: &counter, onEpoch: { _ in }, shouldContinue: { _ in true })
        let counts = counter.buffersCreatedAfterEpoch
        #expect(counts.count == 3 && counts.allSatisfy { $0 == counts[0] }, "buffers made per epoch: \(counts)")
    }

    /// What `train` budgets for: float32 needs about half of float64's bytes, not a copy of the data more.
    @Test func float32BudgetsNoCopyOfTheData() {
        var generator = SeededGenerator(seed: 1)
        var network = Network(inputCount: 784)
        network.appendLayer(units: 128, activation: .sigmoid, generator: &generator)
        network.appendLayer(units: 10, activation: .softmax, generator: &generator)
        var configuration = TrainingConfiguration(epochs: 1, learningRate: 0.1, batchSize: 64)
        let double = Trainer.workspaceBytes(network: network, sampleCount: 60_000, configuration: configuration)
        configuration.precision = .float32
        let single = Trainer.workspaceBytes(network: network, sampleCount: 60_000, configuration: configuration)
        #expect(2 * single == double)
    }
}
