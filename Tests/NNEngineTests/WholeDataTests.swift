import Testing
@testable import NNEngine

/// The whole-data statements' batched path (`Network+WholeData.swift`: a `TrainingWorkspace`
/// taking the samples a batch at a time) against the readable reference (`Network.forward`,
/// `Network.loss`, `Network.gradients` on every sample at once), on data of several batches
/// with a shorter last one: every loss, every activation (softmax too), batch normalization in
/// inference and training mode, dropout (off outside training).
@Suite("Whole-data statements")
struct WholeDataTests {
    /// 70 samples in batches of 8: eight full batches and a last one of 6.
    static let samples = 70
    static let batchRows = 8

    /// A 4-6-5-3 network: `hidden` twice, then `output`; biases drawn too, so none is zero.
    static func network(hidden: Activation, output: Activation, dropout: Double = 0, batchNorm: Bool = false) -> Network {
        var generator = SeededGenerator(seed: 21)
        var network = Network(inputCount: 4)
        network.appendLayer(units: 6, activation: hidden, generator: &generator)
        network.appendLayer(units: 5, activation: hidden, generator: &generator)
        network.appendLayer(units: 3, activation: output, generator: &generator)
        for index in network.layers.indices {
            network.layers[index].biases = network.layers[index].biases.map { _ in generator.nextUniform(-0.5, 0.5) }
        }
        network.layers[0].dropout = dropout
        network.layers[1].dropout = dropout
        if batchNorm {
            // Running estimates away from 0 and 1, so inference differs from training mode.
            let units = network.layers[1].units
            network.layers[1].batchNorm = BatchNorm(gamma: (0..<units).map { 0.8 + 0.1 * Double($0) },
                                                    beta: (0..<units).map { 0.05 * Double($0) - 0.1 },
                                                    runningMean: (0..<units).map { 0.2 - 0.07 * Double($0) },
                                                    runningVariance: (0..<units).map { 0.5 + 0.3 * Double($0) },
                                                    batchesTracked: 3)
        }
        return network
    }

    static func data(samples: Int = WholeDataTests.samples) -> (inputs: Matrix, targets: Matrix) {
        var generator = SeededGenerator(seed: 22)
        let inputs = TestSupport.randomMatrix(rows: samples, columns: 4, -2, 2, generator: &generator)
        // Rows that sum to 1 in [0, 1]: targets every loss takes, one-hot or not.
        return (inputs, TestSupport.randomDistributions(rows: samples, columns: 3, generator: &generator))
    }

