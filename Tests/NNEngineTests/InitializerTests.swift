import Testing
import NNEngine

@Suite("Initializer")
struct InitializerTests {
    @Test(arguments: [(1, 1), (2, 3), (10, 5), (64, 32)])
    func xavierUniformStaysWithinItsBound(_ shape: (units: Int, inputs: Int)) {
        var generator = SeededGenerator(seed: 17)
        let weights = Initializer.xavierUniform.weights(units: shape.units, inputs: shape.inputs, generator: &generator)
        let limit = (6 / Double(shape.units + shape.inputs)).squareRoot()
        #expect(weights.rows == shape.units && weights.columns == shape.inputs)
        #expect(weights.storage.allSatisfy { abs($0) <= limit })
        #expect(Initializer.xavierLimit(units: shape.units, inputs: shape.inputs) == limit)
        if weights.count >= 200 {
            // Enough draws to come near both ends and to be centred.
            #expect((weights.storage.max() ?? 0) > 0.9 * limit && (weights.storage.min() ?? 0) < -0.9 * limit)
            #expect(abs(weights.sum() / Double(weights.count)) < 0.1 * limit)
        }
    }

    @Test func weightsAreDrawnRowByRowFromTheGenerator() {
        var generator = SeededGenerator(seed: 42)
        let weights = Initializer.xavierUniform.weights(units: 2, inputs: 2, generator: &generator)
        var reference = SeededGenerator(seed: 42)
        let limit = 6.0.squareRoot() / 2
        let expected = (0..<4).map { _ in reference.nextUniform(-limit, limit) }
        #expect(weights.storage == expected)
        // First double for seed 42 is 0.08386297105988216.
        #expect(abs(weights[0, 0] - (-limit + 2 * limit * 0.08386297105988216)) <= 1e-15)
    }

    @Test func biasesStartAtZero() {
        #expect(Initializer.xavierUniform.biases(units: 3) == [0, 0, 0])
    }

    @Test func namesRoundTrip() {
        #expect(Initializer.names == ["xavier_uniform"])
        #expect(Initializer(name: "xavier_uniform") == .xavierUniform)
        #expect(Initializer.xavierUniform.name == "xavier_uniform")
        #expect(Initializer(name: "xavier") == nil)
    }

    @Test func networkReinitializeRedrawsWeightsAndZeroesBiases() {
        var generator = SeededGenerator(seed: 4)
        var network = Network(inputCount: 3)
        network.appendLayer(units: 4, activation: .tanh, generator: &generator)
        network.appendLayer(units: 2, activation: .linear, generator: &generator)
        #expect(network.layers.allSatisfy { $0.biases.allSatisfy { $0 == 0 } })
        let original = network
        network.layers[0].biases = [1, 2, 3, 4]

        // The same seed gives the same weights as appending did.
        var again = SeededGenerator(seed: 4)
        network.reinitialize(initializer: .xavierUniform, generator: &again)
        #expect(network == original)

        network.reinitialize(initializer: .xavierUniform, generator: &generator)
        #expect(network.layers[0].weights != original.layers[0].weights)
        #expect(network.layers.map(\.activation) == [.tanh, .linear])
        #expect(network.layers.allSatisfy { $0.biases.allSatisfy { $0 == 0 } })
    }
}
