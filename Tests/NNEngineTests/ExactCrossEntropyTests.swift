import Foundation
import Testing
import NNEngine

/// Softmax + cross_entropy and sigmoid + binary_cross_entropy computed from the net input,
/// exactly, however sure and wrong the network is: against values derived here by hand from
/// log-sum-exp, in the reference, the training workspace (float64 and float32), and gradcheck.
@Suite("Exact cross-entropy")
struct ExactCrossEntropyTests {
    /// softplus(x) = log(1 + eˣ), written here for large x as x + log(1 + e⁻ˣ): the tests'
    /// own closed form, not the engine's.
    static func softplus(_ x: Double) -> Double {
        x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
    }

    /// A one-layer network: `weights` [units, 1], biases 0.
    static func network(_ weights: [[Double]], activation: Activation) -> Network {
        Network(inputCount: 1, layers: [DenseLayer(weights: Matrix(weights), biases: Array(repeating: 0, count: weights.count),
                                                   activation: activation)])
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var weights: [[Double]]
        var activation: Activation
        var loss: Loss
        var target: [Double]
        /// The loss derived by hand.
        var expected: Double
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        // z = [20, −20], t = [0, 1]: −log p₂ = log(e²⁰ + e⁻²⁰) + 20 = 40 + log(1 + e⁻⁴⁰),
        // where clamping p at 1e-15 gave 34.54.
        cases.append(Case(description: "softmax, confidently wrong (the issue's case)", weights: [[20], [-20]],
                          activation: .softmax, loss: .crossEntropy, target: [0, 1], expected: 40 + log1p(exp(-40))))
        // z = [20, −20], t = [1, 0]: −log p₁ = log(1 + e⁻⁴⁰) ≈ 4.25e-18, not 0.
        cases.append(Case(description: "softmax, confidently right", weights: [[20], [-20]],
                          activation: .softmax, loss: .crossEntropy, target: [1, 0], expected: log1p(exp(-40))))
        // z = [400, 0, −400], t = [0, 0, 1]: p₃ = e⁻⁸⁰⁰ underflows to 0 in float64;
        // −log p₃ = 800 + log(1 + e⁻⁴⁰⁰ + e⁻⁸⁰⁰), which is 800 in float64.
        cases.append(Case(description: "softmax, beyond float64's exponent", weights: [[400], [0], [-400]],
                          activation: .softmax, loss: .crossEntropy, target: [0, 0, 1], expected: 800))
        // z = [1, 2, 3], t = [0.2, 0.3, 0.5], soft targets: Σ_k t_k (log Σ_j e^z_j − z_k).
        let logSum: Double = log(exp(1.0) + exp(2.0) + exp(3.0))
        let weighted: Double = 0.2 * 1 + 0.3 * 2 + 0.5 * 3
        cases.append(Case(description: "softmax, soft targets", weights: [[1], [2], [3]],
                          activation: .softmax, loss: .crossEntropy, target: [0.2, 0.3, 0.5], expected: logSum - weighted))
        // z = 40, t = 0: −log(1 − σ(40)) = softplus(40).
        cases.append(Case(description: "sigmoid, large wrong logit", weights: [[40]],
                          activation: .sigmoid, loss: .binaryCrossEntropy, target: [0], expected: softplus(40)))
        // z = −40, t = 1: −log σ(−40) = softplus(40).
        cases.append(Case(description: "sigmoid, large wrong negative logit", weights: [[-40]],
                          activation: .sigmoid, loss: .binaryCrossEntropy, target: [1], expected: softplus(40)))
        // z = 40, t = 1: −log σ(40) = softplus(−40) ≈ 4.25e-18.
        cases.append(Case(description: "sigmoid, large right logit", weights: [[40]],
                          activation: .sigmoid, loss: .binaryCrossEntropy, target: [1], expected: softplus(-40)))
        // Two outputs z = [30, −2], t = [0.25, 1], averaged over the two:
        // (0.25 softplus(−30) + 0.75 softplus(30) + softplus(2)) / 2.
        let first: Double = 0.25 * softplus(-30) + 0.75 * softplus(30)
        cases.append(Case(description: "sigmoid, two outputs, soft target", weights: [[30], [-2]],
                          activation: .sigmoid, loss: .binaryCrossEntropy, target: [0.25, 1],
                          expected: (first + softplus(2)) / 2))
        return cases
    }()

    @Test(arguments: cases)
    func referenceLossIsExact(_ testCase: Case) {
        let network = Self.network(testCase.weights, activation: testCase.activation)
        let value = network.loss(input: Matrix([[1]]), target: Matrix([testCase.target]), loss: testCase.loss)
        #expect(abs(value - testCase.expected) <= 1e-12 * max(1, testCase.expected), "\(value) for \(testCase.expected)")
        #expect(testCase.loss.isComputedFromNet(after: testCase.activation))
    }

    /// The saturated case to 1e-12 absolutely, and the clamped value it replaces is far off.
    @Test func theIssuesCaseIsFortyNotThirtyFourPointFive() {
        let network = Self.network([[20], [-20]], activation: .softmax)
        let input = Matrix([[1]]), target = Matrix([[0, 1]])
        #expect(abs(network.loss(input: input, target: target, loss: .crossEntropy) - 40) <= 1e-12)
        let clamped = Loss.crossEntropy.value(output: network.predict(input), target: target)
        #expect(abs(clamped - 34.538776394910684) < 1e-9, "from the outputs alone, p is clamped at 1e-15")
    }

