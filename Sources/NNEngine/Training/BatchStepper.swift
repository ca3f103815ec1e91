/// One way of taking training steps, driven batch by batch by `Trainer.runEpochs`.
///
/// A stepper holds the parameters being trained, the optimizer's state and the data; the
/// epoch loop decides which rows each batch has, when to stop and what to record.
protocol BatchStepper {
    /// Remembers the current parameters as the ones `revertEpoch` goes back to.
    mutating func beginEpoch()

    /// One step on the samples at `rows`, with fresh dropout masks from `generator`.
    ///
    /// Returns the batch's loss as it was trained on (before the step) and, if
    /// `countsCorrect`, how many of its rows were classified right; nil if the loss or a new
    /// parameter is not finite, when the caller reverts the epoch.
    mutating func step(_ rows: BatchRows, learningRate: Double, countsCorrect: Bool,
                       generator: inout SeededGenerator) -> (loss: Double, correct: Int)?

    /// Whether a parameter went non-finite in a step that did not say so: a stepper may leave
    /// that check to the end of the epoch, or to an interrupt.
    var hasUncheckedDivergence: Bool { get }

    /// Puts back the parameters (and nothing else) as `beginEpoch` found them.
    mutating func revertEpoch()

    /// The loss of the current parameters on all of `data`, without dropout, and if
    /// `countsCorrect` the number of its samples classified right.
    mutating func measure(_ data: MeasuredData, countsCorrect: Bool) -> (loss: Double, correct: Int)

    /// Copies the current parameters into `network`, which has the shape training started with.
    func store(into network: inout Network)

    /// Makes `network`'s parameters the current ones.
    mutating func load(_ network: Network)
}

/// The samples of one batch.
enum BatchRows {
    /// The rows of this range, as they are in the data.
    case slice(Range<Int>)
    /// The rows at these indices, in this order: a batch of a shuffled epoch.
    case gathered(ArraySlice<Int>)
}

/// The data a stepper measures a loss on.
enum MeasuredData {
    case training
    case validation
}

/// The readable stepper: `Network.forward`, `Network.gradients` and `Optimizer.step` on
/// matrices, allocating as it likes. `Trainer.referenceTrain` runs it, and the tests hold
/// the workspace to it.
struct ReferenceStepper: BatchStepper {
    private(set) var network: Network
    private var startOfEpoch: Network
    private var optimizer: Optimizer
    let inputs: Matrix
    let targets: Matrix
    let validation: DataSet?
    let loss: Loss
    /// Each training sample's weight, or nil for all 1.
    let sampleWeights: [Double]?
    private let noMasks: [Matrix?]
    /// The toolbox: see `TrainingConfiguration`.
    private var frozenLayers: Set<Int> = []
    private var clipNorm: Double?
    /// λ₁ of the run when clipping, which adds it to the gradients before clipping them.
    private var clippedL1 = 0.0
    private var augmentation: InputAugmentation?
    /// L-BFGS's state when the optimizer is lbfgs.
    private var lbfgs: LBFGS?

    init(network: Network, inputs: Matrix, targets: Matrix, validation: DataSet?, loss: Loss, optimizer: OptimizerSettings,
         sampleWeights: [Double]? = nil) {
        self.network = network
        startOfEpoch = network
        self.optimizer = Optimizer(settings: optimizer, for: network)
        self.inputs = inputs
        self.targets = targets
        self.validation = validation
        self.loss = loss
        self.sampleWeights = sampleWeights
        noMasks = Array(repeating: nil, count: network.layers.count)
        lbfgs = optimizer.kind == .lbfgs ? LBFGS(settings: optimizer) : nil
    }

    /// This stepper with `configuration`'s frozen layers, clipping and augmentation.
    func withToolbox(of configuration: TrainingConfiguration) -> ReferenceStepper {
        var stepper = self
        stepper.frozenLayers = configuration.frozenLayers
        stepper.clipNorm = configuration.clipNorm
        stepper.augmentation = configuration.augmentation
        var settings = optimizer.settings
        if configuration.clipNorm != nil {
            stepper.clippedL1 = settings.l1
            settings.l1 = 0  // added before clipping
        }
        stepper.optimizer = Optimizer(settings: settings, for: network, frozenLayers: configuration.frozenLayers)
        return stepper
    }

