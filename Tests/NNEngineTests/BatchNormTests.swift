import Testing
@testable import NNEngine

/// Batch normalization against PyTorch's `BatchNorm1d` (the values in `BatchNormReference`,
/// written by `Fixtures/batchnorm_reference.py`, which says how to rerun it), in both training
/// paths, and against finite differences.
@Suite("Batch normalization")
struct BatchNormTests {
    /// The script's 3-4-2 network: tanh and sigmoid layers, each batch-normalized.
    static func network() -> Network {
        Network(inputCount: 3, layers: [
            DenseLayer(weights: Matrix([[0.2, -0.3, 0.5], [0.4, 0.1, -0.2], [-0.5, 0.3, 0.3], [0.1, 0.6, -0.4]]),
                       biases: [0.1, -0.1, 0.05, 0.0], activation: .tanh, batchNorm: BatchNorm(units: 4)),
            DenseLayer(weights: Matrix([[0.3, -0.2, 0.4, 0.1], [-0.3, 0.5, 0.2, -0.6]]),
                       biases: [0.2, -0.1], activation: .sigmoid, batchNorm: BatchNorm(units: 2)),
        ])
    }
    static let inputs = Matrix([[0.5, 1.0, -1.5], [1.5, -0.5, 0.3], [-0.7, 0.2, 0.9], [0.1, -1.2, 0.4], [1.1, 0.8, -0.3], [-0.4, -0.9, 1.3]])
    static let targets = Matrix([[0.1, 0.9], [0.8, 0.2], [0.3, 0.6], [0.7, 0.4], [0.2, 0.1], [0.9, 0.7]])

    /// A network's values in the order of PyTorch's state_dict: W b γ β μ_run σ²_run n per layer.
    static func stateDict(_ network: Network) -> [[Double]] {
        network.layers.flatMap { layer -> [[Double]] in
            let norm = layer.batchNorm ?? BatchNorm(units: 0)
            return [layer.weights.storage, layer.biases, norm.gamma, norm.beta, norm.runningMean, norm.runningVariance,
                    [Double(norm.batchesTracked)]]
        }
    }

