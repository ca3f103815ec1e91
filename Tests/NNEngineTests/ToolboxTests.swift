import Testing
@testable import NNEngine

/// Rprop, L-BFGS, gradient clipping, frozen layers and the cyclic, one-cycle and warm-up
/// schedules against PyTorch, in both training paths; input augmentation by its definition.
///
/// The reference values (`ToolboxReference.swift`) were written once by PyTorch 2.13 in float64
/// (FANN's Rprop variant by a transcription of FANN's C loop, on torch's gradients):
/// `python3 Tests/NNEngineTests/Fixtures/toolbox.py > Tests/NNEngineTests/ToolboxReference.swift`.
@Suite("Training toolbox")
struct ToolboxTests {
    /// The script's 3-4-2 tanh/sigmoid network and its six samples (mse loss).
    static func network(dropout: Double = 0) -> Network {
        Network(inputCount: 3, layers: [
            DenseLayer(weights: Matrix([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.2, -0.3, 0.1]]),
                       biases: [0.05, -0.05, 0.1, 0.0], activation: .tanh, dropout: dropout),
            DenseLayer(weights: Matrix([[0.3, -0.4, 0.2, 0.6], [-0.5, 0.1, 0.7, -0.2]]), biases: [0.1, -0.1], activation: .sigmoid),
        ])
    }
    static let inputs = Matrix([[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [-0.7, 0.9, 0.4], [0.0, -0.5, -1.2], [2.0, 1.0, 0.5], [-1.5, 0.3, 0.8]])
    static let targets = Matrix([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var optimizer: OptimizerSettings
        var learningRate: Double
        var clip: Double? = nil
        var frozen: Set<Int> = []
        var description: String { name }
    }

    static func settings(_ kind: OptimizerKind, _ change: (inout OptimizerSettings) -> Void = { _ in }) -> OptimizerSettings {
        var settings = OptimizerSettings(kind: kind)
        change(&settings)
        return settings
    }

    static let cases: [Case] = [
        Case(name: "rprop", optimizer: settings(.rprop), learningRate: 0.01),
        Case(name: "rprop, etas 0.3 1.5, steps 0.002 0.05, lr 0.1",
             optimizer: settings(.rprop) { $0.etaMinus = 0.3; $0.etaPlus = 1.5; $0.stepMinimum = 0.002; $0.stepMaximum = 0.05 },
             learningRate: 0.1),
        Case(name: "rprop, l1 0.01", optimizer: settings(.rprop) { $0.l1 = 0.01 }, learningRate: 0.01),
        Case(name: "lbfgs", optimizer: settings(.lbfgs), learningRate: 1),
        Case(name: "lbfgs, lr 0.5, history 3, max_iter 7", optimizer: settings(.lbfgs) { $0.historySize = 3; $0.maxIterations = 7 },
             learningRate: 0.5),
        Case(name: "lbfgs, strong wolfe", optimizer: settings(.lbfgs) { $0.strongWolfe = true }, learningRate: 1),
        Case(name: "lbfgs, strong wolfe, lr 0.1, frozen 1", optimizer: settings(.lbfgs) { $0.strongWolfe = true }, learningRate: 0.1,
             frozen: [0]),
        Case(name: "sgd, clip 0.05", optimizer: settings(.sgd), learningRate: 0.5, clip: 0.05),
        Case(name: "adam, clip 0.01, weight decay 0.1", optimizer: settings(.adam) { $0.weightDecay = 0.1 }, learningRate: 0.05, clip: 0.01),
        Case(name: "momentum, clip 0.02, l1 0.05", optimizer: settings(.momentum) { $0.l1 = 0.05 }, learningRate: 0.5, clip: 0.02),
        Case(name: "sgd, clip 100 (no effect)", optimizer: settings(.sgd), learningRate: 0.5, clip: 100),
        Case(name: "adam, weight decay 0.1, frozen 1", optimizer: settings(.adam) { $0.weightDecay = 0.1 }, learningRate: 0.05, frozen: [0]),
        Case(name: "rprop, frozen 2", optimizer: settings(.rprop), learningRate: 0.01, frozen: [1]),
        // FANN's variant against a transcription of fann_update_weights_irpropm, not torch.
        Case(name: "rprop, variant fann", optimizer: settings(.rprop) { $0.fannRprop = true; $0.stepMinimum = 0 }, learningRate: 0.1),
        Case(name: "rprop, variant fann, lr 0.05, etas 0.4 1.3, steps 0.01 0.2",
             optimizer: settings(.rprop) { $0.fannRprop = true; $0.etaMinus = 0.4; $0.etaPlus = 1.3; $0.stepMinimum = 0.01; $0.stepMaximum = 0.2 },
             learningRate: 0.05),
    ]

    static func configuration(_ test: Case, epochs: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(epochs: epochs, learningRate: test.learningRate, optimizer: test.optimizer)
        configuration.clipNorm = test.clip
        configuration.frozenLayers = test.frozen
        return configuration
    }

    @Test("full-batch steps match torch.optim to 1e-9 in both paths", arguments: cases)
    func matchesPyTorch(_ test: Case) throws {
        let reference = try #require(ToolboxReference.training[test.name])
        let configuration = Self.configuration(test, epochs: reference.steps)
        var readable = Self.network()
        var generator = SeededGenerator(seed: 1)
        _ = Trainer.referenceTrain(&readable, inputs: Self.inputs, targets: Self.targets, loss: .mse,
                                   configuration: configuration, generator: &generator)
        var fast = Self.network()
        _ = Trainer.train(&fast, inputs: Self.inputs, targets: Self.targets, loss: .mse, configuration: configuration)
        let start = Self.network().flatParameters()
        #expect(zip(start, reference.parameters).contains { abs($0 - $1) > 1e-6 } || test.frozen.count == 2,
                "the reference moved the parameters")
        for (path, network) in [("reference", readable), ("fast", fast)] {
            let got = network.flatParameters()
            let worst = zip(got, reference.parameters).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
            #expect(got.count == reference.parameters.count && worst < 1e-9, "\(path): off by \(worst)")
        }
        for index in test.frozen {
            #expect(readable.layers[index] == Self.network().layers[index] && fast.layers[index] == Self.network().layers[index])
        }
    }

    @Test("minibatches, shuffling, dropout, clipping, freezing and augmentation: both paths agree",
          arguments: [OptimizerKind.rprop, .adam, .momentum, .lbfgs])
    func pathsAgree(_ kind: OptimizerKind) {
        var configuration = TrainingConfiguration(epochs: kind == .lbfgs ? 2 : 6, learningRate: kind == .lbfgs ? 0.1 : 0.05,
                                                  batchSize: kind == .lbfgs ? nil : 4, shuffle: true,
                                                  optimizer: OptimizerSettings(kind: kind))
        configuration.clipNorm = kind == .lbfgs ? nil : 0.1
        configuration.frozenLayers = kind == .adam ? [0] : []
        configuration.augmentation = InputAugmentation(noise: 0.1)
        var readable = Self.network(dropout: 0.25), fast = Self.network(dropout: 0.25)
        var first = SeededGenerator(seed: 3), second = SeededGenerator(seed: 3)
        let a = Trainer.referenceTrain(&readable, inputs: Self.inputs, targets: Self.targets, loss: .mse,
                                       configuration: configuration, generator: &first)
        let b = Trainer.train(&fast, inputs: Self.inputs, targets: Self.targets, loss: .mse,
                              configuration: configuration, generator: &second)
        let worst = zip(readable.flatParameters(), fast.flatParameters()).map { abs($0 - $1) }.max() ?? .infinity
        // The paths sum in different orders; L-BFGS's 20 iterations a step (each a line search
        // over a cubic fit) magnify those last-digit differences more than one update does.
        let tolerance = kind == .lbfgs ? 1e-8 : 1e-10
        #expect(worst < tolerance, "off by \(worst)")
        #expect(a.history.map(\.loss).elementsEqual(b.history.map(\.loss)) { abs($0 - $1) < tolerance })
        #expect(readable.flatParameters() != Self.network().flatParameters())
    }

    /// Batch normalization's γ and β are parameters like the weights: clipping counts and
    /// scales their gradients, λ₁ reaches them, and freezing a layer fixes them, in both paths.
    @Test("with batch normalization, clipping, L1 and freezing: both paths agree", arguments: [Set<Int>(), [0], [1]])
    func pathsAgreeWithBatchNormalization(_ frozen: Set<Int>) {
        var settings = OptimizerSettings(kind: .adam)
        settings.l1 = 0.01
        var configuration = TrainingConfiguration(epochs: 5, learningRate: 0.05, batchSize: 3, optimizer: settings)
        configuration.clipNorm = 0.05
        configuration.frozenLayers = frozen
        func normalized() -> Network {
            var network = Self.network()
            network.layers[0].batchNorm = BatchNorm(gamma: [1, 0.5, 1.5, 0.8], beta: [0, 0.1, -0.2, 0.3],
                                                    runningMean: [0, 0, 0, 0], runningVariance: [1, 1, 1, 1], batchesTracked: 0)
            return network
        }
        var readable = normalized(), fast = normalized()
        var first = SeededGenerator(seed: 5), second = SeededGenerator(seed: 5)
        _ = Trainer.referenceTrain(&readable, inputs: Self.inputs, targets: Self.targets, loss: .mse,
                                   configuration: configuration, generator: &first)
        _ = Trainer.train(&fast, inputs: Self.inputs, targets: Self.targets, loss: .mse, configuration: configuration, generator: &second)
        let gammas = { (network: Network) in (network.layers[0].batchNorm?.gamma ?? []) + (network.layers[0].batchNorm?.beta ?? []) }
        let worst = zip(readable.flatParameters() + gammas(readable), fast.flatParameters() + gammas(fast)).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-10, "off by \(worst)")
        #expect((gammas(readable) == gammas(normalized())) == frozen.contains(0))
        #expect((gammas(fast) == gammas(normalized())) == frozen.contains(0), "γ and β move unless their layer is frozen")
        #expect((fast.layers[1] == normalized().layers[1]) == frozen.contains(1))
    }

    static let schedules: [(name: String, schedule: LearningRateSchedule, warmup: Int, rate: Double)] = [
        ("cyclic 0.01 to 0.1, every 3", .cyclic(minimum: 0.01, every: 3), 0, 0.1),
        ("onecycle 0.1 over 20", .oneCycle(epochs: 20), 0, 0.1),
        ("onecycle 0.1 over 7", .oneCycle(epochs: 7), 0, 0.1),
        ("warmup 3, constant", .constant, 3, 0.1),
        ("warmup 3, step every 4 gamma 0.5", .step(every: 4, gamma: 0.5), 3, 0.1),
        ("warmup 2, exponential 0.9", .exponential(gamma: 0.9), 2, 0.2),
        ("warmup 4, cosine over 10 to 0.001", .cosine(period: 10, minimum: 0.001), 4, 0.1),
        ("warmup 2, cyclic 0.01 to 0.1, every 2", .cyclic(minimum: 0.01, every: 2), 2, 0.1),
        ("warmup 3, onecycle 0.1 over 12", .oneCycle(epochs: 12), 3, 0.1),
    ]

    @Test("cyclic, onecycle and warm-up rates match torch.optim.lr_scheduler per epoch", arguments: schedules.indices)
    func scheduleMatchesPyTorch(_ index: Int) throws {
        let test = Self.schedules[index]
        let expected = try #require(ToolboxReference.schedules[test.name])
        var scheduler = LearningRateScheduler(schedule: test.schedule, initialRate: test.rate, warmupEpochs: test.warmup)
        var rates: [Double] = []
        for _ in expected {
            rates.append(scheduler.rate)
            scheduler.endEpoch(monitoredLoss: 1)
        }
        let worst = zip(rates, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-12, "\(test.name): \(rates) vs \(expected)")
    }

    @Test("clipping scales by min(1, max / (norm + 1e-6)), as clip_grad_norm_")
    func clipFactor() {
        #expect(GradientClipping.factor(norm: 2, maxNorm: 1) == 1 / (2 + 1e-6))
        #expect(GradientClipping.factor(norm: 0.5, maxNorm: 1) == 1)
    }

    @Test("shifting moves each 8×8 image by at most a pixel, filling with 0, reproducibly")
    func shift() {
        var image = Matrix(rows: 40, columns: 64)
        for r in 0..<40 { for i in 0..<64 { image[r, i] = Double(i + 1) } }
        let augmentation = InputAugmentation(shiftsImage: true)
        var generator = SeededGenerator(seed: 5), again = SeededGenerator(seed: 5)
        let shifted = augmentation.applied(to: image, generator: &generator)
        #expect(shifted == augmentation.applied(to: image, generator: &again))
        var moves = Set<[Int]>()
        for r in 0..<40 {
            // Pixel (y, x) holds 8y + x + 1; find the move from the first nonzero pixel of the middle.
            let middle = shifted[r, 3 * 8 + 3]
            let from = Int(middle) - 1
            let (down, across) = (3 - from / 8, 3 - from % 8)
            #expect(abs(down) <= 1 && abs(across) <= 1)
            moves.insert([down, across])
            for y in 0..<8 {
                for x in 0..<8 {
                    let (fy, fx) = (y - down, x - across)
                    let expected = fy >= 0 && fy < 8 && fx >= 0 && fx < 8 ? Double(fy * 8 + fx + 1) : 0
                    #expect(shifted[r, y * 8 + x] == expected)
                }
            }
        }
        #expect(moves.count == 9, "all nine moves over 40 draws")
    }

    @Test("with normalized inputs, a shift moves the raw pixels and normalizes them again")
    func shiftUndoesTheNormalization() {
        var generator = SeededGenerator(seed: 11)
        let raw = Matrix(rows: 12, columns: 64, storage: (0..<(12 * 64)).map { _ in Double(Int(generator.nextDouble() * 17)) })
        let offsets = (0..<64).map { Double($0 % 3) }, scales = (0..<64).map { 1 + Double($0 % 5) }
        let normalized = Normalization(method: .minmax, offsets: offsets, scales: scales).apply(raw)
        var first = SeededGenerator(seed: 4), second = SeededGenerator(seed: 4)
        let shiftedThenNormalized = Normalization(method: .minmax, offsets: offsets, scales: scales)
            .apply(InputAugmentation(shiftsImage: true).applied(to: raw, generator: &first))
        let normalizedThenShifted = InputAugmentation(shiftsImage: true, pixelOffsets: offsets, pixelScales: scales)
            .applied(to: normalized, generator: &second)
        let worst = zip(shiftedThenNormalized.storage, normalizedThenShifted.storage).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-12)
        #expect(normalizedThenShifted != normalized)
    }

    @Test("noise adds N(0, σ²) to every input: mean near 0, deviation near σ")
    func noise() {
        let zeros = Matrix(rows: 200, columns: 50)
        var generator = SeededGenerator(seed: 9)
        let noisy = InputAugmentation(noise: 0.3).applied(to: zeros, generator: &generator)
        let mean = noisy.storage.reduce(0, +) / Double(noisy.count)
        let deviation = (noisy.storage.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(noisy.count)).squareRoot()
        #expect(abs(mean) < 0.01 && abs(deviation - 0.3) < 0.01)
    }
}
