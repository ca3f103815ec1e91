import Testing
import NNEngine

@Suite("Network gradients")
struct NetworkGradientTests {
    /// Hidden layers use `hidden`, the output layer `output`; the layer sizes start with the inputs.
    struct Case: Sendable, CustomStringConvertible {
        var sizes: [Int]
        var hidden: Activation
        var output: Activation
        var loss: Loss
        var description: String {
            "\(sizes.map(String.init).joined(separator: "-")) \(hidden.name)/\(output.name) \(loss.name)"
        }
    }

    /// Activations whose derivative is nonzero somewhere (step and sign pass no gradient back).
    static let activations: [Activation] = [
        .linear, .piecewiseLinear, .sigmoid, .tanh, .relu, .leakyRelu(alpha: 0.1), .elu(alpha: 0.8), .softplus, .softmax,
    ]

    static let cases: [Case] = [[3, 4, 2], [2, 3, 3, 2]].flatMap { sizes in
        activations.flatMap { activation in
            // Losses for any output: every activation as hidden and as output layer.
            [Loss.sse, .mse, .huber(delta: 0.5), .pseudoHuber(delta: 0.7)].map {
                Case(sizes: sizes, hidden: activation, output: activation, loss: $0)
            }
            // Cross-entropies need probabilities out: every activation as hidden layer.
            + [
                Case(sizes: sizes, hidden: activation, output: .softmax, loss: .crossEntropy),
                Case(sizes: sizes, hidden: activation, output: .sigmoid, loss: .crossEntropy),
                Case(sizes: sizes, hidden: activation, output: .sigmoid, loss: .binaryCrossEntropy),
            ]
        }
    }

    /// A network with Xavier weights and random nonzero biases, so bias gradients matter too.
    static func network(_ testCase: Case, generator: inout SeededGenerator) -> Network {
        var network = Network(inputCount: testCase.sizes[0])
        for (index, units) in testCase.sizes.dropFirst().enumerated() {
            let isOutput = index == testCase.sizes.count - 2
            network.appendLayer(units: units, activation: isOutput ? testCase.output : testCase.hidden, generator: &generator)
        }
        for index in network.layers.indices {
            network.layers[index].biases = network.layers[index].biases.map { _ in generator.nextUniform(-0.5, 0.5) }
        }
        return network
    }

    static func targets(_ testCase: Case, rows: Int, generator: inout SeededGenerator) -> Matrix {
        let columns = testCase.sizes[testCase.sizes.count - 1]
        switch testCase.loss {
        case .crossEntropy: return TestSupport.randomDistributions(rows: rows, columns: columns, generator: &generator)
        case .binaryCrossEntropy: return TestSupport.randomMatrix(rows: rows, columns: columns, 0, 1, generator: &generator)
        default: return TestSupport.randomMatrix(rows: rows, columns: columns, generator: &generator)
        }
    }

    /// A random network, batch and targets for `testCase` where every layer's weight gradient is nonzero.
    ///
    /// Relu and piecewise-linear layers can be dead (or saturated) on a whole batch, and a
    /// check against central differences passes trivially there; so draw again, a bounded
    /// number of times, until the gradient reaches every layer.
    static func liveProblem(_ testCase: Case) -> (network: Network, input: Matrix, target: Matrix, gradients: NetworkGradients)? {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<50 {
            let network = Self.network(testCase, generator: &generator)
            let input = TestSupport.randomMatrix(rows: 3, columns: testCase.sizes[0], -1.5, 1.5, generator: &generator)
            let target = Self.targets(testCase, rows: 3, generator: &generator)
            let gradients = network.gradients(input: input, target: target, loss: testCase.loss)
            if gradients.weights.allSatisfy({ TestSupport.largestMagnitude($0) > 1e-6 }) {
                return (network, input, target, gradients)
            }
        }
        return nil
    }

