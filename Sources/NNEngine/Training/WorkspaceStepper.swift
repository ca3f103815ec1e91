/// The fast stepper: the same steps as `ReferenceStepper`, on a `TrainingWorkspace` that
/// makes its buffers once, computes products with BLAS (or `ProductKernels`) and updates
/// parameters in place, in `Double` or `Float`. The data stays in `Double`: float32 training
/// converts each batch's rows as it takes them (`TrainingWorkspace.batch`, `gather`), so it
/// keeps no float32 copy of the data beside it.
struct WorkspaceStepper<Scalar: TrainingScalar>: BatchStepper {
    let workspace: TrainingWorkspace<Scalar>
    /// The training samples: [samples, inputs] and [samples, outputs].
    let inputs: UnsafePointer<Double>
    let targets: UnsafePointer<Double>
    /// Each training sample's weight, or nil for all 1.
    let weights: UnsafePointer<Double>?
    let sampleCount: Int
    /// The validation samples, converted a batch at a time when measured.
    let validation: DataSet?
    let validationCount: Int
    let loss: Loss
    let settings: OptimizerSettings
    /// Plain gradient descent folds its step into the backward pass.
    private(set) var isPlainDescent: Bool
    let hasDropout: Bool
    /// β₁ᵗ and β₂ᵗ after t steps.
    private var beta1Power = 1.0
    private var beta2Power = 1.0
    /// The steps taken: rprop's step sizes start at the first one's learning rate.
    private var stepCount = 0
    /// The toolbox: see `TrainingConfiguration`.
    private(set) var frozenLayers: Set<Int> = []
    private var trainableRanges: [Range<Int>] = []
    private var frozenRanges: [Range<Int>] = []
    private var clipNorm: Double?
    private var augmentation: InputAugmentation?
    /// L-BFGS's state when the optimizer is lbfgs.
    private var lbfgs: LBFGS?

    init(workspace: TrainingWorkspace<Scalar>, inputs: UnsafePointer<Double>, targets: UnsafePointer<Double>,
         weights: UnsafePointer<Double>? = nil, sampleCount: Int, validation: DataSet?, loss: Loss,
         settings: OptimizerSettings, hasDropout: Bool) {
        self.workspace = workspace
        self.inputs = inputs
        self.targets = targets
        self.weights = weights
        self.sampleCount = sampleCount
        self.validation = validation
        validationCount = validation?.sampleCount ?? 0
        self.loss = loss
        self.settings = settings
        isPlainDescent = settings.kind == .sgd && settings.weightDecay == 0 && settings.l1 == 0
        self.hasDropout = hasDropout
        trainableRanges = workspace.trainableRanges(frozen: [])
        lbfgs = settings.kind == .lbfgs ? LBFGS(settings: settings) : nil
    }

    /// This stepper with `configuration`'s frozen layers, clipping and augmentation.
    func withToolbox(of configuration: TrainingConfiguration) -> WorkspaceStepper {
        var stepper = self
        stepper.frozenLayers = configuration.frozenLayers
        stepper.trainableRanges = workspace.trainableRanges(frozen: configuration.frozenLayers)
        stepper.frozenRanges = workspace.trainableRanges(frozen: Set(workspace.layers.indices).subtracting(configuration.frozenLayers))
        stepper.clipNorm = configuration.clipNorm
        stepper.augmentation = configuration.augmentation
        stepper.isPlainDescent = isPlainDescent && configuration.frozenLayers.isEmpty && configuration.clipNorm == nil
        return stepper
    }

    @inline(__always)
    func beginEpoch() {
        workspace.saveSnapshot()
    }

