import Testing
@testable import NNEngine

/// `Trainer.train` (the workspace) against `Trainer.referenceTrain` (the readable loop), and
/// the workspace's promise to make no buffers after the first epoch.
@Suite("Fast trainer")
struct FastTrainerTests {
    /// A 5-4-3 network with a softmax output, or 5-4-3-2 when `deep`.
    static func network(seed: UInt64, hidden: Activation = .tanh, output: Activation = .softmax,
                        outputs: Int = 3, dropout: Double = 0) -> Network {
        var generator = SeededGenerator(seed: seed)
        var network = Network(inputCount: 5)
        network.appendLayer(units: 4, activation: hidden, generator: &generator)
        network.layers[0].dropout = dropout
        network.appendLayer(units: outputs, activation: output, generator: &generator)
        return network
    }

    static func data(samples: Int = 23, outputs: Int = 3, oneHot: Bool = true) -> (Matrix, Matrix) {
        var generator = SeededGenerator(seed: 99)
        let inputs = TestSupport.randomMatrix(rows: samples, columns: 5, generator: &generator)
        let targets = oneHot
            ? TestSupport.randomOneHot(rows: samples, columns: outputs, generator: &generator)
            : TestSupport.randomMatrix(rows: samples, columns: outputs, generator: &generator)
        return (inputs, targets)
    }

