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
        #expect(Initializer.names == ["xavier", "xavier_normal", "he", "he_normal", "lecun", "uniform", "normal", "zeros", "constant"])
        #expect(Initializer(name: "xavier_uniform") == .xavierUniform)
        #expect(Initializer(name: "xavier") == .xavierUniform)
        #expect(Initializer.xavierUniform.name == "xavier_uniform")
        for name in Initializer.names {
            let arguments = Array([0.5, 1.5].prefix(Initializer.argumentCount(name: name)))
            let initializer = Initializer(name: name, arguments: arguments)
            #expect(initializer?.arguments == arguments, "\(name)")
            #expect(initializer.map { Initializer(name: $0.name, arguments: $0.arguments) } == initializer, "\(name)")
        }
        #expect(Initializer(name: "glorot") == nil)
    }

    @Test(arguments: [("xavier", 0), ("xavier_normal", 0), ("he", 0), ("he_normal", 0), ("lecun", 0),
                      ("uniform", 2), ("normal", 1), ("zeros", 0), ("constant", 1), ("unknown", 0)])
    func argumentCounts(_ example: (name: String, count: Int)) {
        #expect(Initializer.argumentCount(name: example.name) == example.count)
    }

    @Test(arguments: [
        ("uniform", [-1.0, 2.0], Initializer.uniform(low: -1, high: 2)), ("normal", [0.3], .normal(standardDeviation: 0.3)),
        ("constant", [-0.5], .constant(-0.5)), ("he", [], .heUniform), ("lecun", [], .lecunNormal),
        ("he_normal", [], .heNormal), ("xavier_normal", [], .xavierNormal), ("zeros", [], .zeros),
    ])
    func namedWithArguments(_ example: (name: String, arguments: [Double], initializer: Initializer)) {
        #expect(Initializer(name: example.name, arguments: example.arguments) == example.initializer)
        #expect(example.initializer.name == example.name)
    }

    @Test(arguments: [
        ("uniform", [1.0]), ("uniform", [2.0, 1.0]), ("uniform", [0.0, .infinity]), ("normal", [-1.0]), ("normal", [.nan]),
        ("constant", []), ("zeros", [1.0]), ("xavier", [1.0]), ("he", [0.0, 1.0]), ("nope", []),
    ])
    func badArgumentsAreRefused(_ example: (name: String, arguments: [Double])) {
        #expect(Initializer(name: example.name, arguments: example.arguments) == nil)
    }

    /// Large draws have the mean and variance their scheme promises, and stay in their range.
    struct DistributionCase: Sendable, CustomStringConvertible {
        var initializer: Initializer
        var mean: Double
        var variance: Double
        /// The interval every draw must fall in, for the bounded schemes.
        var bounds: ClosedRange<Double>?
        var description: String { initializer.name }
    }

    /// For 100 units over 400 inputs: fan-in 400, fan-in + fan-out 500.
    static let distributionCases: [DistributionCase] = [
        DistributionCase(initializer: .xavierUniform, mean: 0, variance: 2.0 / 500, bounds: -(6.0 / 500).squareRoot()...(6.0 / 500).squareRoot()),
        DistributionCase(initializer: .xavierNormal, mean: 0, variance: 2.0 / 500),
        DistributionCase(initializer: .heUniform, mean: 0, variance: 2.0 / 400, bounds: -(6.0 / 400).squareRoot()...(6.0 / 400).squareRoot()),
        DistributionCase(initializer: .heNormal, mean: 0, variance: 2.0 / 400),
        DistributionCase(initializer: .lecunNormal, mean: 0, variance: 1.0 / 400),
        DistributionCase(initializer: .uniform(low: -1, high: 3), mean: 1, variance: 16.0 / 12, bounds: -1...3),
        DistributionCase(initializer: .normal(standardDeviation: 0.3), mean: 0, variance: 0.09),
        DistributionCase(initializer: .zeros, mean: 0, variance: 0, bounds: 0...0),
        DistributionCase(initializer: .constant(0.7), mean: 0.7, variance: 0, bounds: 0.7...0.7),
    ]

    @Test(arguments: distributionCases)
    func largeDrawsHaveTheRightMeanAndVariance(_ testCase: DistributionCase) {
        var generator = SeededGenerator(seed: 31)
        let weights = testCase.initializer.weights(units: 100, inputs: 400, generator: &generator)
        let n = Double(weights.count)
        let mean = weights.sum() / n
        let variance = weights.storage.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        #expect(weights.rows == 100 && weights.columns == 400)
        // The mean of 40 000 draws is within 4 standard errors; the variance within 3%.
        #expect(abs(mean - testCase.mean) <= 4 * (testCase.variance / n).squareRoot() + 1e-12, "mean \(mean)")
        #expect(abs(variance - testCase.variance) <= 0.03 * testCase.variance + 1e-12, "variance \(variance)")
        if let bounds = testCase.bounds {
            #expect(weights.storage.allSatisfy { bounds.contains($0) })
        } else {
            // Normal draws: some beyond two standard deviations, as about 4.6% should be.
            let beyond = weights.storage.filter { abs($0 - testCase.mean) > 2 * testCase.variance.squareRoot() }.count
            #expect(abs(Double(beyond) / n - 0.0455) < 0.005, "\(beyond) beyond 2σ")
        }
    }

    @Test(arguments: distributionCases.map(\.initializer))
    func drawsAreDeterminedByTheSeed(_ initializer: Initializer) {
        func draw(_ seed: UInt64) -> Matrix {
            var generator = SeededGenerator(seed: seed)
            return initializer.weights(units: 5, inputs: 7, generator: &generator)
        }
        #expect(draw(1) == draw(1))
        let isRandom = initializer != .zeros && initializer != .constant(0.7)
        #expect((draw(1) != draw(2)) == isRandom)
        #expect(initializer.biases(units: 5) == [0, 0, 0, 0, 0])
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