    @inline(__always)
    mutating func step(_ rows: BatchRows, learningRate: Double, countsCorrect: Bool,
                       generator: inout SeededGenerator) -> (loss: Double, correct: Int)? {
        var batch: (inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>)
        let batchWeights: UnsafePointer<Scalar>?
        let count: Int
        switch rows {
        case .slice(let range):
            let rows = workspace.batch(range, inputs: inputs, targets: targets, weights: weights)
            batch = (rows.inputs, rows.targets)
            batchWeights = rows.weights
            count = range.count
        case .gathered(let indices):
            batch = workspace.gather(indices, inputs: inputs, targets: targets)
            batchWeights = weights.map { workspace.gather(indices, weights: $0) }
            count = indices.count
        }
        if let augmentation {
            batch.inputs = workspace.augmented(batch.inputs, rows: count, by: augmentation, generator: &generator)
        }
        if hasDropout { workspace.drawMasks(rows: count, generator: &generator) }
        if lbfgs != nil {
            return lbfgsStep(batch, rows: count, weights: batchWeights, learningRate: learningRate, countsCorrect: countsCorrect)
        }
        workspace.forward(batch.inputs, rows: count, usesMasks: hasDropout, batchStatistics: true)
        let batchLoss = workspace.lossValue(loss, target: batch.targets, rows: count, usesMasks: hasDropout, weights: batchWeights)
        let correct = countsCorrect ? workspace.correctCount(target: batch.targets, rows: count) : 0
        guard batchLoss.isFinite else { return nil }
        if isPlainDescent {
            workspace.backward(batch.inputs, target: batch.targets, rows: count, loss: loss,
                               usesMasks: hasDropout, descentRate: Scalar(learningRate), weights: batchWeights)
            // Without dropout the check can wait for the end of the epoch
            // (`hasUncheckedDivergence`): the epoch is undone either way, and nothing is drawn
            // from the generator in between.
            if hasDropout && !workspace.parametersAreFinite { return nil }
        } else {
            workspace.backward(batch.inputs, target: batch.targets, rows: count, loss: loss, usesMasks: hasDropout,
                               weights: batchWeights)
            var ruleSettings = settings
            if let clipNorm {
                workspace.clipGradients(maxNorm: clipNorm, l1: settings.l1, ranges: trainableRanges)
                ruleSettings.l1 = 0  // added before clipping
            }
            let rule = Optimizer.Rule<Scalar>(settings: ruleSettings, learningRate: learningRate,
                                              beta1Power: beta1Power * settings.beta1, beta2Power: beta2Power * settings.beta2,
                                              isFirstStep: stepCount == 0)
            guard frozenLayers.isEmpty ? workspace.step(rule) : workspace.step(rule, ranges: trainableRanges) else { return nil }
        }
        stepCount += 1
        beta1Power *= settings.beta1
        beta2Power *= settings.beta2
        return (batchLoss, correct)
    }

    /// One L-BFGS step on the batch (the whole data set), its objective evaluated in the workspace.
    private mutating func lbfgsStep(_ batch: (inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>), rows: Int,
                                    weights: UnsafePointer<Scalar>?, learningRate: Double,
                                    countsCorrect: Bool) -> (loss: Double, correct: Int)? {
        guard var optimizer = lbfgs else { return nil }
        workspace.forward(batch.inputs, rows: rows, usesMasks: hasDropout)
        let correct = countsCorrect ? workspace.correctCount(target: batch.targets, rows: rows) : 0
        var theta = (0..<workspace.parameterCount).map { Double(workspace.parameters[$0]) }
        let batchLoss = optimizer.step(&theta, learningRate: learningRate, objective: objective(batch, rows: rows, weights: weights))
        lbfgs = optimizer
        for i in theta.indices { workspace.parameters[i] = Scalar(theta[i]) }
        guard batchLoss.isFinite, workspace.parametersAreFinite else { return nil }
        stepCount += 1
        return (batchLoss, correct)
    }

    /// L-BFGS's objective on this batch: `TrainingWorkspace.objective`.
    private func objective(_ batch: (inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>), rows: Int,
                           weights: UnsafePointer<Scalar>?) -> LBFGS.Objective {
        let workspace = workspace, loss = loss, usesMasks = hasDropout, frozen = frozenRanges
        let input = batch.inputs, target = batch.targets
        return { theta in
            workspace.objective(theta, input: input, target: target, rows: rows, loss: loss,
                                usesMasks: usesMasks, weights: weights, frozen: frozen)
        }
    }

    @inline(__always)
    var hasUncheckedDivergence: Bool {
        isPlainDescent && !workspace.parametersAreFinite
    }

    func revertEpoch() {
        workspace.restoreSnapshot()
    }

    func measure(_ data: MeasuredData, countsCorrect: Bool) -> (loss: Double, correct: Int) {
        switch data {
        case .training:
            return workspace.measure(inputs: inputs, targets: targets, sampleCount: sampleCount,
                                     loss: loss, countsCorrect: countsCorrect, weights: weights)
        case .validation:
            guard let validation, validationCount > 0 else { return (.nan, 0) }
            return validation.inputs.storage.withUnsafeBufferPointer { x in
                validation.targets.storage.withUnsafeBufferPointer { t in
                    workspace.measure(inputs: x.baseAddress!, targets: t.baseAddress!, sampleCount: validationCount,
                                      loss: loss, countsCorrect: countsCorrect)
                }
            }
        }
    }

