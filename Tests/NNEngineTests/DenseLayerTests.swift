import Testing
import NNEngine

@Suite("Dense layer")
struct DenseLayerTests {
    let layer = DenseLayer(weights: Matrix([[1, 2, 3], [-1, 0, 1]]), biases: [0.5, -0.5], activation: .relu)

    @Test func shapesAndCounts() {
        #expect(layer.units == 2 && layer.inputCount == 3 && layer.parameterCount == 8)
    }

    @Test func forwardIsInputTimesWeightsTransposedPlusBias() {
        let input = Matrix([[1, 1, 1], [0, 1, -1]])
        let (net, output) = layer.forward(input)
        // Sample 1: 1+2+3+0.5, −1+0+1−0.5; sample 2: 0+2−3+0.5, 0+0−1−0.5.
        #expect(net == Matrix([[6.5, -0.5], [-0.5, -1.5]]))
        #expect(output == Matrix([[6.5, 0], [0, 0]]))
    }

    @Test func backwardByHand() {
        let input = Matrix([[1, 1, 1], [0, 1, -1]])
        let (net, output) = layer.forward(input)
        let gradients = layer.backward(input: input, net: net, output: output, outputGradient: Matrix([[2, 3], [4, 5]]))
        // relu passes only the one positive net: δ = [[2, 0], [0, 0]].
        #expect(gradients.net == Matrix([[2, 0], [0, 0]]))
        #expect(gradients.weights == Matrix([[2, 2, 2], [0, 0, 0]]))  // δᵀ X
        #expect(gradients.biases == [2, 0])
        #expect(gradients.input == Matrix([[2, 4, 6], [0, 0, 0]]))  // δ W
    }

    @Test func inputGradientMatchesCentralDifferences() {
        var generator = SeededGenerator(seed: 21)
        let layer = DenseLayer(inputs: 3, units: 4, activation: .tanh, generator: &generator)
        let input = TestSupport.randomMatrix(rows: 2, columns: 3, generator: &generator)
        let g = TestSupport.randomMatrix(rows: 2, columns: 4, generator: &generator)
        let (net, output) = layer.forward(input)
        let analytic = layer.backward(input: input, net: net, output: output, outputGradient: g).input
        let numeric = TestSupport.centralDifferences(of: input) { (layer.forward($0).output * g).sum() }
        #expect(TestSupport.isClose(analytic, numeric))
        #expect(TestSupport.largestMagnitude(analytic) > 1e-3)
    }
}