    static func maximumDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
        precondition(a.map(\.count) == b.map(\.count), "shapes \(a.map(\.count)) and \(b.map(\.count))")
        return zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
    }

    @Test func gradientsMatchPyTorch() {
        let gradients = Self.network().gradients(input: Self.inputs, target: Self.targets, loss: .mse)
        let ours = (0..<2).flatMap { [gradients.weights[$0].storage, gradients.biases[$0], gradients.gammas[$0], gradients.betas[$0]] }
        #expect(abs(gradients.loss - BatchNormReference.trainingLoss) < 1e-12)
        #expect(Self.maximumDifference(ours, BatchNormReference.gradients) < 1e-12)
        // With batch statistics the biases before a normalization have no effect, so no gradient.
        #expect(gradients.biases[0].allSatisfy { abs($0) < 1e-15 })
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var settings: OptimizerSettings
        var learningRate: Double
        var state: [[Double]]
        var outputs: [Double]
        var evaluationLoss: Double
    }

    static let cases = [
        Case(description: "sgd", settings: OptimizerSettings(kind: .sgd), learningRate: 0.1,
             state: BatchNormReference.sgdState, outputs: BatchNormReference.sgdOutputs,
             evaluationLoss: BatchNormReference.sgdEvaluationLoss),
        Case(description: "adam", settings: OptimizerSettings(kind: .adam), learningRate: 0.01,
             state: BatchNormReference.adamState, outputs: BatchNormReference.adamOutputs,
             evaluationLoss: BatchNormReference.adamEvaluationLoss),
    ]

    /// Four steps (two epochs of two batches of three) in each path, then evaluation mode.
    @Test(arguments: cases, [false, true])
    func trainingMatchesPyTorch(_ testCase: Case, fast: Bool) {
        var network = Self.network()
        let configuration = TrainingConfiguration(epochs: 2, learningRate: testCase.learningRate, batchSize: 3,
                                                  optimizer: testCase.settings)
        var generator = SeededGenerator(seed: 1)
        if fast {
            _ = Trainer.train(&network, inputs: Self.inputs, targets: Self.targets, loss: .mse,
                              configuration: configuration, generator: &generator)
        } else {
            _ = Trainer.referenceTrain(&network, inputs: Self.inputs, targets: Self.targets, loss: .mse,
                                       configuration: configuration, generator: &generator)
        }
        #expect(Self.maximumDifference(Self.stateDict(network), testCase.state) < 1e-9)
        let outputs = network.predict(Self.inputs)
        #expect(Self.maximumDifference([outputs.storage], [testCase.outputs]) < 1e-9)
        #expect(abs(network.loss(input: Self.inputs, target: Self.targets, loss: .mse) - testCase.evaluationLoss) < 1e-9)
        // Evaluation is not training: its outputs differ from the batch-statistics pass.
        #expect(Self.maximumDifference([outputs.storage], [network.forward(Self.inputs, dropoutMasks: [nil, nil]).output.storage]) > 1e-3)
    }

    /// The fast path against the reference one with dropout, shuffling, momentum and a short last batch.
    @Test(arguments: [OptimizerKind.sgd, .momentum, .adam])
    func fastMatchesReference(_ kind: OptimizerKind) {
        var generator = SeededGenerator(seed: 5)
        var start = Network(inputCount: 3)
        start.appendLayer(units: 5, activation: .relu, generator: &generator)
        start.layers[0].batchNorm = BatchNorm(units: 5)
        start.layers[0].dropout = 0.3
        start.appendLayer(units: 2, activation: .softmax, generator: &generator)
        start.layers[1].batchNorm = BatchNorm(units: 2)
        let targets = Matrix([[1, 0], [0, 1], [1, 0], [0, 1], [0, 1], [1, 0]])
        let configuration = TrainingConfiguration(epochs: 5, learningRate: 0.05, batchSize: 4, shuffle: true,
                                                  optimizer: OptimizerSettings(kind: kind))
        var fast = start, reference = start
        var fastGenerator = SeededGenerator(seed: 9), referenceGenerator = SeededGenerator(seed: 9)
        _ = Trainer.train(&fast, inputs: Self.inputs, targets: targets, loss: .crossEntropy,
                          configuration: configuration, generator: &fastGenerator)
        _ = Trainer.referenceTrain(&reference, inputs: Self.inputs, targets: targets, loss: .crossEntropy,
                                   configuration: configuration, generator: &referenceGenerator)
        #expect(Self.maximumDifference(Self.stateDict(fast), Self.stateDict(reference)) < 1e-12)
        #expect(Self.maximumDifference(Self.stateDict(fast), Self.stateDict(start)) > 1e-3)
        #expect(fast.layers[0].batchNorm?.batchesTracked == 10)
    }

    /// The workspace in Float computes the same four SGD steps to float32's rounding. (Not
    /// Adam: it divides the biases' zero gradients, float32 noise of 1e-8, by √v + ε with ε
    /// 1e-8, and moves them by about η a step, in PyTorch's float32 too.)
    @Test func float32TrainingAgreesToItsRounding() {
        var network = Self.network()
        var configuration = TrainingConfiguration(epochs: 2, learningRate: 0.1, batchSize: 3, optimizer: OptimizerSettings(kind: .sgd))
        configuration.precision = .float32
        var generator = SeededGenerator(seed: 1)
        _ = Trainer.train(&network, inputs: Self.inputs, targets: Self.targets, loss: .mse, configuration: configuration, generator: &generator)
        let difference = Self.maximumDifference(Self.stateDict(network), BatchNormReference.sgdState)
        #expect(difference < 1e-5)
        #expect(difference > 0)
    }

    /// Central differences of the training-mode loss, where every sample's output depends on
    /// the whole batch through μ and σ².
    @Test(arguments: [Loss.mse, .crossEntropy])
    func gradientCheckPassesThroughBatchNorm(_ loss: Loss) {
        var network = Self.network()
        network.layers[1].activation = loss == .crossEntropy ? .softmax : .sigmoid
        network.layers[0].batchNorm?.gamma = [1.2, 0.8, -0.5, 1.1]
        network.layers[1].batchNorm?.beta = [0.3, -0.2]
        let targets = loss == .crossEntropy ? Matrix([[1, 0], [0, 1], [1, 0], [0, 1], [0, 1], [1, 0]]) : Self.targets
        let result = GradientCheck.run(network: network, inputs: Self.inputs, targets: targets, loss: loss)
        #expect(result.passed)
        #expect(!result.allZero)
        #expect(result.entries.filter { $0.normalization == .gamma }.count == 6)
        // Dropping the batch-statistics terms of the backward pass (treating μ and σ² as
        // constants, as in evaluation) gives gradients the check rejects.
        let evaluationGradients = network.gradients(of: network.forward(Self.inputs), target: targets, loss: loss)
        var broken = network.gradients(input: Self.inputs, target: targets, loss: loss)
        broken.weights = evaluationGradients.weights
        #expect(!GradientCheck.run(network: network, inputs: Self.inputs, targets: targets, loss: loss, gradients: broken).passed)
    }

    /// Evaluation mode by hand: y = γ (z − μ_run)/√(σ²_run + ε) + β, then the activation.
    @Test func evaluationUsesRunningStatistics() {
        let layer = DenseLayer(weights: Matrix([[2]]), biases: [1], activation: .linear,
                               batchNorm: BatchNorm(gamma: [3], beta: [0.5], runningMean: [4], runningVariance: [0.25],
                                                    batchesTracked: 7))
        let network = Network(inputCount: 1, layers: [layer])
        let output = network.predict(Matrix([[1.5], [2.5]]))
        let scale = 3 / (0.25 + 1e-5).squareRoot()
        #expect(abs(output[0, 0] - (scale * (4 - 4) + 0.5)) < 1e-12)
        #expect(abs(output[1, 0] - (scale * (6 - 4) + 0.5)) < 1e-12)
    }
}