    func store(into network: inout Network) {
        workspace.store(into: &network)
    }

    func load(_ network: Network) {
        workspace.load(network)
    }
}

// MARK: - Training on a workspace

extension Trainer {
    /// What a training run's workspace did, for the tests: `buffersCreated` as each epoch ended.
    struct WorkspaceCounter {
        /// Whether to count at all: `train` does not, so its epochs pay nothing for it.
        var isRecording = true
        var buffersCreatedAfterEpoch: [Int] = []
    }

    /// `train`, noting in `counter` how many buffers the workspace had made after each epoch;
    /// `usesKernels` overrides whether the workspace uses `ProductKernels`.
    static func train(_ network: inout Network, inputs: Matrix, targets: Matrix, loss: Loss,
                      configuration: TrainingConfiguration, generator: inout SeededGenerator,
                      counter: inout WorkspaceCounter, usesKernels: Bool? = nil,
                      onEpoch: (EpochRecord) -> Void, onEpochNetwork: (EpochRecord, () -> Network) -> Void = { _, _ in },
                      shouldContinue: (Int) -> Bool) -> TrainingReport {
        let validation = checkedValidation(inputs: inputs, targets: targets, configuration: configuration)
        precondition(inputs.columns == network.inputCount && targets.columns == network.outputCount,
                     "data is \(inputs.columns) → \(targets.columns), network \(network.inputCount) → \(network.outputCount)")
        guard !network.layers.isEmpty else {
            return referenceTrain(&network, inputs: inputs, targets: targets, loss: loss, configuration: configuration,
                                  generator: &generator, onEpoch: onEpoch, onEpochNetwork: onEpochNetwork, shouldContinue: shouldContinue)
        }
        let sampleWeights = configuration.classWeights.map { ClassWeights.sampleWeights($0, targets: targets) }
        /// The epoch loop on a workspace in `Scalar`, over `x` and `t`, the samples in that type,
        /// and `w` their weights, if any.
        func run<Scalar: TrainingScalar>(_: Scalar.Type, _ x: UnsafePointer<Double>, _ t: UnsafePointer<Double>,
                                         _ w: UnsafePointer<Double>?) -> TrainingReport {
            let batchSize = min(configuration.batchSize ?? inputs.rows, inputs.rows)
            let workspace = TrainingWorkspace<Scalar>(network: network, maxRows: batchSize, usesKernels: usesKernels)
            var stepper = WorkspaceStepper(workspace: workspace, inputs: x, targets: t, weights: w, sampleCount: inputs.rows,
                                           validation: validation, loss: loss, settings: configuration.optimizer,
                                           hasDropout: network.hasDropout).withToolbox(of: configuration)
            guard counter.isRecording else {
                return runEpochs(&stepper, network: &network, targets: targets, validation: validation,
                                 configuration: configuration, generator: &generator,
                                 onEpoch: onEpoch, onEpochNetwork: onEpochNetwork, shouldContinue: shouldContinue)
            }
            counter.buffersCreatedAfterEpoch.reserveCapacity(max(0, min(configuration.epochs, 100_000)))
            return runEpochs(&stepper, network: &network, targets: targets, validation: validation,
                             configuration: configuration, generator: &generator,
                             onEpoch: { record in
                                 counter.buffersCreatedAfterEpoch.append(workspace.buffersCreated)
                                 onEpoch(record)
                             },
                             onEpochNetwork: onEpochNetwork, shouldContinue: shouldContinue)
        }
        // The data stays in Double either way; float32 converts it a batch at a time.
        let w = sampleWeights ?? []
        return inputs.storage.withUnsafeBufferPointer { x in
            targets.storage.withUnsafeBufferPointer { t in
                w.withUnsafeBufferPointer { w in
                    let weights = sampleWeights == nil ? nil : w.baseAddress
                    switch configuration.precision {
                    case .float64: return run(Double.self, x.baseAddress!, t.baseAddress!, weights)
                    case .float32: return run(Float.self, x.baseAddress!, t.baseAddress!, weights)
                    }
                }
            }
        }
    }
}
