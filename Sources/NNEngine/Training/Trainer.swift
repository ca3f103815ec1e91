/// Training: one epoch loop (`runEpochs`) that drives a `BatchStepper`, the readable
/// `ReferenceStepper` or the fast `WorkspaceStepper`.
public enum Trainer {
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
    /// as soon as it is complete; `onEpochNetwork` gets it too, with a function that returns the
    /// network as it stands after that epoch (copied out of the fast path only when called, so a
    /// caller that draws the network every few epochs costs nothing in the others).
    ///
    /// If a step would make any parameter or the loss non-finite, training stops and the
    /// network is put back to where it was at the start of that epoch, so it matches
    /// `epochsCompleted` even when earlier batches of the epoch had already stepped.
    ///
    /// Runs on a `TrainingWorkspace` in `configuration.precision`; in `.float64` the results
    /// agree with `referenceTrain` to rounding.
    public static func train(_ network: inout Network, inputs: Matrix, targets: Matrix, loss: Loss,
                             configuration: TrainingConfiguration, generator: inout SeededGenerator,
                             onEpoch: (EpochRecord) -> Void = { _ in },
                             onEpochNetwork: (EpochRecord, () -> Network) -> Void = { _, _ in },
                             shouldContinue: (Int) -> Bool = { _ in true }) -> TrainingReport {
        var counter = WorkspaceCounter(isRecording: false)
        return train(&network, inputs: inputs, targets: targets, loss: loss, configuration: configuration,
                     generator: &generator, counter: &counter, onEpoch: onEpoch, onEpochNetwork: onEpochNetwork,
                     shouldContinue: shouldContinue)
    }

    /// Trains with a generator seeded with 0: the same as before shuffling and dropout existed
    /// when the configuration uses neither.
    public static func train(_ network: inout Network, inputs: Matrix, targets: Matrix, loss: Loss,
                             configuration: TrainingConfiguration,
                             shouldContinue: (Int) -> Bool = { _ in true }) -> TrainingReport {
        var generator = SeededGenerator(seed: 0)
        return train(&network, inputs: inputs, targets: targets, loss: loss, configuration: configuration,
                     generator: &generator, shouldContinue: shouldContinue)
    }

    /// `train` by the readable reference: the same epoch loop over `Network.gradients` and
    /// `Optimizer.step`, kept for the tests to hold `train` to.
    public static func referenceTrain(_ network: inout Network, inputs: Matrix, targets: Matrix, loss: Loss,
                                      configuration: TrainingConfiguration, generator: inout SeededGenerator,
                                      onEpoch: (EpochRecord) -> Void = { _ in },
                                      onEpochNetwork: (EpochRecord, () -> Network) -> Void = { _, _ in },
                                      shouldContinue: (Int) -> Bool = { _ in true }) -> TrainingReport {
        let validation = checkedValidation(inputs: inputs, targets: targets, configuration: configuration)
        var stepper = ReferenceStepper(network: network, inputs: inputs, targets: targets, validation: validation,
                                       loss: loss, optimizer: configuration.optimizer,
                                       sampleWeights: configuration.classWeights.map { ClassWeights.sampleWeights($0, targets: targets) })
            .withToolbox(of: configuration)
        return runEpochs(&stepper, network: &network, targets: targets, validation: validation,
                         configuration: configuration, generator: &generator, onEpoch: onEpoch, onEpochNetwork: onEpochNetwork,
                         shouldContinue: shouldContinue)
    }

    /// The validation data if there is any, checked against the training data's shape.
    static func checkedValidation(inputs: Matrix, targets: Matrix, configuration: TrainingConfiguration) -> DataSet? {
        precondition(inputs.rows == targets.rows, "\(inputs.rows) input rows but \(targets.rows) target rows")
        precondition(inputs.rows > 0, "training needs at least one sample")
        let validation = configuration.validation.flatMap { $0.sampleCount > 0 ? $0 : nil }
        if let validation {
            precondition(validation.inputs.columns == inputs.columns && validation.targets.columns == targets.columns,
                         "validation data is \(validation.inputs.columns) → \(validation.targets.columns), training data \(inputs.columns) → \(targets.columns)")
        }
        return validation
    }

    // MARK: - The epoch loop