    /// Whether two networks' parameters agree within `tolerance`, relative to 1.
    static func agree(_ a: Network, _ b: Network, within tolerance: Double) -> Bool {
        zip(a.layers, b.layers).allSatisfy { x, y in
            zip(x.weights.storage, y.weights.storage).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0)) }
                && zip(x.biases, y.biases).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0)) }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var configuration: TrainingConfiguration
        var hidden: Activation = .tanh
        var output: Activation = .softmax
        var loss: Loss = .crossEntropy
        var dropout: Double = 0
        var oneHot = true
    }

    static let cases: [Case] = {
        func settings(_ kind: OptimizerKind, weightDecay: Double = 0, l1: Double = 0) -> OptimizerSettings {
            var settings = OptimizerSettings(kind: kind)
            settings.weightDecay = weightDecay
            settings.l1 = l1
            return settings
        }
        var cases: [Case] = []
        // L-BFGS is full-batch and unregularized: ToolboxTests holds its two paths together.
        for kind in OptimizerKind.allCases where kind != .lbfgs {
            let rate = [.adam, .rmsprop, .adagrad].contains(kind) ? 0.01 : 0.2
            cases.append(Case(description: "\(kind)", configuration: TrainingConfiguration(
                epochs: 4, learningRate: rate, batchSize: 5, optimizer: settings(kind), measuresAccuracy: true)))
            cases.append(Case(description: "\(kind) with weight decay and l1, shuffled", configuration: TrainingConfiguration(
                epochs: 3, learningRate: rate, batchSize: 7, shuffle: true,
                optimizer: settings(kind, weightDecay: 0.01, l1: 0.001))))
        }
        var validation = TrainingConfiguration(epochs: 6, learningRate: 0.3, batchSize: 4, schedule: .exponential(gamma: 0.9),
                                               earlyStopping: EarlyStopping(patience: 2, restoreBest: true), measuresAccuracy: true)
        let (inputs, targets) = data(samples: 9)
        validation.validation = DataSet(inputs: inputs, targets: targets)
        cases.append(Case(description: "validation, schedule, early stopping", configuration: validation))
        cases.append(Case(description: "dropout, momentum, shuffled",
                          configuration: TrainingConfiguration(epochs: 3, learningRate: 0.1, batchSize: 6, shuffle: true,
                                                               optimizer: settings(.momentum)),
                          dropout: 0.3))
        cases.append(Case(description: "dropout, plain descent",
                          configuration: TrainingConfiguration(epochs: 3, learningRate: 0.1, batchSize: 6), dropout: 0.5))
        cases.append(Case(description: "sigmoid and binary cross-entropy",
                          configuration: TrainingConfiguration(epochs: 3, learningRate: 0.5, batchSize: 8),
                          hidden: .relu, output: .sigmoid, loss: .binaryCrossEntropy, oneHot: false))
        cases.append(Case(description: "elu and huber, adam",
                          configuration: TrainingConfiguration(epochs: 3, learningRate: 0.01, batchSize: 8, optimizer: settings(.adam)),
                          hidden: .elu(alpha: 1), output: .linear, loss: .huber(delta: 0.5), oneHot: false))
        cases.append(Case(description: "softplus and mse, full batch",
                          configuration: TrainingConfiguration(epochs: 5, learningRate: 0.5),
                          hidden: .softplus, output: .sigmoid, loss: .mse, oneHot: false))
        cases.append(Case(description: "leaky relu and pseudo-huber, target loss",
                          configuration: TrainingConfiguration(epochs: 5, learningRate: 0.1, batchSize: 10, targetLoss: 10),
                          hidden: .leakyRelu(alpha: 0.1), output: .tanh, loss: .pseudoHuber(delta: 1), oneHot: false))
        return cases
    }()

    @Test(arguments: cases)
    func fastTrainingMatchesTheReference(_ testCase: Case) {
        let start = Self.network(seed: 7, hidden: testCase.hidden, output: testCase.output, dropout: testCase.dropout)
        let (inputs, targets) = Self.data(oneHot: testCase.oneHot)
        var fast = start, reference = start
        var fastGenerator = SeededGenerator(seed: 3), referenceGenerator = SeededGenerator(seed: 3)
        let fastReport = Trainer.train(&fast, inputs: inputs, targets: targets, loss: testCase.loss,
                                       configuration: testCase.configuration, generator: &fastGenerator)
        let referenceReport = Trainer.referenceTrain(&reference, inputs: inputs, targets: targets, loss: testCase.loss,
                                                     configuration: testCase.configuration, generator: &referenceGenerator)
        #expect(fast != start, "training changed nothing, so agreeing proves nothing")
        #expect(Self.agree(fast, reference, within: 1e-12))
        #expect(fastReport.stopReason == referenceReport.stopReason)
        #expect(fastReport.epochsCompleted == referenceReport.epochsCompleted)
        #expect(abs((fastReport.finalLoss ?? .nan) - (referenceReport.finalLoss ?? .nan)) <= 1e-12)
        #expect(fastReport.finalAccuracy == referenceReport.finalAccuracy)
        #expect((fastReport.finalAccuracy != nil) == (testCase.configuration.measuresAccuracy && testCase.oneHot))
        #expect(fastGenerator.next() == referenceGenerator.next(), "the same draws from the generator")
        for (a, b) in zip(fastReport.history, referenceReport.history) {
            #expect(abs(a.loss - b.loss) <= 1e-12 && a.accuracy == b.accuracy && a.learningRate == b.learningRate)
            #expect(a.validationAccuracy == b.validationAccuracy)
            #expect(abs((a.validationLoss ?? 0) - (b.validationLoss ?? 0)) <= 1e-12)
        }
    }

    /// Large enough that the products leave the small-product loop: through OpenBLAS, and
    /// (where the CPU has AVX-512) through `ProductKernels`, which take the 64-wide hidden layer.
    @Test(arguments: ProductKernels.isAvailable ? [false, true] : [false])
    func largeTrainingMatchesTheReference(usesKernels: Bool) {
        var generator = SeededGenerator(seed: 11)
        var start = Network(inputCount: 40)
        start.appendLayer(units: 64, activation: .sigmoid, generator: &generator)
        start.appendLayer(units: 10, activation: .softmax, generator: &generator)
        let inputs = TestSupport.randomMatrix(rows: 150, columns: 40, 0, 1, generator: &generator)
        let targets = TestSupport.randomOneHot(rows: 150, columns: 10, generator: &generator)
        for kind in [OptimizerKind.sgd, .nesterov, .adam] {
            let configuration = TrainingConfiguration(epochs: 3, learningRate: kind == .adam ? 0.01 : 0.1, batchSize: 64,
                                                      optimizer: OptimizerSettings(kind: kind))
            var fast = start, reference = start
            var fastGenerator = SeededGenerator(seed: 1), referenceGenerator = SeededGenerator(seed: 1)
            var counter = Trainer.WorkspaceCounter()
            let report = Trainer.train(&fast, inputs: inputs, targets: targets, loss: .crossEntropy, configuration: configuration,
                                       generator: &fastGenerator, counter: &counter, usesKernels: usesKernels,
                                       onEpoch: { _ in }, shouldContinue: { _ in true })
            let referenceReport = Trainer.referenceTrain(&reference, inputs: inputs, targets: targets, loss: .crossEntropy,
                                                         configuration: configuration, generator: &referenceGenerator)
            #expect(fast != start)
            #expect(Self.agree(fast, reference, within: 1e-12), "\(kind)")
            #expect(abs((report.finalLoss ?? .nan) - (referenceReport.finalLoss ?? .nan)) <= 1e-12, "\(kind)")
        }
    }

    /// Without final losses both trainers skip the last pass and report nils, and the
    /// parameters come out exactly as they do with it.
    @Test func finalLossesCanBeSkipped() {
        let start = Self.network(seed: 6)
        let (inputs, targets) = Self.data()
        var configuration = TrainingConfiguration(epochs: 3, learningRate: 0.2, batchSize: 5, measuresAccuracy: true)
        configuration.validation = DataSet(inputs: inputs, targets: targets)
        var measured = start, skippedFast = start, skippedReference = start
        let full = Trainer.train(&measured, inputs: inputs, targets: targets, loss: .crossEntropy, configuration: configuration)
        configuration.measuresFinalLoss = false
        let fast = Trainer.train(&skippedFast, inputs: inputs, targets: targets, loss: .crossEntropy, configuration: configuration)
        var generator = SeededGenerator(seed: 42)
        let reference = Trainer.referenceTrain(&skippedReference, inputs: inputs, targets: targets, loss: .crossEntropy,
                                               configuration: configuration, generator: &generator)
        #expect(full.finalLoss != nil && full.finalAccuracy != nil && full.finalValidationLoss != nil)
        for report in [fast, reference] {
            #expect(report.finalLoss == nil && report.finalAccuracy == nil && report.finalValidationLoss == nil)
            #expect(report.history.count == 3 && report.history.last?.validationLoss != nil)
        }
        #expect(skippedFast == measured)
        #expect(Self.agree(skippedReference, measured, within: 1e-12))
    }

    @Test func float32AgreesWithFloat64WithinFloatTolerance() {
        let start = Self.network(seed: 5)
        let (inputs, targets) = Self.data()
        for kind in [OptimizerKind.sgd, .momentum, .adam] {
            var configuration = TrainingConfiguration(epochs: 5, learningRate: kind == .adam ? 0.01 : 0.2, batchSize: 5,
                                                      optimizer: OptimizerSettings(kind: kind))
            var double = start, single = start
            let doubleReport = Trainer.train(&double, inputs: inputs, targets: targets, loss: .crossEntropy, configuration: configuration)
            configuration.precision = .float32
            let singleReport = Trainer.train(&single, inputs: inputs, targets: targets, loss: .crossEntropy, configuration: configuration)
            #expect(double != start && single != double, "float32 really ran in Float")
            #expect(Self.agree(double, single, within: 1e-4), "\(kind)")
            #expect(abs((doubleReport.finalLoss ?? .nan) - (singleReport.finalLoss ?? .nan)) <= 1e-5 * max(1, doubleReport.finalLoss ?? .nan))
        }
    }

    @Test(arguments: [false, true])
    func noBuffersAreMadeAfterTheFirstEpoch(shuffled: Bool) {
        // The last batch is short (23 = 5 · 4 + 3), and the general output-delta route is taken.
        var network = Self.network(seed: 1, output: .sigmoid, dropout: 0.2)
        let (inputs, targets) = Self.data(oneHot: false)
        var configuration = TrainingConfiguration(epochs: 4, learningRate: 0.1, batchSize: 5, shuffle: shuffled,
                                                  optimizer: OptimizerSettings(kind: .adam))
        let (validationInputs, validationTargets) = Self.data(samples: 7, oneHot: false)
        configuration.validation = DataSet(inputs: validationInputs, targets: validationTargets)
        var generator = SeededGenerator(seed: 2)
        var counter = Trainer.WorkspaceCounter()
        _ = Trainer.train(&network, inputs: inputs, targets: targets, loss: .mse, configuration: configuration,
                          generator: &generator, counter: &counter, onEpoch: { _ in }, shouldContinue: { _ in true })
        let counts = counter.buffersCreatedAfterEpoch
        #expect(counts.count == 4)
        #expect(counts.allSatisfy { $0 == counts[0] }, "buffers made per epoch: \(counts)")
        #expect(counts[0] > 0)
    }

    @Test func smallProductsTakeTheLoopAndLargeOnesBLAS() {
        var generator = SeededGenerator(seed: 4)
        for (m, k, n) in [(2, 3, 4), (64, 30, 20), (17, 300, 3)] {
            let a = TestSupport.randomMatrix(rows: m, columns: k, generator: &generator)
            let b = TestSupport.randomMatrix(rows: n, columns: k, generator: &generator)
            let product = Matrix.product(a, b, transposeB: true)
            let reference = Matrix.referenceProduct(a, b, transposeB: true)
            #expect(TestSupport.isClose(product, reference, relative: 1e-12, absolute: 1e-13), "\(m)×\(k)×\(n)")
        }
    }

    @Test func threadsCanBeSet() {
        let before = BLAS.threads
        BLAS.setThreads(1)
        #expect(BLAS.threads == 1)
        BLAS.setThreads(0)
        #expect(BLAS.threads == 1, "fewer than one thread means one")
        BLAS.setThreads(before)
        #expect(BLAS.threads == before)
    }
}