    /// Whether `a` and `b` agree within 1e-12 of the larger magnitude in `b` (the reference).
    static func agree(_ a: [Double], _ b: [Double]) -> Bool {
        let scale = max(b.map(abs).max() ?? 0, 1e-300)
        return a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * scale }
    }

    static func agree(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(abs(b), 1e-300) }

    static func expectSameGradients(_ fast: NetworkGradients, _ reference: NetworkGradients, _ label: String) {
        #expect(agree(fast.loss, reference.loss), "loss \(fast.loss) vs \(reference.loss): \(label)")
        #expect(fast.weights.count == reference.weights.count && fast.biases.count == reference.biases.count)
        for index in reference.weights.indices {
            #expect(fast.weights[index].rows == reference.weights[index].rows
                    && fast.weights[index].columns == reference.weights[index].columns)
            #expect(agree(fast.weights[index].storage, reference.weights[index].storage), "∂E/∂W\(index + 1): \(label)")
            #expect(agree(fast.biases[index], reference.biases[index]), "∂E/∂b\(index + 1): \(label)")
            #expect(fast.gamma(layer: index) == [] && fast.beta(layer: index) == [])
        }
    }

    static let activations: [Activation] = [.linear, .step, .sign, .piecewiseLinear, .sigmoid, .tanh, .relu,
                                            .leakyRelu(alpha: 0.1), .elu(alpha: 0.7), .softplus, .softmax]

    /// Each loss after an output activation: the closed-form pairs and the general route.
    static let pairs: [(Loss, Activation)] = [
        (.crossEntropy, .softmax), (.crossEntropy, .sigmoid), (.binaryCrossEntropy, .sigmoid), (.binaryCrossEntropy, .softmax),
        (.mse, .linear), (.mse, .tanh), (.sse, .softmax), (.sse, .sigmoid), (.huber(delta: 0.3), .linear),
        (.pseudoHuber(delta: 0.7), .softplus), (.mse, .relu),
    ]

    @Test(arguments: activations)
    func everyHiddenActivationAgreesWithTheReference(_ hidden: Activation) {
        let (inputs, targets) = Self.data()
        for (loss, output) in Self.pairs {
            let network = Self.network(hidden: hidden, output: output)
            let label = "\(hidden.name) then \(output.name), \(loss.name)"
            #expect(network.hasBatchedGradients)
            Self.expectSameGradients(network.wholeDataGradients(input: inputs, target: targets, loss: loss, batchRows: Self.batchRows),
                                     network.gradients(input: inputs, target: targets, loss: loss), label)
            #expect(Self.agree(network.wholeDataLoss(input: inputs, target: targets, loss: loss, batchRows: Self.batchRows),
                               network.loss(input: inputs, target: targets, loss: loss)), "\(label)")
            let evaluation = network.wholeDataEvaluation(input: inputs, target: targets, loss: loss, batchRows: Self.batchRows)
            let pass = network.forward(inputs)
            #expect(Self.agree(evaluation.loss, network.loss(of: pass, target: targets, loss: loss)), "\(label)")
            #expect(evaluation.outputs.rows == Self.samples && Self.agree(evaluation.outputs.storage, pass.output.storage), "\(label)")
            let predicted = network.wholeDataPredict(inputs, batchRows: Self.batchRows)
            #expect(predicted.rows == Self.samples && predicted.columns == 3 && Self.agree(predicted.storage, pass.output.storage))
        }
    }

    @Test func theDefaultBatchSizeAgreesOnDataOfSeveralBatches() {
        // 1100 samples: two batches of 512 and one of 76.
        let (inputs, targets) = Self.data(samples: 1100)
        let network = Self.network(hidden: .sigmoid, output: .softmax)
        Self.expectSameGradients(network.wholeDataGradients(input: inputs, target: targets, loss: .crossEntropy),
                                 network.gradients(input: inputs, target: targets, loss: .crossEntropy), "default batches")
        #expect(Self.agree(network.wholeDataLoss(input: inputs, target: targets, loss: .mse),
                           network.loss(input: inputs, target: targets, loss: .mse)))
        #expect(Self.agree(network.wholeDataPredict(inputs).storage, network.predict(inputs).storage))
    }

    @Test func oneBatchOrOneRowPerBatchGiveTheSame() {
        let (inputs, targets) = Self.data()
        let network = Self.network(hidden: .tanh, output: .softmax)
        let reference = network.gradients(input: inputs, target: targets, loss: .crossEntropy)
        for rows in [1, Self.samples] {
            Self.expectSameGradients(network.wholeDataGradients(input: inputs, target: targets, loss: .crossEntropy, batchRows: rows),
                                     reference, "batches of \(rows)")
        }
    }

    @Test func stoppingAtALayerGivesItsGradientsAndNothingBelow() {
        // `grad W2` backpropagates no lower than layer 2.
        let (inputs, targets) = Self.data()
        let network = Self.network(hidden: .elu(alpha: 1), output: .softmax)
        let reference = network.gradients(input: inputs, target: targets, loss: .crossEntropy)
        for lowest in network.layers.indices {
            let fast = network.wholeDataGradients(input: inputs, target: targets, loss: .crossEntropy, lowestLayer: lowest,
                                                  batchRows: Self.batchRows)
            #expect(Self.agree(fast.loss, reference.loss))
            for index in network.layers.indices {
                if index >= lowest {
                    #expect(Self.agree(fast.weights[index].storage, reference.weights[index].storage), "W\(index + 1) from \(lowest)")
                    #expect(Self.agree(fast.biases[index], reference.biases[index]))
                } else {
                    #expect(fast.weights[index].storage.allSatisfy { $0 == 0 } && fast.biases[index].allSatisfy { $0 == 0 })
                }
            }
        }
    }

    @Test func fewerRowsThanOneBatchTakeTheReferenceItself() {
        let (inputs, targets) = Self.data(samples: Self.batchRows - 1)
        let network = Self.network(hidden: .tanh, output: .softmax)
        #expect(network.wholeDataGradients(input: inputs, target: targets, loss: .crossEntropy, batchRows: Self.batchRows)
                == network.gradients(input: inputs, target: targets, loss: .crossEntropy))
        #expect(network.wholeDataLoss(input: inputs, target: targets, loss: .mse, batchRows: Self.batchRows)
                == network.loss(input: inputs, target: targets, loss: .mse))
        #expect(network.wholeDataPredict(inputs, batchRows: Self.batchRows) == network.predict(inputs))
        // One full batch: the batched path, which leaves δ out.
        let (more, moreTargets) = Self.data(samples: Self.batchRows)
        #expect(network.wholeDataGradients(input: more, target: moreTargets, loss: .crossEntropy, batchRows: Self.batchRows).deltas.isEmpty)
    }

    @Test func dropoutIsOffInEveryWholeDataStatement() {
        let (inputs, targets) = Self.data()
        let network = Self.network(hidden: .relu, output: .softmax, dropout: 0.5)
        #expect(network.hasDropout && network.hasBatchedGradients)
        // The reference without masks: what `step` and `grad` have always used.
        Self.expectSameGradients(network.wholeDataGradients(input: inputs, target: targets, loss: .crossEntropy, batchRows: Self.batchRows),
                                 network.gradients(input: inputs, target: targets, loss: .crossEntropy), "dropout")
        #expect(Self.agree(network.wholeDataLoss(input: inputs, target: targets, loss: .crossEntropy, batchRows: Self.batchRows),
                           network.loss(input: inputs, target: targets, loss: .crossEntropy)))
        #expect(Self.agree(network.wholeDataPredict(inputs, batchRows: Self.batchRows).storage, network.predict(inputs).storage))
    }

    @Test func batchNormalizationByRunningEstimatesInInferenceAndByAllSamplesInTraining() {
        let (inputs, targets) = Self.data()
        let network = Self.network(hidden: .tanh, output: .softmax, batchNorm: true)
        // Inference (loss, evaluate, predict): the running estimates, row by row, so batches serve.
        let inference = network.loss(input: inputs, target: targets, loss: .crossEntropy)
        #expect(Self.agree(network.wholeDataLoss(input: inputs, target: targets, loss: .crossEntropy, batchRows: Self.batchRows), inference))
        let evaluation = network.wholeDataEvaluation(input: inputs, target: targets, loss: .crossEntropy, batchRows: Self.batchRows)
        #expect(Self.agree(evaluation.loss, inference) && Self.agree(evaluation.outputs.storage, network.predict(inputs).storage))
        #expect(Self.agree(network.wholeDataPredict(inputs, batchRows: Self.batchRows).storage, network.predict(inputs).storage))
        // Training mode (step, grad): the statistics of every sample at once, which no batch
        // sees, so it is the reference itself, γ and β included; its loss is not inference's.
        #expect(!network.hasBatchedGradients)
        let training = network.wholeDataGradients(input: inputs, target: targets, loss: .crossEntropy, batchRows: Self.batchRows)
        #expect(training == network.gradients(input: inputs, target: targets, loss: .crossEntropy))
        #expect(training.gamma(layer: 1).count == 5 && !Self.agree(training.loss, inference))
    }

    @Test func gradientDescentOnTheBatchedGradientsIsTheReferenceStep() {
        // What `step` does: descend by the whole-data gradients, frozen layers left alone.
        let (inputs, targets) = Self.data()
        let network = Self.network(hidden: .sigmoid, output: .softmax)
        for frozen in [Set<Int>(), [1]] {
            var fast = network, reference = network
            #expect(Optimizer.descend(&fast, gradients: network.wholeDataGradients(input: inputs, target: targets, loss: .crossEntropy,
                                                                                    batchRows: Self.batchRows),
                                      learningRate: 0.5, frozenLayers: frozen))
            #expect(Optimizer.descend(&reference, gradients: network.gradients(input: inputs, target: targets, loss: .crossEntropy),
                                      learningRate: 0.5, frozenLayers: frozen))
            for index in network.layers.indices {
                #expect(Self.agree(fast.layers[index].weights.storage, reference.layers[index].weights.storage))
                #expect(Self.agree(fast.layers[index].biases, reference.layers[index].biases))
            }
            #expect(fast.layers[1] == network.layers[1] || !frozen.contains(1))
            #expect(fast.layers[0] != network.layers[0])
        }
    }

    @Test func aNonFiniteLossStaysNonFinite() {
        // A step refuses a non-finite loss: the batched sum must not hide one.
        var (inputs, targets) = Self.data()
        inputs.storage[4 * 50] = .infinity
        let network = Self.network(hidden: .linear, output: .linear)
        #expect(!network.wholeDataGradients(input: inputs, target: targets, loss: .mse, batchRows: Self.batchRows).loss.isFinite)
        #expect(!network.wholeDataLoss(input: inputs, target: targets, loss: .mse, batchRows: Self.batchRows).isFinite)
    }
}
