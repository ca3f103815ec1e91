import Testing
import NNEngine

@Suite("Dropout")
struct DropoutTests {
    /// A 3-5-4-2 network with the given dropout on each layer.
    static func network(hidden: Activation, output: Activation, dropout: [Double], seed: UInt64 = 5) -> Network {
        var generator = SeededGenerator(seed: seed)
        var network = Network(inputCount: 3)
        network.appendLayer(units: 5, activation: hidden, generator: &generator)
        network.appendLayer(units: 4, activation: hidden, generator: &generator)
        network.appendLayer(units: 2, activation: output, generator: &generator)
        for index in network.layers.indices {
            network.layers[index].dropout = dropout[index]
            network.layers[index].biases = network.layers[index].biases.map { _ in generator.nextUniform(-0.5, 0.5) }
        }
        return network
    }

    static let input: Matrix = {
        var generator = SeededGenerator(seed: 77)
        return TestSupport.randomMatrix(rows: 6, columns: 3, -1.5, 1.5, generator: &generator)
    }()

    static let target: Matrix = {
        var generator = SeededGenerator(seed: 78)
        return TestSupport.randomDistributions(rows: 6, columns: 2, generator: &generator)
    }()

    @Test func withoutDropoutTrainingGradientsAreTheUsualOnesAndDrawNothing() {
        let network = Self.network(hidden: .tanh, output: .sigmoid, dropout: [0, 0, 0])
        var generator = SeededGenerator(seed: 1)
        let training = network.trainingGradients(input: Self.input, target: Self.target, loss: .mse, generator: &generator)
        #expect(training == network.gradients(input: Self.input, target: Self.target, loss: .mse))
        var untouched = SeededGenerator(seed: 1)
        #expect(generator.next() == untouched.next())
        #expect(network.dropoutMasks(rows: 6, generator: &generator).allSatisfy { $0 == nil })
    }

    @Test func inferenceNeverDrops() {
        var network = Self.network(hidden: .relu, output: .linear, dropout: [0.5, 0.5, 0])
        let withDropout = network.predict(Self.input)
        let pass = network.forward(Self.input)
        #expect(pass.layers.allSatisfy { $0.dropoutMask == nil && $0.output == $0.activated })
        network.layers[0].dropout = 0
        network.layers[1].dropout = 0
        #expect(withDropout == network.predict(Self.input))
    }

    struct Case: Sendable, CustomStringConvertible {
        var hidden: Activation
        var output: Activation
        var loss: Loss
        var dropout: [Double]
        var description: String { "\(hidden.name)/\(output.name) \(loss.name) \(dropout)" }
    }

    static let cases: [Case] = [
        Case(hidden: .tanh, output: .sigmoid, loss: .binaryCrossEntropy, dropout: [0.5, 0.3, 0]),
        Case(hidden: .sigmoid, output: .softmax, loss: .crossEntropy, dropout: [0.4, 0.4, 0]),
        Case(hidden: .softmax, output: .linear, loss: .mse, dropout: [0.5, 0.5, 0.5]),  // softmax needs φ(Z) of dropped units too
        Case(hidden: .elu(alpha: 1), output: .tanh, loss: .huber(delta: 0.3), dropout: [0.2, 0, 0.5]),
    ]

    /// With the masks held fixed the loss is a smooth function of the parameters, and
    /// backpropagation through the masks must match its central differences.
    @Test(arguments: cases)
    func gradientsMatchCentralDifferencesUnderAFixedMask(_ testCase: Case) throws {
        let network = Self.network(hidden: testCase.hidden, output: testCase.output, dropout: testCase.dropout)
        var generator = SeededGenerator(seed: 12)
        let masks = network.dropoutMasks(rows: Self.input.rows, generator: &generator)
        // Guard: every layer with dropout has both dropped and kept outputs, so the masks matter.
        for (mask, p) in zip(masks, testCase.dropout) {
            if p == 0 { #expect(mask == nil); continue }
            let values = try #require(mask).storage
            #expect(values.contains(0) && values.contains(1 / (1 - p)))
            #expect(values.allSatisfy { $0 == 0 || $0 == 1 / (1 - p) })
        }
        let gradients = network.gradients(input: Self.input, target: Self.target, loss: testCase.loss, dropoutMasks: masks)
        #expect(gradients.loss == network.loss(input: Self.input, target: Self.target, loss: testCase.loss, dropoutMasks: masks))
        #expect(gradients != network.gradients(input: Self.input, target: Self.target, loss: testCase.loss))

        for index in network.layers.indices {
            #expect(TestSupport.largestMagnitude(gradients.weights[index]) > 1e-6, "layer \(index + 1) gets a gradient")
            let numericWeights = TestSupport.centralDifferences(of: network.layers[index].weights) { weights in
                var moved = network
                moved.layers[index].weights = weights
                return moved.loss(input: Self.input, target: Self.target, loss: testCase.loss, dropoutMasks: masks)
            }
            #expect(TestSupport.isClose(gradients.weights[index], numericWeights, relative: 1e-5, absolute: 1e-8))
            let numericBiases = TestSupport.centralDifferences(of: Matrix(row: network.layers[index].biases)) { biases in
                var moved = network
                moved.layers[index].biases = biases.storage
                return moved.loss(input: Self.input, target: Self.target, loss: testCase.loss, dropoutMasks: masks)
            }
            #expect(TestSupport.isClose(Matrix(row: gradients.biases[index]), numericBiases, relative: 1e-5, absolute: 1e-8))
        }
    }

    /// Inverted dropout drops about p of the outputs and keeps their expected sum.
    @Test(arguments: [0.1, 0.3, 0.5, 0.8])
    func expectedActivationIsPreserved(_ p: Double) {
        var network = Network(inputCount: 3, layers: [
            DenseLayer(weights: Matrix([[0.5, -0.2, 0.1], [0.3, 0.3, 0.3]]), biases: [0.1, 0.2], activation: .sigmoid, dropout: p),
        ])
        var generator = SeededGenerator(seed: 21)
        let input = TestSupport.randomMatrix(rows: 20_000, columns: 3, generator: &generator)
        let masks = network.dropoutMasks(rows: input.rows, generator: &generator)
        let layer = network.forward(input, dropoutMasks: masks).layers[0]
        let dropped = Double(layer.output.storage.filter { $0 == 0 }.count) / Double(layer.output.count)
        #expect(abs(dropped - p) < 4 * (p * (1 - p) / Double(layer.output.count)).squareRoot(), "dropped \(dropped)")
        // Each output's mask has mean 1 and variance p/(1 − p): allow 4 standard errors of the mean.
        let tolerance = 4 * (p / (1 - p) / Double(layer.output.count)).squareRoot()
        #expect(abs(layer.output.sum() / layer.activated.sum() - 1) < tolerance)
        network.layers[0].dropout = 0
        #expect(layer.activated == network.forward(input).layers[0].output)
    }
}
