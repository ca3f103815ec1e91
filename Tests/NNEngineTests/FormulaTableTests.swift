import Testing
@testable import NNEngine

/// Every activation (hidden and output), every loss and every optimizer trained a few epochs
/// by the workspace (`Trainer.train`, float64 and float32) and by the reference
/// (`Trainer.referenceTrain`), compared parameter by parameter and epoch by epoch.
///
/// The cases come from the name tables (`Activation.names`, `Loss.names`,
/// `OptimizerKind.allCases`), so a new activation, loss or optimizer joins the table by
/// being named.
@Suite("Fast versus reference, every formula")
struct FormulaTableTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var hidden: Activation = .tanh
        var output: Activation = .linear
        var loss: Loss = .mse
        var optimizer = OptimizerSettings(kind: .sgd)
        var oneHot = false
        /// Whether gradients reach the hidden layer's weights, so training must move them.
        var hiddenLearns = true
        /// Whether any parameter can move at all.
        var anythingLearns = true
        /// The output layer's biases at the start, if not the initializer's: large ones saturate
        /// the outputs, so the losses taken from the net input are tested where their
        /// probabilities round to 0 or 1.
        var outputBiases: [Double]?
    }

    /// Whether an activation passes no gradient: a zero derivative everywhere.
    static func isFlat(_ activation: Activation) -> Bool {
        activation == .step || activation == .sign
    }

    /// Output biases far beyond where a clamped probability's log stops (−log 1e-15 ≈ 34.5).
    static let saturatingBiases: [Double] = [60, -60, 0]

    static let cases: [Case] = {
        var cases: [Case] = []
        let activations = Activation.names.compactMap { Activation(name: $0, alpha: $0 == "leaky_relu" ? 0.1 : nil) }
        for activation in activations {
            cases.append(Case(description: "hidden \(activation.name)", hidden: activation, output: .tanh,
                              hiddenLearns: !isFlat(activation)))
            cases.append(Case(description: "output \(activation.name)", hidden: .tanh, output: activation,
                              hiddenLearns: !isFlat(activation), anythingLearns: !isFlat(activation)))
        }
        for loss in Loss.names.compactMap({ Loss(name: $0, delta: $0 == "huber" ? 0.3 : nil) }) {
            switch loss {
            case .crossEntropy:
                cases.append(Case(description: "cross_entropy, softmax (closed form)", output: .softmax, loss: loss, oneHot: true))
                cases.append(Case(description: "cross_entropy, softmax, saturated (from the net)", output: .softmax, loss: loss,
                                  oneHot: true, outputBiases: Self.saturatingBiases))
                cases.append(Case(description: "cross_entropy, sigmoid (general route)", output: .sigmoid, loss: loss, oneHot: true))
            case .binaryCrossEntropy:
                cases.append(Case(description: "binary_cross_entropy, sigmoid (closed form)", output: .sigmoid, loss: loss, oneHot: true))
                cases.append(Case(description: "binary_cross_entropy, sigmoid, saturated (from the net)", output: .sigmoid,
                                  loss: loss, oneHot: true, outputBiases: Self.saturatingBiases))
                cases.append(Case(description: "binary_cross_entropy, softmax (general route)", output: .softmax, loss: loss, oneHot: true))
            default:
                cases.append(Case(description: "\(loss.name), linear", output: .linear, loss: loss))
            }
        }
        // L-BFGS is full-batch and unregularized: ToolboxTests holds its two paths together.
        for kind in OptimizerKind.allCases where kind != .lbfgs {
            var regularized = OptimizerSettings(kind: kind)
            regularized.weightDecay = 0.01
            regularized.l1 = 0.001
            for settings in [OptimizerSettings(kind: kind), regularized] {
                let name = settings.weightDecay == 0 ? "\(kind)" : "\(kind), weight_decay and l1"
                cases.append(Case(description: name, output: .softmax, loss: .crossEntropy, optimizer: settings, oneHot: true))
            }
        }
        return cases
    }()

    /// Whether `a` and `b` agree within `tolerance` relative to the larger of 1 and |a|.
    static func close(_ a: Double, _ b: Double, within tolerance: Double) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a))
    }

    @Test(arguments: cases)
    func workspaceMatchesTheReference(_ testCase: Case) {
        var start = FastTrainerTests.network(seed: 7, hidden: testCase.hidden, output: testCase.output)
        if let biases = testCase.outputBiases { start.layers[start.layers.count - 1].biases = biases }
        let (inputs, targets) = FastTrainerTests.data(oneHot: testCase.oneHot)
        if testCase.outputBiases != nil {
            let exact = start.loss(input: inputs, target: targets, loss: testCase.loss)
            let clamped = testCase.loss.value(output: start.predict(inputs), target: targets)
            #expect(exact - clamped > 0.1, "the outputs saturate: \(exact) from the net, \(clamped) from the outputs")
        }
        let adaptive = [OptimizerKind.adam, .rmsprop, .adagrad].contains(testCase.optimizer.kind)
        let configuration = TrainingConfiguration(epochs: 3, learningRate: adaptive ? 0.01 : 0.2, batchSize: 5,
                                                  optimizer: testCase.optimizer, measuresAccuracy: true)
        var reference = start
        var referenceGenerator = SeededGenerator(seed: 3)
        let referenceReport = Trainer.referenceTrain(&reference, inputs: inputs, targets: targets, loss: testCase.loss,
                                                     configuration: configuration, generator: &referenceGenerator)
        #expect(referenceReport.stopReason == .completed && referenceReport.epochsCompleted == 3)
        #expect(referenceReport.finalLoss?.isFinite == true)
        // Not a vacuous agreement: the parameters moved where gradients reach them, and
        // stayed where an activation with a zero derivative stops them.
        #expect((reference != start) == testCase.anythingLearns, "the network moved iff gradients reach it")
        #expect((reference.layers[0].weights != start.layers[0].weights) == testCase.hiddenLearns,
                "the hidden weights moved iff gradients reach them")

        for (precision, tolerance) in [(Precision.float64, 1e-12), (.float32, 1e-4)] {
            var fast = start
            var fastGenerator = SeededGenerator(seed: 3)
            var configuration = configuration
            configuration.precision = precision
            let report = Trainer.train(&fast, inputs: inputs, targets: targets, loss: testCase.loss,
                                       configuration: configuration, generator: &fastGenerator)
            #expect(report.stopReason == referenceReport.stopReason, "\(precision)")
            for (x, y) in zip(fast.layers, reference.layers) {
                #expect(zip(x.weights.storage, y.weights.storage).allSatisfy { Self.close($1, $0, within: tolerance) },
                        "\(precision) weights")
                #expect(zip(x.biases, y.biases).allSatisfy { Self.close($1, $0, within: tolerance) }, "\(precision) biases")
            }
            #expect(Self.close(referenceReport.finalLoss ?? .nan, report.finalLoss ?? .nan, within: tolerance), "\(precision)")
            #expect(report.history.count == referenceReport.history.count)
            for (a, b) in zip(report.history, referenceReport.history) {
                #expect(Self.close(b.loss, a.loss, within: tolerance) && a.learningRate == b.learningRate, "\(precision)")
                if precision == .float64 { #expect(a.accuracy == b.accuracy) }
            }
            if precision == .float64 { #expect(report.finalAccuracy == referenceReport.finalAccuracy) }
        }
    }

    /// The table holds every name the language knows.
    @Test func everyActivationLossAndOptimizerIsInTheTable() {
        let descriptions = Self.cases.map(\.description)
        for name in Activation.names {
            #expect(descriptions.contains("hidden \(name)") && descriptions.contains("output \(name)"), "\(name)")
        }
        for name in Loss.names { #expect(descriptions.contains { $0.hasPrefix("\(name),") }, "\(name)") }
        for kind in OptimizerKind.allCases where kind != .lbfgs {
            #expect(descriptions.contains("\(kind)") && descriptions.contains("\(kind), weight_decay and l1"), "\(kind)")
        }
    }
}
