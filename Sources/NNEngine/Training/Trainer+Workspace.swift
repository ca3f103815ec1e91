/// The fast training loop: the same steps as `Trainer.referenceTrain`, on a `TrainingWorkspace`
/// that makes its buffers once, computes products with BLAS (or `ProductKernels`) and updates
/// parameters in place.
extension Trainer {
    /// Trains `network` by mini-batch steps of the configured optimizer.
    ///
    /// Inputs: [samples, inputs], targets: [samples, outputs]. Each epoch takes its rate
    /// from the schedule, walks the batches (rows 0..<b, b..<2b, …, the last may be smaller;
    /// of a fresh permutation when shuffling) and takes one step per batch, with fresh
    /// dropout masks for layers that have dropout. `generator` draws the permutations and
    /// the masks, nothing else, so without shuffling and dropout it is not touched.
    ///
    /// `shouldContinue(epoch)` is asked before each batch, so a caller can stop training
    /// (on Ctrl-C, say) at the end of the current batch. `onEpoch` gets each epoch's record
    /// as soon as it is complete.
    ///
    /// If a step would make any parameter or the loss non-finite, training stops and the
    /// network is put back to where it was at the start of that epoch, so it matches
    /// `epochsCompleted` even when earlier batches of the epoch had already stepped.
    ///
    /// Computes in `configuration.precision`; in `.float64` the results agree with
    /// `referenceTrain` to rounding.
    public static func train(_ network: inout Network, inputs: Matrix, targets: Matrix, loss: Loss,
                             configuration: TrainingConfiguration, generator: inout SeededGenerator,
                             onEpoch: (EpochRecord) -> Void = { _ in },
                             shouldContinue: (Int) -> Bool = { _ in true }) -> TrainingReport {
        var counter = WorkspaceCounter()
        return train(&network, inputs: inputs, targets: targets, loss: loss, configuration: configuration,
                     generator: &generator, counter: &counter, onEpoch: onEpoch, shouldContinue: shouldContinue)
    }

    /// What a training run's workspace did, for the tests: `buffersCreated` as each epoch ended.
    struct WorkspaceCounter {
        var buffersCreatedAfterEpoch: [Int] = []
    }

    /// `train`, noting in `counter` how many buffers the workspace had made after each epoch;
    /// `usesKernels` overrides whether the workspace uses `ProductKernels`.
    static func train(_ network: inout Network, inputs: Matrix, targets: Matrix, loss: Loss,
                      configuration: TrainingConfiguration, generator: inout SeededGenerator,
                      counter: inout WorkspaceCounter, usesKernels: Bool? = nil,
                      onEpoch: (EpochRecord) -> Void, shouldContinue: (Int) -> Bool) -> TrainingReport {
        precondition(inputs.rows == targets.rows, "\(inputs.rows) input rows but \(targets.rows) target rows")
        precondition(inputs.rows > 0, "training needs at least one sample")
        precondition(inputs.columns == network.inputCount && targets.columns == network.outputCount,
                     "data is \(inputs.columns) → \(targets.columns), network \(network.inputCount) → \(network.outputCount)")
        guard !network.layers.isEmpty else {
            return referenceTrain(&network, inputs: inputs, targets: targets, loss: loss, configuration: configuration,
                                  generator: &generator, onEpoch: onEpoch, shouldContinue: shouldContinue)
        }
        switch configuration.precision {
        case .float64:
            return inputs.storage.withUnsafeBufferPointer { x in
                targets.storage.withUnsafeBufferPointer { t in
                    runWorkspace(Double.self, &network, inputs: x.baseAddress!, targets: t.baseAddress!,
                                 fullInputs: inputs, fullTargets: targets, loss: loss, configuration: configuration,
                                 generator: &generator, counter: &counter, usesKernels: usesKernels,
                                 onEpoch: onEpoch, shouldContinue: shouldContinue)
                }
            }
        case .float32:
            let x = inputs.storage.map(Float.init)
            let t = targets.storage.map(Float.init)
            return x.withUnsafeBufferPointer { x in
                t.withUnsafeBufferPointer { t in
                    runWorkspace(Float.self, &network, inputs: x.baseAddress!, targets: t.baseAddress!,
                                 fullInputs: inputs, fullTargets: targets, loss: loss, configuration: configuration,
                                 generator: &generator, counter: &counter, usesKernels: usesKernels,
                                 onEpoch: onEpoch, shouldContinue: shouldContinue)
                }
            }
        }
    }

