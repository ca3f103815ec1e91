import Testing
import NNEngine

@Suite("Plain gradient descent")
struct PlainDescentTests {
    static func network() -> Network {
        Network(inputCount: 2, layers: [
            DenseLayer(weights: Matrix([[1, 2]]), biases: [3], activation: .linear),
        ])
    }

    static func gradients(weights: [[Double]], bias: Double, loss: Double = 1) -> NetworkGradients {
        NetworkGradients(weights: [Matrix(weights)], biases: [[bias]], deltas: [Matrix([[0]])], loss: loss)
    }

    @Test func stepsAgainstTheGradient() {
        var network = Self.network()
        #expect(Optimizer.descend(&network, gradients: Self.gradients(weights: [[10, -20]], bias: 5), learningRate: 0.1))
        #expect(network.layers[0].weights == Matrix([[0, 4]]))
        #expect(network.layers[0].biases == [2.5])
    }

    @Test(arguments: [
        (Double.infinity, 0.0, 1.0), (Double.nan, 0.0, 1.0),  // a weight gradient
        (0.0, Double.infinity, 1.0),  // a bias gradient
        (1e308, 0.0, 1.0),  // finite gradient whose step overflows
        (0.0, 0.0, Double.nan), (0.0, 0.0, Double.infinity),  // the loss itself
    ])
    func nonFiniteStepChangesNothing(_ values: (weight: Double, bias: Double, loss: Double)) {
        var network = Self.network()
        let gradients = Self.gradients(weights: [[1, values.weight]], bias: values.bias, loss: values.loss)
        #expect(!Optimizer.descend(&network, gradients: gradients, learningRate: 10))
        #expect(network == Self.network())
    }
}