    @Test(arguments: cases)
    func gradientCheckPasses(_ testCase: Case) {
        let network = Self.network(testCase.weights, activation: testCase.activation)
        let result = GradientCheck.run(network: network, inputs: Matrix([[1]]), targets: Matrix([testCase.target]),
                                       loss: testCase.loss)
        #expect(result.passed, "worst \(String(describing: result.worst))")
        // A confidently right network's gradients are about 1e-18: all zero to the check.
        #expect(result.allZero == (testCase.expected < 1e-12))
    }

    /// The workspace's batch loss (epoch 1's, taken before the step) and its measured loss
    /// equal the reference's, in float64 and float32.
    @Test(arguments: cases)
    func workspaceAgreesWithTheReference(_ testCase: Case) {
        let start = Self.network(testCase.weights, activation: testCase.activation)
        let inputs = Matrix([[1]]), targets = Matrix([testCase.target])
        let configuration = TrainingConfiguration(epochs: 1, learningRate: 1e-9)
        var reference = start
        var generator = SeededGenerator(seed: 1)
        let referenceReport = Trainer.referenceTrain(&reference, inputs: inputs, targets: targets, loss: testCase.loss,
                                                     configuration: configuration, generator: &generator)
        let expected = testCase.expected
        #expect(abs((referenceReport.history.first?.loss ?? .nan) - expected) <= 1e-12 * max(1, expected))
        for (precision, tolerance) in [(Precision.float64, 1e-12), (.float32, 1e-6)] {
            var fast = start
            var configuration = configuration
            configuration.precision = precision
            var generator = SeededGenerator(seed: 1)
            let report = Trainer.train(&fast, inputs: inputs, targets: targets, loss: testCase.loss,
                                       configuration: configuration, generator: &generator)
            let batchLoss = report.history.first?.loss ?? .nan
            let measured = report.finalLoss ?? .nan
            #expect(abs(batchLoss - expected) <= tolerance * max(1, expected), "\(precision): \(batchLoss)")
            #expect(abs(measured - (referenceReport.finalLoss ?? .nan)) <= tolerance * max(1, expected), "\(precision): \(measured)")
        }
    }

    /// Training from the saturated start stays finite and makes the wrong answer less sure.
    @Test(arguments: [Precision.float64, .float32])
    func trainingFromASaturatedStartStaysFinite(_ precision: Precision) {
        for testCase in Self.cases where testCase.expected > 10 {
            var network = Self.network(testCase.weights, activation: testCase.activation)
            var configuration = TrainingConfiguration(epochs: 20, learningRate: 0.5)
            configuration.precision = precision
            let report = Trainer.train(&network, inputs: Matrix([[1]]), targets: Matrix([testCase.target]),
                                       loss: testCase.loss, configuration: configuration)
            #expect(report.stopReason == .completed, "\(testCase)")
            #expect(report.history.allSatisfy { $0.loss.isFinite }, "\(testCase)")
            #expect((report.finalLoss ?? .nan) < testCase.expected - 1, "\(testCase): \(String(describing: report.finalLoss))")
        }
    }

    /// With dropout on the output layer the outputs are masked, so the loss is taken from them, clamped.
    @Test func maskedOutputsUseTheClampedForm() {
        var network = Self.network([[20], [-20]], activation: .softmax)
        network.layers[0].dropout = 0.5
        let mask = Matrix([[2, 2]])
        let loss = network.loss(input: Matrix([[1]]), target: Matrix([[0, 1]]), loss: .crossEntropy, dropoutMasks: [mask])
        #expect(abs(loss - Loss.clampedLogLimit) < 1e-9)
    }

    /// The pairs without an exact form keep the guard: finite, and at most −log ε per term.
    @Test(arguments: [(Activation.sigmoid, Loss.crossEntropy), (.linear, .crossEntropy), (.softmax, .binaryCrossEntropy),
                      (.tanh, .binaryCrossEntropy)])
    func otherActivationsStayFinite(_ activation: Activation, _ loss: Loss) {
        #expect(!loss.isComputedFromNet(after: activation))
        let network = Self.network([[-60], [60]], activation: activation)
        let value = network.loss(input: Matrix([[1]]), target: Matrix([[1, 0]]), loss: loss)
        #expect(value.isFinite && value > 0 && value <= 2 * Loss.clampedLogLimit + 1e-9, "\(value)")
    }

    /// `Loss.terms` lists the terms `Loss.value(after:…)` sums, exact ones included.
    @Test func termsAddUpToTheValue() {
        let net = Matrix([[20, -20], [1, 3]]), target = Matrix([[0, 1], [0.5, 0.5]])
        let output = Activation.softmax.apply(net)
        let terms = Loss.crossEntropy.terms(after: .softmax, net: net, output: output, target: target)
        #expect(abs(terms[0, 1] - 40) <= 1e-12 && terms[0, 0] == 0)
        let value = Loss.crossEntropy.value(after: .softmax, net: net, output: output, target: target)
        #expect(abs(value - terms.storage.reduce(0, +) / 2) <= 1e-12)
        #expect(abs(Loss.logSumExp([20, -20]) - (20 + log1p(exp(-40)))) <= 1e-12)
    }
}