    /// The one epoch loop: the schedule, the batches, interrupts, divergence, validation,
    /// timing, history, the target loss, early stopping and the final measurement, around
    /// `stepper`'s steps. `network` comes out holding the parameters training ended with.
    static func runEpochs<Stepper: BatchStepper>(
        _ stepper: inout Stepper, network: inout Network, targets: Matrix, validation: DataSet?,
        configuration: TrainingConfiguration, generator: inout SeededGenerator,
        onEpoch: (EpochRecord) -> Void, onEpochNetwork: (EpochRecord, () -> Network) -> Void = { _, _ in },
        shouldContinue: (Int) -> Bool
    ) -> TrainingReport {
        let sampleCount = targets.rows
        let batchSize = min(configuration.batchSize ?? sampleCount, sampleCount)
        precondition(batchSize > 0, "batch size must be positive")
        let batchCount = (sampleCount + batchSize - 1) / batchSize
        let measuresAccuracy = configuration.measuresAccuracy && Metrics.isClassification(targets: targets)
        let measuresValidationAccuracy = configuration.measuresAccuracy
            && validation.map { Metrics.isClassification(targets: $0.targets) } == true

        var scheduler = LearningRateScheduler(schedule: configuration.schedule, initialRate: configuration.learningRate,
                                              warmupEpochs: configuration.warmupEpochs)
        var watcher = configuration.earlyStopping.map(EarlyStoppingWatcher.init)
        let clock = ContinuousClock()
        let start = clock.now
        // One clock read per epoch: each epoch starts when the one before it was timed, so
        // the epochs' times add up to the last record's `seconds`.
        var epochStart = start

        var order = configuration.shuffle ? Array(0..<sampleCount) : []
        var history: [EpochRecord] = []
        history.reserveCapacity(max(0, min(configuration.epochs, 100_000)))
        var stopReason = StopReason.completed
        epochs: for epoch in stride(from: 1, through: configuration.epochs, by: 1) {
            stepper.beginEpoch()
            let rate = scheduler.rate
            if configuration.shuffle { generator.shuffle(&order) }
            var weightedLoss = 0.0
            var correct = 0
            for index in 0..<batchCount {
                guard shouldContinue(epoch) else {
                    if stepper.hasUncheckedDivergence {
                        stepper.revertEpoch()
                        stopReason = .diverged(epoch: epoch)
                    } else {
                        stopReason = .interrupted(epoch: epoch)
                    }
                    break epochs
                }
                let first = index * batchSize
                let rows = first..<min(first + batchSize, sampleCount)
                let batch: BatchRows = configuration.shuffle ? .gathered(order[rows]) : .slice(rows)
                guard let stepped = stepper.step(batch, learningRate: rate, countsCorrect: measuresAccuracy,
                                                 generator: &generator) else {
                    stepper.revertEpoch()
                    stopReason = .diverged(epoch: epoch)
                    break epochs
                }
                weightedLoss += stepped.loss * Double(rows.count)
                correct += stepped.correct
            }
            if stepper.hasUncheckedDivergence {
                stepper.revertEpoch()
                stopReason = .diverged(epoch: epoch)
                break epochs
            }

            var record = EpochRecord(epoch: epoch, loss: weightedLoss / Double(sampleCount), learningRate: rate)
            if measuresAccuracy { record.accuracy = Double(correct) / Double(sampleCount) }
            if let validation {
                let measured = stepper.measure(.validation, countsCorrect: measuresValidationAccuracy)
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
            onEpoch(record)
            onEpochNetwork(record) {
                stepper.store(into: &network)
                return network
            }

            let monitoredLoss = record.validationLoss ?? record.loss
            scheduler.endEpoch(monitoredLoss: monitoredLoss)
            if let targetLoss = configuration.targetLoss, record.loss <= targetLoss {
                stopReason = .targetLossReached
                break epochs
            }
            if watcher != nil { stepper.store(into: &network) }
            if watcher?.shouldStop(epoch: epoch, monitoredLoss: monitoredLoss, network: network) == true, let watcher {
                if watcher.settings.restoreBest, let best = watcher.bestNetwork { stepper.load(best) }
                stopReason = .earlyStopping(bestEpoch: watcher.bestEpoch)
                break epochs
            }
        }
        stepper.store(into: &network)
        let final = configuration.measuresFinalLoss ? stepper.measure(.training, countsCorrect: measuresAccuracy) : nil
        return TrainingReport(epochsCompleted: history.count,
                              finalLoss: final?.loss,
                              finalAccuracy: measuresAccuracy ? final.map { Double($0.correct) / Double(sampleCount) } : nil,
                              finalValidationLoss: configuration.measuresFinalLoss && validation != nil
                                  ? stepper.measure(.validation, countsCorrect: false).loss : nil,
                              history: history,
                              stopReason: stopReason)
    }

    /// A `Duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    /// Keras's EarlyStopping bookkeeping, one epoch at a time.
    struct EarlyStoppingWatcher {
        let settings: EarlyStopping
        private var best = Double.infinity
        private var wait = 0
        private(set) var bestEpoch = 0
        private(set) var bestNetwork: Network?

        init(settings: EarlyStopping) {
            self.settings = settings
        }

        /// Notes the end of `epoch` (1-based) and says whether training should stop.
        mutating func shouldStop(epoch: Int, monitoredLoss: Double, network: Network) -> Bool {
            if settings.restoreBest && bestNetwork == nil {
                bestNetwork = network  // Keras: until something improves, the first weights are the best
                bestEpoch = epoch
            }
            wait += 1
            if monitoredLoss + settings.minDelta < best {
                best = monitoredLoss
                bestEpoch = epoch
                if settings.restoreBest { bestNetwork = network }
                wait = 0
                return false
            }
            return wait >= settings.patience && epoch > 1
        }
    }
}
