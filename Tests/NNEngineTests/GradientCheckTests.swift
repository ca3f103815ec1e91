import NNEngine
import Testing

/// `GradientCheck.run`: it passes backpropagation on every differentiable activation and loss,
/// and fails a backpropagation with a wrong derivative.
@Suite("Gradient check")
struct GradientCheckTests {
    @Test(arguments: NetworkGradientTests.cases)
    func passesBackpropagation(_ testCase: NetworkGradientTests.Case) throws {
        let (network, input, target, _) = try #require(NetworkGradientTests.liveProblem(testCase))
        let result = GradientCheck.run(network: network, inputs: input, targets: target, loss: testCase.loss)
        #expect(result.passed, "worst \(String(describing: result.worst))")
        #expect(result.entries.count == network.parameterCount)
        #expect(!result.allZero)
    }

    // MARK: - A broken backpropagation

    /// Sigmoid layers and sse.
    static func sigmoidProblem() -> (network: Network, input: Matrix, target: Matrix) {
        var generator = SeededGenerator(seed: 11)
        var network = Network(inputCount: 3)
        network.appendLayer(units: 4, activation: .sigmoid, generator: &generator)
        network.appendLayer(units: 2, activation: .sigmoid, generator: &generator)
        let input = TestSupport.randomMatrix(rows: 3, columns: 3, -1, 1, generator: &generator)
        let target = TestSupport.randomMatrix(rows: 3, columns: 2, 0, 1, generator: &generator)
        return (network, input, target)
    }

    /// Backpropagation by hand for sigmoid layers and sse, with `derivative(a)` as σ'(z)
    /// written in terms of the output a: right is a(1 − a).
    static func handBackpropagation(_ network: Network, input: Matrix, target: Matrix, derivative: (Double) -> Double) -> NetworkGradients {
        let pass = network.forward(input)
        var outputGradient = Loss.sse.gradient(output: pass.output, target: target)
        var weights: [Matrix] = []
        var biases: [[Double]] = []
        var deltas: [Matrix] = []
        for index in network.layers.indices.reversed() {
            let layerInput = index == 0 ? input : pass.layers[index - 1].output
            let delta = outputGradient * pass.layers[index].output.map(derivative)
            weights.insert(Matrix.product(delta, layerInput, transposeA: true), at: 0)
            biases.insert(delta.columnSums(), at: 0)
            deltas.insert(delta, at: 0)
            outputGradient = Matrix.product(delta, network.layers[index].weights)
        }
        return NetworkGradients(weights: weights, biases: biases, deltas: deltas, loss: network.loss(input: input, target: target, loss: .sse))
    }

    @Test func theHandBackpropagationIsRightWithTheRightDerivative() {
        let (network, input, target) = Self.sigmoidProblem()
        let gradients = Self.handBackpropagation(network, input: input, target: target) { a in a * (1 - a) }
        let result = GradientCheck.run(network: network, inputs: input, targets: target, loss: .sse, gradients: gradients)
        #expect(result.passed)
        #expect(!result.allZero)
    }

    @Test func failsAWrongSigmoidDerivative() throws {
        let (network, input, target) = Self.sigmoidProblem()
        let broken = Self.handBackpropagation(network, input: input, target: target) { a in a }
        let result = GradientCheck.run(network: network, inputs: input, targets: target, loss: .sse, gradients: broken)
        #expect(!result.passed)
        let worst = try #require(result.worst)
        #expect(worst.relativeError > 0.1)
        // The check compared the gradients it was given, not its own.
        let given = worst.column.map { broken.weights[worst.layer - 1][worst.row - 1, $0 - 1] } ?? broken.biases[worst.layer - 1][worst.row - 1]
        #expect(worst.analytic == given)
    }

    /// Gradients 1% too large, or one gradient wrong in one place, fail.
    @Test(arguments: [1.01, 0.99, -1.0])
    func failsScaledGradients(_ scale: Double) {
        let (network, input, target) = Self.sigmoidProblem()
        var gradients = network.gradients(input: input, target: target, loss: .sse)
        gradients.weights = gradients.weights.map { $0 * scale }
        gradients.biases = gradients.biases.map { $0.map { $0 * scale } }
        #expect(!GradientCheck.run(network: network, inputs: input, targets: target, loss: .sse, gradients: gradients).passed)
    }

    @Test func failsOneWrongBias() throws {
        let (network, input, target) = Self.sigmoidProblem()
        var gradients = network.gradients(input: input, target: target, loss: .sse)
        gradients.biases[0][2] *= 1.001
        let result = GradientCheck.run(network: network, inputs: input, targets: target, loss: .sse, gradients: gradients)
        #expect(!result.passed)
        let worst = try #require(result.worst)
        #expect(worst.layer == 1 && worst.row == 3 && worst.column == nil)
    }

    // MARK: - Sampling large tensors

