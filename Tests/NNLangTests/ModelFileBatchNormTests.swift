import Foundation
import Testing
import NNEngine
@testable import NNLang

/// Format 3: batch normalization's γ, β, running estimates and batch count in the model file.
@Suite("Model file with batch normalization")
struct ModelFileBatchNormTests {
    static let contents = ModelContents(network: Network(inputCount: 2, layers: [
        DenseLayer(weights: Matrix([[0.15, 0.2], [0.25, 0.3]]), biases: [0.35, 0.35], activation: .tanh,
                   batchNorm: BatchNorm(gamma: [1.5, 0.1], beta: [-0.25, 0.125], runningMean: [0.5, -1e-05],
                                        runningVariance: [2.0, 0.0], batchesTracked: 12)),
        DenseLayer(weights: Matrix([[0.4, 0.45]]), biases: [0.6], activation: .sigmoid),
    ]))

    static let text = """
        nn-model 3
        inputs 2
        layer 2 tanh
        weights
          0.15 0.2
          0.25 0.3
        biases 0.35 0.35
        batchnorm 12
        gamma 1.5 0.1
        beta -0.25 0.125
        running_mean 0.5 -1e-05
        running_var 2.0 0.0
        layer 1 sigmoid
        weights
          0.4 0.45
        biases 0.6
        end

        """

    @Test func encodesAndDecodesFormat3() throws {
        #expect(ModelFile.encode(Self.contents) == Self.text)
        #expect(try ModelFile.decode(Self.text).get() == Self.contents)
    }

    @Test func aModelWithoutBatchNormStaysFormat1() {
        var plain = Self.contents
        plain.network.layers[0].batchNorm = nil
        #expect(ModelFile.encode(plain).hasPrefix("nn-model 1\n"))
    }

    static let corruptions: [(String, String)] = [
        ("batchnorm 12", "batchnorm -1"),
        ("gamma 1.5 0.1", "gamma 1.5"),
        ("running_var 2.0 0.0", "running_var 2.0 -1.0"),
        ("beta -0.25 0.125\n", ""),
    ]

    @Test(arguments: corruptions)
    func damagedBatchNormLinesAreRefused(original: String, replacement: String) {
        let damaged = Self.text.replacingOccurrences(of: original, with: replacement)
        #expect(damaged != Self.text)
        guard case .failure = ModelFile.decode(damaged) else {
            Issue.record("accepted: \(damaged)")
            return
        }
    }
}
