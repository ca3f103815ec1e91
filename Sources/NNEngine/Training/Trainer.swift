/// Stop training when the monitored loss stops improving, as Keras's `EarlyStopping(mode='min')` does.
///
/// The monitored loss is the validation loss if there is validation data, else the
/// training loss of the epoch. An epoch improves when its loss + `minDelta` < the best so
/// far; training stops after an epoch once `patience` epochs in a row have not improved
/// (never after the first). With `restoreBest` the network then goes back to its weights at
/// the end of the best epoch; like Keras, only when early stopping is what ended training.
public struct EarlyStopping: Equatable, Sendable {
    public var patience: Int
    public var minDelta: Double
    public var restoreBest: Bool

    /// Keras's defaults: min_delta 0, restore_best_weights False.
    public init(patience: Int, minDelta: Double = 0, restoreBest: Bool = false) {
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBest = restoreBest
    }
}

/// How long and how to train.
public struct TrainingConfiguration: Equatable, Sendable {
    public var epochs: Int
    /// η₀, the rate of the first epoch; the schedule decides the others.
    public var learningRate: Double
    /// Samples per gradient step; nil means the whole data set in one batch.
    public var batchSize: Int?
    /// Whether to visit the samples in a fresh random order each epoch (a Fisher–Yates
    /// permutation drawn from the training generator) instead of in row order.
    public var shuffle: Bool
    public var optimizer: OptimizerSettings
    public var schedule: LearningRateSchedule
    /// Stop after the first epoch whose training loss (`EpochRecord.loss`) is at most this.
    public var targetLoss: Double?
    public var earlyStopping: EarlyStopping?
    /// Samples the network does not train on, measured after every epoch.
    public var validation: DataSet?
    /// Whether to report accuracy; it is only reported for targets that look like classes
    /// (`Metrics.isClassification`), so regression gets nil.
    public var measuresAccuracy: Bool
    /// The number type training computes in. The network keeps `Double` parameters either
    /// way: `.float32` converts them in once per `train` call and back out when it ends.
    public var precision: Precision
    /// Whether to end with a pass over all the data for `TrainingReport`'s final loss,
    /// accuracy and validation loss. Without it (when nothing will show them) they are nil,
    /// and a large data set trains one full forward pass sooner.
    public var measuresFinalLoss = true

    public init(epochs: Int, learningRate: Double, batchSize: Int? = nil, shuffle: Bool = false,
                optimizer: OptimizerSettings = OptimizerSettings(kind: .sgd), schedule: LearningRateSchedule = .constant,
                targetLoss: Double? = nil, earlyStopping: EarlyStopping? = nil, validation: DataSet? = nil,
                measuresAccuracy: Bool = false, precision: Precision = .float64) {
        self.epochs = epochs
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.optimizer = optimizer
        self.schedule = schedule
        self.targetLoss = targetLoss
        self.earlyStopping = earlyStopping
        self.validation = validation
        self.measuresAccuracy = measuresAccuracy
        self.precision = precision
    }
}

/// The number type training computes in, named as the language's `set dtype` names it.
public enum Precision: String, CaseIterable, Equatable, Sendable {
    /// `Double`, the default: results agree with the reference implementation to about 1e-12.
    case float64
    /// `Float`: faster for large layers (through OpenBLAS; the AVX-512 kernels are float64
    /// only), results agree to about 1e-5.
    case float32
}

/// What one epoch of training measured.
public struct EpochRecord: Equatable, Sendable {
    /// 1-based.
    public var epoch: Int
    /// The mean of the batch losses weighted by batch size, each taken as the batch was
    /// trained on (with dropout, before its step), as Keras reports it.
    public var loss: Double
    /// The loss on the validation data after the epoch, or nil without validation data.
    public var validationLoss: Double?
    /// The fraction of training samples classified right as their batches were trained on, or nil.
    public var accuracy: Double?
    /// The fraction of validation samples classified right after the epoch, or nil.
    public var validationAccuracy: Double?
    /// The rate the epoch's steps used.
    public var learningRate: Double
    /// Wall time since training began, at the end of this epoch.
    public var seconds: Double
    /// Training samples per second of this epoch's wall time, or nil if the clock did not move.
    public var samplesPerSecond: Double?