    @Test(arguments: cases)
    func backpropagationMatchesCentralDifferences(_ testCase: Case) throws {
        // Guard: the gradient reaches every layer, so the comparisons below compare something.
        let (network, input, target, gradients) = try #require(Self.liveProblem(testCase))

        #expect(gradients.loss == network.loss(input: input, target: target, loss: testCase.loss))
        #expect(gradients.weights.count == network.layers.count)
        #expect(gradients.deltas.count == network.layers.count)
        for index in network.layers.indices {
            let numericWeights = TestSupport.centralDifferences(of: network.layers[index].weights) { weights in
                var moved = network
                moved.layers[index].weights = weights
                return moved.loss(input: input, target: target, loss: testCase.loss)
            }
            let numericBiases = TestSupport.centralDifferences(of: Matrix(row: network.layers[index].biases)) { biases in
                var moved = network
                moved.layers[index].biases = biases.storage
                return moved.loss(input: input, target: target, loss: testCase.loss)
            }
            #expect(TestSupport.isClose(gradients.weights[index], numericWeights),
                    "layer \(index + 1) weights: \(gradients.weights[index]) vs \(numericWeights)")
            #expect(TestSupport.isClose(Matrix(row: gradients.biases[index]), numericBiases),
                    "layer \(index + 1) biases: \(gradients.biases[index]) vs \(numericBiases.storage)")
            #expect(gradients.deltas[index].rows == 3 && gradients.deltas[index].columns == network.layers[index].units)
        }
    }

    // MARK: - Closed-form output deltas

    static func outputDeltas(output: Activation, loss: Loss, target makeTarget: (inout SeededGenerator) -> Matrix)
        -> (fast: Matrix, general: Matrix) {
        var generator = SeededGenerator(seed: 5)
        var network = Network(inputCount: 3)
        network.appendLayer(units: 4, activation: .tanh, generator: &generator)
        network.appendLayer(units: 3, activation: output, generator: &generator)
        let input = TestSupport.randomMatrix(rows: 5, columns: 3, -2, 2, generator: &generator)
        let pass = network.forward(input)
        let target = makeTarget(&generator)
        return (network.outputDelta(of: pass, target: target, loss: loss),
                network.generalOutputDelta(of: pass, target: target, loss: loss))
    }

    @Test func softmaxCrossEntropyShortcutEqualsJacobianPath() {
        for makeTarget: (inout SeededGenerator) -> Matrix in [
            { TestSupport.randomOneHot(rows: 5, columns: 3, generator: &$0) },
            { TestSupport.randomDistributions(rows: 5, columns: 3, generator: &$0) },
            // Targets that do not sum to 1: the shortcut keeps the Σt factor, so it still agrees.
            { TestSupport.randomMatrix(rows: 5, columns: 3, 0, 2, generator: &$0) },
        ] {
            let (fast, general) = Self.outputDeltas(output: .softmax, loss: .crossEntropy, target: makeTarget)
            #expect(TestSupport.isClose(fast, general, relative: 1e-10, absolute: 1e-15))
            #expect(TestSupport.largestMagnitude(fast) > 1e-3)
        }
    }

    @Test func softmaxCrossEntropyShortcutIsOutputMinusTargetOverN() {
        var generator = SeededGenerator(seed: 8)
        var network = Network(inputCount: 2)
        network.appendLayer(units: 3, activation: .softmax, generator: &generator)
        let input = TestSupport.randomMatrix(rows: 4, columns: 2, generator: &generator)
        let target = TestSupport.randomOneHot(rows: 4, columns: 3, generator: &generator)
        let pass = network.forward(input)
        let expected = (pass.output - target) / 4
        #expect(TestSupport.isClose(network.outputDelta(of: pass, target: target, loss: .crossEntropy), expected,
                                    relative: 1e-14, absolute: 1e-16))
    }

    @Test func sigmoidBinaryCrossEntropyShortcutEqualsJacobianPath() {
        let (fast, general) = Self.outputDeltas(output: .sigmoid, loss: .binaryCrossEntropy) {
            TestSupport.randomMatrix(rows: 5, columns: 3, 0, 1, generator: &$0)
        }
        #expect(TestSupport.isClose(fast, general, relative: 1e-10, absolute: 1e-15))
        #expect(TestSupport.largestMagnitude(fast) > 1e-3)
    }

    @Test func otherPairsTakeTheGeneralPath() {
        let (fast, general) = Self.outputDeltas(output: .sigmoid, loss: .sse) {
            TestSupport.randomMatrix(rows: 5, columns: 3, generator: &$0)
        }
        #expect(fast == general)
    }

    @Test func networkWithoutLayersHasOnlyALoss() {
        let network = Network(inputCount: 2)
        let gradients = network.gradients(input: Matrix([[1, 2]]), target: Matrix([[1, 0]]), loss: .sse)
        #expect(gradients.weights.isEmpty && gradients.biases.isEmpty && gradients.deltas.isEmpty)
        #expect(gradients.loss == 2)
    }
}
