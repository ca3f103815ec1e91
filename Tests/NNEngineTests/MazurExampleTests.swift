import Testing
import NNEngine

/// Matt Mazur's "A Step by Step Backpropagation Example": a 2-2-2 sigmoid network trained on
/// one sample with sse. The published numbers are rounded to 8 or 9 decimals, so each is
/// checked to half a unit in its last printed digit: our value rounds to exactly what he printed.
@Suite("Mazur's worked example")
struct MazurExampleTests {
    static let input = Matrix(row: [0.05, 0.10])
    static let target = Matrix(row: [0.01, 0.99])

    static var network: Network {
        Network(inputCount: 2, layers: [
            DenseLayer(weights: Matrix([[0.15, 0.20], [0.25, 0.30]]), biases: [0.35, 0.35], activation: .sigmoid),
            DenseLayer(weights: Matrix([[0.40, 0.45], [0.50, 0.55]]), biases: [0.60, 0.60], activation: .sigmoid),
        ])
    }

    /// Whether `value` is within half a unit in the last place of a number printed with `decimals` decimals.
    static func matchesPrinted(_ value: Double, _ printed: Double, decimals: Int) -> Bool {
        var halfUnit = 0.5
        for _ in 0..<decimals { halfUnit /= 10 }
        return abs(value - printed) <= halfUnit
    }

    @Test func forwardPassAndTotalError() {
        let pass = Self.network.forward(Self.input)
        #expect(Self.matchesPrinted(pass.layers[0].net[0, 0], 0.3775, decimals: 4))
        #expect(Self.matchesPrinted(pass.layers[0].output[0, 0], 0.593269992, decimals: 9))
        #expect(Self.matchesPrinted(pass.layers[0].output[0, 1], 0.596884378, decimals: 9))
        #expect(Self.matchesPrinted(pass.output[0, 0], 0.75136507, decimals: 8))
        #expect(Self.matchesPrinted(pass.output[0, 1], 0.772928465, decimals: 9))
        let error = Self.network.loss(input: Self.input, target: Self.target, loss: .sse)
        #expect(Self.matchesPrinted(error, 0.298371109, decimals: 9))
        #expect(abs(error - 0.298371109) <= 1e-9)
    }

    @Test func gradientsOfW5AndW1() throws {
        let network = Self.network
        let gradients = network.gradients(input: Self.input, target: Self.target, loss: .sse)
        let w5 = try #require(network.weightLocation(number: 5))
        let w1 = try #require(network.weightLocation(number: 1))
        let dw5 = gradients.weights[w5.layer - 1][w5.row - 1, w5.column - 1]
        let dw1 = gradients.weights[w1.layer - 1][w1.row - 1, w1.column - 1]
        #expect(abs(dw5 - 0.082167041) <= 1e-9)
        #expect(abs(dw1 - 0.000438568) <= 1e-9)
        #expect(abs(gradients.loss - 0.298371109) <= 1e-9)
        // The same numbers to full precision from an independent Python computation.
        #expect(abs(dw5 - 0.08216704056423077) <= 1e-15)
        #expect(abs(dw1 - 0.0004385677344743465) <= 1e-16)
        #expect(abs(gradients.loss - 0.2983711087600027) <= 1e-15)
    }

    /// (weight number, printed value after one step, decimals printed, full-precision value from Python).
    static let updatedWeights: [(Int, Double, Int, Double)] = [
        (1, 0.149780716, 9, 0.1497807161327628),
        (2, 0.19956143, 8, 0.19956143226552567),
        (3, 0.24975114, 8, 0.24975114363236958),
        (4, 0.29950229, 8, 0.29950228726473915),
        (5, 0.35891648, 8, 0.35891647971788465),
        (6, 0.408666186, 9, 0.4086661860762334),
        (7, 0.511301270, 9, 0.5113012702387375),
        (8, 0.561370121, 9, 0.5613701211079891),
    ]

    @Test(arguments: updatedWeights)
    func weightAfterOneStepAtLearningRateOneHalf(_ expectation: (Int, Double, Int, Double)) throws {
        let (number, printed, decimals, precise) = expectation
        var network = Self.network
        let gradients = network.gradients(input: Self.input, target: Self.target, loss: .sse)
        #expect(Optimizer.descend(&network, gradients: gradients, learningRate: 0.5))
        let location = try #require(network.weightLocation(number: number))
        let value = network.layers[location.layer - 1].weights[location.row - 1, location.column - 1]
        #expect(Self.matchesPrinted(value, printed, decimals: decimals), "w\(number) = \(value), Mazur prints \(printed)")
        #expect(abs(value - precise) <= 1e-15)
        if decimals == 9 {
            #expect(abs(value - printed) <= 1e-9)
        }
    }
}