    /// A 20-40-3 tanh/softmax network on 12 samples: W1 has 800 weights, b1 40, W2 120, b2 3.
    static func wideProblem() -> (Network, Matrix, Matrix) {
        var generator = SeededGenerator(seed: 11)
        let layers = [(20, 40, Activation.tanh), (40, 3, .softmax)].map { inputs, units, activation in
            DenseLayer(weights: Matrix(rows: units, columns: inputs, storage: (0..<(units * inputs)).map { _ in Double.random(in: -0.3...0.3, using: &generator) }),
                       biases: (0..<units).map { _ in Double.random(in: -0.1...0.1, using: &generator) }, activation: activation)
        }
        let input = Matrix(rows: 12, columns: 20, storage: (0..<240).map { _ in Double.random(in: -1...1, using: &generator) })
        let target = Matrix(rows: 12, columns: 3, storage: (0..<36).map { $0 % 3 == ($0 / 3) % 3 ? 1 : 0 })
        return (Network(inputCount: 20, layers: layers), input, target)
    }

    @Test func aSampleOfEachLargeTensorIsCheckedTheSameWayEachTime() {
        let (network, input, target) = Self.wideProblem()
        func sampled(seed: UInt64) -> GradientCheck.Result {
            var generator = SeededGenerator(seed: seed)
            return GradientCheck.run(network: network, inputs: input, targets: target, loss: .crossEntropy,
                                     samplePerTensor: 30, generator: &generator)
        }
        let result = sampled(seed: 1)
        #expect(result.passed)
        #expect(result.selectedCount == 800 + 40 + 120 + 3)
        // 30 of W1, of b1 and of W2; all 3 of b2, the one tensor no larger than the sample.
        #expect(result.entries.count == 30 + 30 + 30 + 3)
        #expect(result.entries.filter { $0.layer == 1 && $0.column != nil }.count == 30)
        #expect(result.entries.filter { $0.layer == 2 && $0.column == nil }.count == 3)
        #expect(Set(result.entries.map { [$0.layer, $0.row, $0.column ?? 0] }).count == result.entries.count)
        #expect(sampled(seed: 1) == result)
        #expect(sampled(seed: 2).entries.map(\.row) != result.entries.map(\.row))
    }

    /// A wrong derivative is wrong across its tensor, so a sample of it fails too.
    @Test func aSampleStillFailsAWrongTensor() {
        let (network, input, target) = Self.wideProblem()
        var gradients = network.gradients(input: input, target: target, loss: .crossEntropy)
        gradients.weights[0] = gradients.weights[0] * 1.01
        var generator = SeededGenerator(seed: 1)
        let result = GradientCheck.run(network: network, inputs: input, targets: target, loss: .crossEntropy, gradients: gradients,
                                       samplePerTensor: 30, generator: &generator)
        #expect(!result.passed)
        #expect(result.worst?.layer == 1 && result.worst?.column != nil)
    }

    @Test func aNetworkWithSmallTensorsIsCheckedWhole() {
        let (network, input, target) = Self.sigmoidProblem()
        var generator = SeededGenerator(seed: 1)
        let sampled = GradientCheck.run(network: network, inputs: input, targets: target, loss: .sse, samplePerTensor: 30, generator: &generator)
        let whole = GradientCheck.run(network: network, inputs: input, targets: target, loss: .sse)
        #expect(sampled == whole && whole.selectedCount == whole.entries.count)
    }

    // MARK: - Selections and zeros

    @Test(arguments: [
        (GradientCheck.Selection.all, 26), (.weights(layer: 1), 12), (.biases(layer: 2), 2),
        (.weight(layer: 2, row: 1, column: 3), 1), (.bias(layer: 1, index: 4), 1),
    ])
    func selections(_ testCase: (selection: GradientCheck.Selection, count: Int)) {
        let (network, input, target) = Self.sigmoidProblem()
        let result = GradientCheck.run(network: network, inputs: input, targets: target, loss: .sse, selection: testCase.selection)
        #expect(result.entries.count == testCase.count)
        #expect(result.passed)
    }

    /// Zero gradients are flagged, and agree with central differences that are zero up to
    /// round-off: a network that fits its data exactly passes.
    @Test func zeroGradientsPassAndAreFlagged() {
        let network = Network(inputCount: 1, layers: [DenseLayer(weights: Matrix([[2]]), biases: [0], activation: .linear)])
        let input = Matrix([[1], [0.3]])
        let target = network.predict(input)
        let result = GradientCheck.run(network: network, inputs: input, targets: target, loss: .mse)
        #expect(result.allZero)
        #expect(result.passed, "worst \(String(describing: result.worst))")
        // A gradient of 1e-9 is not zero, and a wrong one still fails.
        var gradients = network.gradients(input: input, target: target, loss: .mse)
        gradients.weights[0][0, 0] = 1e-9
        #expect(!GradientCheck.run(network: network, inputs: input, targets: target, loss: .mse, gradients: gradients).passed)
    }
}