    mutating func beginEpoch() {
        startOfEpoch = network
    }

    mutating func step(_ rows: BatchRows, learningRate: Double, countsCorrect: Bool,
                       generator: inout SeededGenerator) -> (loss: Double, correct: Int)? {
        var (input, target) = batch(rows)
        if let augmentation { input = augmentation.applied(to: input, generator: &generator) }
        let masks = network.hasDropout ? network.dropoutMasks(rows: input.rows, generator: &generator) : noMasks
        let pass = network.forward(input, dropoutMasks: masks)
        let correct = countsCorrect ? Metrics.correctCount(outputs: pass.output, targets: target) : 0
        let weights = sampleWeights.map { batchWeights(rows, $0) }
        if var lbfgs {
            // The objective is the batch's loss (the whole data set's: L-BFGS is full-batch) with these masks.
            var x = network.flatParameters()
            var trial = network
            let (frozen, loss) = (frozenLayers, self.loss)
            let batchLoss = lbfgs.step(&x, learningRate: learningRate) { theta in
                trial.setFlatParameters(theta)
                let gradients = trial.gradients(of: trial.forward(input, dropoutMasks: masks), target: target, loss: loss,
                                                sampleWeights: weights)
                var flat: [Double] = []
                for index in trial.layers.indices {
                    let zero = frozen.contains(index)
                    flat += gradients.weights[index].storage.map { zero ? 0 : $0 } + gradients.biases[index].map { zero ? 0 : $0 }
                }
                return (gradients.loss, flat)
            }
            self.lbfgs = lbfgs
            guard batchLoss.isFinite, x.allSatisfy(\.isFinite) else { return nil }
            network.setFlatParameters(x)
            return (batchLoss, correct)
        }
        var gradients = network.gradients(of: pass, target: target, loss: loss, sampleWeights: weights)
        if let clipNorm {
            GradientClipping.clip(&gradients, of: network, maxNorm: clipNorm, l1: clippedL1, frozen: frozenLayers)
        }
        guard optimizer.step(&network, gradients: gradients, learningRate: learningRate) else { return nil }
        network.updateRunningStatistics(from: pass)
        return (gradients.loss, correct)
    }

    /// Every step is checked as it is taken.
    var hasUncheckedDivergence: Bool { false }

    mutating func revertEpoch() {
        network = startOfEpoch
    }

    func measure(_ data: MeasuredData, countsCorrect: Bool) -> (loss: Double, correct: Int) {
        let (input, target) = switch data {
        case .training: (inputs, targets)
        case .validation: (validation?.inputs ?? Matrix(rows: 0, columns: 0), validation?.targets ?? Matrix(rows: 0, columns: 0))
        }
        let pass = network.forward(input)
        let weights = data == .training ? sampleWeights : nil
        return (network.loss(of: pass, target: target, loss: loss, sampleWeights: weights),
                countsCorrect ? Metrics.correctCount(outputs: pass.output, targets: target) : 0)
    }

    func store(into network: inout Network) {
        network = self.network
    }

    mutating func load(_ network: Network) {
        self.network = network
    }

    /// The inputs and targets of a batch, copied out of the data.
    private func batch(_ rows: BatchRows) -> (inputs: Matrix, targets: Matrix) {
        switch rows {
        case .slice(let range):
            return (inputs.rows(range), targets.rows(range))
        case .gathered(let indices):
            return (Self.gather(indices, from: inputs), Self.gather(indices, from: targets))
        }
    }

    /// The weights of a batch's samples.
    private func batchWeights(_ rows: BatchRows, _ weights: [Double]) -> [Double] {
        switch rows {
        case .slice(let range): Array(weights[range])
        case .gathered(let indices): indices.map { weights[$0] }
        }
    }

    /// The rows of `source` at `indices`, row after row.
    private static func gather(_ indices: ArraySlice<Int>, from source: Matrix) -> Matrix {
        var result = Matrix(rows: indices.count, columns: source.columns)
        for (row, index) in indices.enumerated() {
            for column in 0..<source.columns {
                result.storage[row * source.columns + column] = source.storage[index * source.columns + column]
            }
        }
        return result
    }
}
