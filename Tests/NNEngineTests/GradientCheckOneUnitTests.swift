import Testing
@testable import NNEngine

/// `gradcheck`'s losses from the cached forward pass, rerunning one unit and the layers above,
/// against `trainingLoss` running the whole network again, for every parameter of each network.
@Suite("Gradient check by one unit")
struct GradientCheckOneUnitTests {
    /// A network of `sizes` (inputs first), the hidden layers `hidden`, the output softmax,
    /// with batch normalization on the layers in `normalized`, γ and β moved off 1 and 0.
    static func network(_ sizes: [Int], hidden: Activation, output: Activation = .softmax, normalized: Set<Int> = [],
                        seed: UInt64) -> Network {
        var generator = SeededGenerator(seed: seed)
        var network = Network(inputCount: sizes[0])
        for (index, units) in sizes.dropFirst().enumerated() {
            network.appendLayer(units: units, activation: index == sizes.count - 2 ? output : hidden, generator: &generator)
            if normalized.contains(index) {
                var batchNorm = BatchNorm(units: units)
                batchNorm.gamma = (0..<units).map { _ in 0.5 + generator.nextDouble() }
                batchNorm.beta = (0..<units).map { _ in generator.nextDouble() - 0.5 }
                network.layers[index].batchNorm = batchNorm
            }
        }
        return network
    }

    /// Every parameter of `network` moved by `step` in turn: the two losses.
    static func losses(_ network: Network, samples: Int, step: Double,
                       loss: Loss = .crossEntropy) -> [(oneUnit: Double, whole: Double, name: String)] {
        var generator = SeededGenerator(seed: 11)
        let inputs = TestSupport.randomMatrix(rows: samples, columns: network.inputCount, generator: &generator)
        let targets = TestSupport.randomOneHot(rows: samples, columns: network.outputCount, generator: &generator)
        let pass = GradientCheck.CachedPass(network: network, inputs: inputs)
        var results: [(Double, Double, String)] = []
        func compare(_ layer: Int, _ unit: Int, _ name: String, _ change: (inout Network) -> Void) {
            var probe = network
            change(&probe)
            results.append((probe.trainingLoss(changingUnit: unit, ofLayer: layer, from: pass, target: targets, loss: loss),
                            probe.trainingLoss(input: inputs, target: targets, loss: loss), name))
        }
        for (index, layer) in network.layers.enumerated() {
            for unit in 0..<layer.units {
                for column in 0..<layer.inputCount {
                    compare(index, unit, "W\(index + 1)[\(unit + 1),\(column + 1)]") { $0.layers[index].weights[unit, column] += step }
                }
                compare(index, unit, "b\(index + 1)[\(unit + 1)]") { $0.layers[index].biases[unit] += step }
                if layer.batchNorm != nil {
                    compare(index, unit, "gamma\(index + 1)[\(unit + 1)]") { $0.layers[index].batchNorm?.gamma[unit] += step }
                    compare(index, unit, "beta\(index + 1)[\(unit + 1)]") { $0.layers[index].batchNorm?.beta[unit] += step }
                }
            }
        }
        return results
    }

    /// Products under `BLAS.smallProductLimit` take the plain loop, which adds in the order the
    /// unit's column is added again: the same number, bit for bit.
    @Test(arguments: [Set<Int>(), [0], [0, 1]])
    func smallNetworksGiveTheWholePassesLossExactly(normalized: Set<Int>) {
        let network = Self.network([3, 4, 3, 2], hidden: .tanh, normalized: normalized, seed: 4)
        let results = Self.losses(network, samples: 21, step: 1e-3)  // two groups of eight rows and five more
        #expect(results.count >= 39)
        for result in results { #expect(result.oneUnit == result.whole, "\(result.name)") }
        // The step really changes the loss, so equal losses are not equal by doing nothing.
        #expect(results.filter { abs($0.whole - results[0].whole) > 1e-9 }.count > results.count / 2)
    }

    /// A hidden softmax mixes its row, so its whole layer is activated again; an elementwise
    /// output is activated column by column, and the loss computed from its net input.
    @Test func aHiddenSoftmaxAndASigmoidOutput() {
        let network = Self.network([3, 4, 3, 2], hidden: .softmax, output: .sigmoid, normalized: [1], seed: 8)
        let results = Self.losses(network, samples: 13, step: 1e-3, loss: .binaryCrossEntropy)
        for result in results { #expect(result.oneUnit == result.whole, "\(result.name)") }
    }

    /// Larger products go to BLAS, which may add a column's terms in another order: the losses
    /// then agree to the last bits.
    @Test(arguments: [Set<Int>(), [0]])
    func largerNetworksAgreeToRounding(normalized: Set<Int>) {
        let network = Self.network([40, 24, 10], hidden: .sigmoid, normalized: normalized, seed: 5)
        let results = Self.losses(network, samples: 30, step: 1e-6)
        for result in results {
            #expect(abs(result.oneUnit - result.whole) <= 1e-15 * abs(result.whole), "\(result.name): \(result.oneUnit) \(result.whole)")
        }
    }

    /// The check itself: every entry's central difference as the whole pass would give it.
    @Test func gradientCheckMatchesCentralDifferencesOfTheWholePass() {
        let network = Self.network([4, 5, 3], hidden: .sigmoid, normalized: [0], seed: 6)
        var generator = SeededGenerator(seed: 12)
        let inputs = TestSupport.randomMatrix(rows: 7, columns: 4, generator: &generator)
        let targets = TestSupport.randomOneHot(rows: 7, columns: 3, generator: &generator)
        let result = GradientCheck.run(network: network, inputs: inputs, targets: targets, loss: .crossEntropy)
        #expect(result.passed && result.entries.count == 4 * 5 + 5 + 2 * 5 + 5 * 3 + 3)
        let epsilon = GradientCheck.defaultEpsilon
        for entry in result.entries where entry.column != nil {
            var plus = network, minus = network
            plus.layers[entry.layer - 1].weights[entry.row - 1, entry.column! - 1] += epsilon
            minus.layers[entry.layer - 1].weights[entry.row - 1, entry.column! - 1] -= epsilon
            let whole = (plus.trainingLoss(input: inputs, target: targets, loss: .crossEntropy)
                - minus.trainingLoss(input: inputs, target: targets, loss: .crossEntropy)) / (2 * epsilon)
            #expect(abs(entry.numeric - whole) <= 1e-8, "\(entry): \(whole)")
        }
    }
}