    public init(epoch: Int, loss: Double, validationLoss: Double? = nil, accuracy: Double? = nil,
                validationAccuracy: Double? = nil, learningRate: Double, seconds: Double = 0, samplesPerSecond: Double? = nil) {
        self.epoch = epoch
        self.loss = loss
        self.validationLoss = validationLoss
        self.accuracy = accuracy
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
    }
}

/// Why training ended. Epochs are 1-based.
public enum StopReason: Equatable, Sendable {
    /// Every epoch asked for ran.
    case completed
    /// An epoch's training loss reached `targetLoss`.
    case targetLossReached
    /// The monitored loss stopped improving; `bestEpoch` is the epoch with the best one (0 if none was finite).
    case earlyStopping(bestEpoch: Int)
    /// A step would have made a parameter or the loss non-finite in this epoch; the network
    /// holds the parameters it had at the end of the epoch before.
    case diverged(epoch: Int)
    /// `shouldContinue` said stop during this epoch; the network holds the parameters after
    /// the last whole batch, never half a step.
    case interrupted(epoch: Int)
}

/// What happened during training.
public struct TrainingReport: Equatable, Sendable {
    /// Epochs run to the end; fewer than asked if training stopped early.
    public var epochsCompleted: Int
    /// The loss on the whole training data with the parameters training ended with (after
    /// any restoring of the best ones); after a divergence it may be infinite even though
    /// every parameter is finite. Nil when the configuration did not measure final losses.
    public var finalLoss: Double?
    /// The share of the training samples classified right with those parameters, measured in
    /// the same pass as `finalLoss`; nil unless the configuration measures accuracy and final
    /// losses and the targets are classes.
    public var finalAccuracy: Double?
    /// The loss on the validation data with those parameters, or nil without validation data
    /// or final losses.
    public var finalValidationLoss: Double?
    /// One record per completed epoch.
    public var history: [EpochRecord]
    public var stopReason: StopReason

    public init(epochsCompleted: Int, finalLoss: Double?, finalAccuracy: Double? = nil, finalValidationLoss: Double? = nil,
                history: [EpochRecord] = [], stopReason: StopReason = .completed) {
        self.epochsCompleted = epochsCompleted
        self.finalLoss = finalLoss
        self.finalAccuracy = finalAccuracy
        self.finalValidationLoss = finalValidationLoss
        self.history = history
        self.stopReason = stopReason
    }

    /// The 1-based epoch in which a non-finite value appeared, or nil if none did.
    public var divergedAtEpoch: Int? {
        if case .diverged(let epoch) = stopReason { epoch } else { nil }
    }

    /// The 1-based epoch during which `shouldContinue` said stop, or nil if it never did.
    public var interruptedAtEpoch: Int? {
        if case .interrupted(let epoch) = stopReason { epoch } else { nil }
    }
}