    /// The training loop in `Scalar`, over `inputs` and `targets` already in that type.
    private static func runWorkspace<Scalar: TrainingScalar>(
        _: Scalar.Type, _ network: inout Network, inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>,
        fullInputs: Matrix, fullTargets: Matrix, loss: Loss, configuration: TrainingConfiguration,
        generator: inout SeededGenerator, counter: inout WorkspaceCounter, usesKernels: Bool?,
        onEpoch: (EpochRecord) -> Void, shouldContinue: (Int) -> Bool
    ) -> TrainingReport {
        let sampleCount = fullInputs.rows
        let inputCount = fullInputs.columns
        let outputCount = fullTargets.columns
        let batchSize = min(configuration.batchSize ?? sampleCount, sampleCount)
        precondition(batchSize > 0, "batch size must be positive")
        let batchCount = (sampleCount + batchSize - 1) / batchSize

        let validation = configuration.validation.flatMap { $0.sampleCount > 0 ? $0 : nil }
        if let validation {
            precondition(validation.inputs.columns == inputCount && validation.targets.columns == outputCount,
                         "validation data is \(validation.inputs.columns) → \(validation.targets.columns), training data \(inputCount) → \(outputCount)")
        }
        let measuresAccuracy = configuration.measuresAccuracy && Metrics.isClassification(targets: fullTargets)
        let measuresValidationAccuracy = configuration.measuresAccuracy
            && validation.map { Metrics.isClassification(targets: $0.targets) } == true

        let workspace = TrainingWorkspace<Scalar>(network: network, maxRows: batchSize, usesKernels: usesKernels)
        // The validation samples in Scalar, converted once.
        let validationInputs = validation.map { $0.inputs.storage.map { Scalar($0) } } ?? []
        let validationTargets = validation.map { $0.targets.storage.map { Scalar($0) } } ?? []
        /// The loss (and right answers) of the workspace's parameters on the validation samples.
        func evaluateValidation(countsCorrect: Bool) -> (loss: Double, correct: Int)? {
            guard let validation else { return nil }
            return validationInputs.withUnsafeBufferPointer { x in
                validationTargets.withUnsafeBufferPointer { t in
                    workspace.measure(inputs: x.baseAddress!, targets: t.baseAddress!, sampleCount: validation.sampleCount,
                                       loss: loss, countsCorrect: countsCorrect)
                }
            }
        }
        let settings = configuration.optimizer
        /// Plain gradient descent folds its step into the backward pass.
        let isPlainDescent = settings.kind == .sgd && settings.weightDecay == 0 && settings.l1 == 0
        var beta1Power = 1.0
        var beta2Power = 1.0
        var scheduler = LearningRateScheduler(schedule: configuration.schedule, initialRate: configuration.learningRate)
        var watcher = configuration.earlyStopping.map(EarlyStoppingWatcher.init)
        let clock = ContinuousClock()
        let start = clock.now
        // One clock read per epoch: each epoch starts when the one before it was timed.
        var epochStart = start

        let hasDropout = network.hasDropout
        var order = configuration.shuffle ? Array(0..<sampleCount) : []
        var history: [EpochRecord] = []
        history.reserveCapacity(max(0, min(configuration.epochs, 100_000)))
        counter.buffersCreatedAfterEpoch.reserveCapacity(max(0, min(configuration.epochs, 100_000)))
        var stopReason = StopReason.completed
        /// Whether `network` already holds what training ended with (restored or best weights).
        var networkIsFinal = false
        epochs: for epoch in stride(from: 1, through: configuration.epochs, by: 1) {
            workspace.saveSnapshot()
            let rate = scheduler.rate
            if configuration.shuffle { generator.shuffle(&order) }
            var weightedLoss = 0.0
            var correct = 0
            for index in 0..<batchCount {
                guard shouldContinue(epoch) else {
                    if isPlainDescent && !workspace.parametersAreFinite {
                        workspace.restoreSnapshot()
                        stopReason = .diverged(epoch: epoch)
                    } else {
                        stopReason = .interrupted(epoch: epoch)
                    }
                    break epochs
                }
                let first = index * batchSize
                let rows = min(batchSize, sampleCount - first)
                let batch = configuration.shuffle
                    ? workspace.gather(order[first..<(first + rows)], inputs: inputs, targets: targets)
                    : (inputs: inputs + first * inputCount, targets: targets + first * outputCount)
                if hasDropout { workspace.drawMasks(rows: rows, generator: &generator) }
                workspace.forward(batch.inputs, rows: rows, usesMasks: hasDropout)
                let batchLoss = workspace.lossValue(loss, target: batch.targets, rows: rows)
                if measuresAccuracy { correct += workspace.correctCount(target: batch.targets, rows: rows) }
                guard batchLoss.isFinite else {
                    workspace.restoreSnapshot()
                    stopReason = .diverged(epoch: epoch)
                    break epochs
                }
                let stepped: Bool
                if isPlainDescent {
                    workspace.backward(batch.inputs, target: batch.targets, rows: rows, loss: loss,
                                       usesMasks: hasDropout, descentRate: Scalar(rate))
                    // Without dropout the check can wait for the end of the epoch: the epoch is
                    // undone either way, and nothing is drawn from the generator in between.
                    stepped = hasDropout ? workspace.parametersAreFinite : true
                } else {
                    workspace.backward(batch.inputs, target: batch.targets, rows: rows, loss: loss, usesMasks: hasDropout)
                    let rule = Optimizer.Rule<Scalar>(settings: settings, learningRate: rate,
                                              beta1Power: beta1Power * settings.beta1, beta2Power: beta2Power * settings.beta2)
                    stepped = workspace.step(rule)
                }
                guard stepped else {
                    workspace.restoreSnapshot()
                    stopReason = .diverged(epoch: epoch)
                    break epochs
                }
                beta1Power *= settings.beta1
                beta2Power *= settings.beta2
                weightedLoss += batchLoss * Double(rows)
            }

            if isPlainDescent && !workspace.parametersAreFinite {
                workspace.restoreSnapshot()
                stopReason = .diverged(epoch: epoch)
                break epochs
            }
            var record = EpochRecord(epoch: epoch, loss: weightedLoss / Double(sampleCount), learningRate: rate)
            if measuresAccuracy { record.accuracy = Double(correct) / Double(sampleCount) }
            if watcher != nil { workspace.store(into: &network) }
            if let validation, let measured = evaluateValidation(countsCorrect: measuresValidationAccuracy) {
                record.validationLoss = measured.loss
                if measuresValidationAccuracy {
                    record.validationAccuracy = Double(measured.correct) / Double(validation.sampleCount)
                }
            }
            let now = clock.now
            record.seconds = Self.seconds(now - start)
            let epochSeconds = Self.seconds(now - epochStart)
            epochStart = now
            record.samplesPerSecond = epochSeconds > 0 ? Double(sampleCount) / epochSeconds : nil
            history.append(record)
            counter.buffersCreatedAfterEpoch.append(workspace.buffersCreated)
            onEpoch(record)

            let monitoredLoss = record.validationLoss ?? record.loss
            scheduler.endEpoch(monitoredLoss: monitoredLoss)
            if let targetLoss = configuration.targetLoss, record.loss <= targetLoss {
                stopReason = .targetLossReached
                break epochs
            }
            if watcher?.shouldStop(epoch: epoch, monitoredLoss: monitoredLoss, network: network) == true, let watcher {
                if watcher.settings.restoreBest, let best = watcher.bestNetwork {
                    network = best
                    networkIsFinal = true
                }
                stopReason = .earlyStopping(bestEpoch: watcher.bestEpoch)
                break epochs
            }
        }
        if networkIsFinal { workspace.load(network) } else { workspace.store(into: &network) }
        let final = configuration.measuresFinalLoss
            ? workspace.measure(inputs: inputs, targets: targets, sampleCount: sampleCount,
                                 loss: loss, countsCorrect: measuresAccuracy)
            : nil
        return TrainingReport(epochsCompleted: history.count,
                              finalLoss: final?.loss,
                              finalAccuracy: measuresAccuracy ? final.map { Double($0.correct) / Double(sampleCount) } : nil,
                              finalValidationLoss: configuration.measuresFinalLoss
                                  ? evaluateValidation(countsCorrect: false)?.loss : nil,
                              history: history,
                              stopReason: stopReason)
    }
}