/// Training loops.
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
    /// as soon as it is complete.
    ///
    /// If a step would make any parameter or the loss non-finite, training stops and the
    /// network is put back to where it was at the start of that epoch, so it matches
    /// `epochsCompleted` even when earlier batches of the epoch had already stepped.
    ///
    /// This is the straightforward loop over `Network.gradients` and `Optimizer.step`, kept
    /// as the reference `train` is tested against; `train` gives the same results faster.
    public static func referenceTrain(_ network: inout Network, inputs: Matrix, targets: Matrix, loss: Loss,
                             configuration: TrainingConfiguration, generator: inout SeededGenerator,
                             onEpoch: (EpochRecord) -> Void = { _ in },
                             shouldContinue: (Int) -> Bool = { _ in true }) -> TrainingReport {
        precondition(inputs.rows == targets.rows, "\(inputs.rows) input rows but \(targets.rows) target rows")
        precondition(inputs.rows > 0, "training needs at least one sample")
        let sampleCount = inputs.rows
        let batchSize = min(configuration.batchSize ?? sampleCount, sampleCount)
        precondition(batchSize > 0, "batch size must be positive")
        let batchRanges = stride(from: 0, to: sampleCount, by: batchSize).map { $0..<min($0 + batchSize, sampleCount) }
        var batches = Batches(inputs: inputs, targets: targets, ranges: batchRanges, shuffled: configuration.shuffle)

        let validation = configuration.validation.flatMap { $0.sampleCount > 0 ? $0 : nil }
        if let validation {
            precondition(validation.inputs.columns == inputs.columns && validation.targets.columns == targets.columns,
                         "validation data is \(validation.inputs.columns) → \(validation.targets.columns), training data \(inputs.columns) → \(targets.columns)")
        }
        let measuresAccuracy = configuration.measuresAccuracy && Metrics.isClassification(targets: targets)
        let measuresValidationAccuracy = configuration.measuresAccuracy
            && validation.map { Metrics.isClassification(targets: $0.targets) } == true

        var optimizer = Optimizer(settings: configuration.optimizer, for: network)
        var scheduler = LearningRateScheduler(schedule: configuration.schedule, initialRate: configuration.learningRate)
        var watcher = configuration.earlyStopping.map(EarlyStoppingWatcher.init)
        let clock = ContinuousClock()
        let start = clock.now

        let hasDropout = network.hasDropout
        let noMasks = [Matrix?](repeating: nil, count: network.layers.count)
        var history: [EpochRecord] = []
        history.reserveCapacity(max(0, min(configuration.epochs, 100_000)))
        var stopReason = StopReason.completed
        epochs: for epoch in stride(from: 1, through: configuration.epochs, by: 1) {
            let epochStart = clock.now
            let startOfEpoch = network
            let rate = scheduler.rate
            if configuration.shuffle { batches.shuffle(generator: &generator) }
            var weightedLoss = 0.0
            var correct = 0
            for index in batchRanges.indices {
                guard shouldContinue(epoch) else {
                    stopReason = .interrupted(epoch: epoch)
                    break epochs
                }
                let batch = batches.batch(index)
                let masks = hasDropout ? network.dropoutMasks(rows: batch.inputs.rows, generator: &generator) : noMasks
                let pass = network.forward(batch.inputs, dropoutMasks: masks)
                let gradients = network.gradients(of: pass, target: batch.targets, loss: loss)
                if measuresAccuracy { correct += Metrics.correctCount(outputs: pass.output, targets: batch.targets) }
                guard optimizer.step(&network, gradients: gradients, learningRate: rate) else {
                    network = startOfEpoch
                    stopReason = .diverged(epoch: epoch)
                    break epochs
                }
                weightedLoss += gradients.loss * Double(batch.inputs.rows)
            }

            var record = EpochRecord(epoch: epoch, loss: weightedLoss / Double(sampleCount), learningRate: rate)
            if measuresAccuracy { record.accuracy = Double(correct) / Double(sampleCount) }
            if let validation {
                let outputs = network.predict(validation.inputs)
                record.validationLoss = loss.value(output: outputs, target: validation.targets)
                if measuresValidationAccuracy {
                    record.validationAccuracy = Metrics.accuracy(outputs: outputs, targets: validation.targets)
                }
            }
            let now = clock.now
            record.seconds = Self.seconds(now - start)
            let epochSeconds = Self.seconds(now - epochStart)
            record.samplesPerSecond = epochSeconds > 0 ? Double(sampleCount) / epochSeconds : nil
            history.append(record)
            onEpoch(record)

            let monitoredLoss = record.validationLoss ?? record.loss
            scheduler.endEpoch(monitoredLoss: monitoredLoss)
            if let targetLoss = configuration.targetLoss, record.loss <= targetLoss {
                stopReason = .targetLossReached
                break epochs
            }
            if watcher?.shouldStop(epoch: epoch, monitoredLoss: monitoredLoss, network: network) == true, let watcher {
                if watcher.settings.restoreBest, let best = watcher.bestNetwork { network = best }
                stopReason = .earlyStopping(bestEpoch: watcher.bestEpoch)
                break epochs
            }
        }
        let outputs = configuration.measuresFinalLoss ? network.predict(inputs) : nil
        return TrainingReport(epochsCompleted: history.count,
                              finalLoss: outputs.map { loss.value(output: $0, target: targets) },
                              finalAccuracy: measuresAccuracy ? outputs.map { Metrics.accuracy(outputs: $0, targets: targets) } : nil,
                              finalValidationLoss: configuration.measuresFinalLoss
                                  ? validation.map { network.loss(input: $0.inputs, target: $0.targets, loss: loss) } : nil,
                              history: history,
                              stopReason: stopReason)
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

    /// A `Duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}

// MARK: - Batches

extension Trainer {
    /// The mini-batches of one data set: fixed slices cut once in row order, or, when
    /// shuffled, rows gathered by a permutation into buffers reused from batch to batch.
    struct Batches {
        let inputs: Matrix
        let targets: Matrix
        let ranges: [Range<Int>]
        let shuffled: Bool
        /// The sample order, a permutation of 0..<samples; the identity until shuffled.
        private(set) var order: [Int]
        private var fixed: [(inputs: Matrix, targets: Matrix)]
        /// Gathering buffers for the full batch size and, if the last batch is smaller, for it.
        private var full: (inputs: Matrix, targets: Matrix)
        private var last: (inputs: Matrix, targets: Matrix)

        init(inputs: Matrix, targets: Matrix, ranges: [Range<Int>], shuffled: Bool) {
            self.inputs = inputs
            self.targets = targets
            self.ranges = ranges
            self.shuffled = shuffled
            order = Array(0..<inputs.rows)
            fixed = shuffled ? [] : ranges.map { (inputs.rows($0), targets.rows($0)) }
            let fullSize = shuffled ? (ranges.first?.count ?? 0) : 0
            let lastSize = shuffled ? (ranges.last?.count ?? 0) : 0
            full = (Matrix(rows: fullSize, columns: inputs.columns), Matrix(rows: fullSize, columns: targets.columns))
            last = (Matrix(rows: lastSize, columns: inputs.columns), Matrix(rows: lastSize, columns: targets.columns))
        }

        /// A fresh order: the previous one shuffled by Fisher–Yates.
        mutating func shuffle(generator: inout SeededGenerator) {
            generator.shuffle(&order)
        }

        /// The inputs and targets of batch `index`.
        mutating func batch(_ index: Int) -> (inputs: Matrix, targets: Matrix) {
            guard shuffled else { return fixed[index] }
            let range = ranges[index]
            if range.count == full.inputs.rows {
                Self.gather(order[range], from: inputs, into: &full.inputs)
                Self.gather(order[range], from: targets, into: &full.targets)
                return full
            }
            Self.gather(order[range], from: inputs, into: &last.inputs)
            Self.gather(order[range], from: targets, into: &last.targets)
            return last
        }

        /// Copies the rows of `source` at `indices` into `destination`, row after row.
        private static func gather(_ indices: ArraySlice<Int>, from source: Matrix, into destination: inout Matrix) {
            precondition(destination.rows == indices.count && destination.columns == source.columns, "gather buffer shape")
            let columns = source.columns
            source.storage.withUnsafeBufferPointer { from in
                destination.storage.withUnsafeMutableBufferPointer { to in
                    for (row, index) in indices.enumerated() {
                        for column in 0..<columns {
                            to[row * columns + column] = from[index * columns + column]
                        }
                    }
                }
            }
        }
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
