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
    /// A weight per class (in the order of the target's classes) that multiplies each
    /// training sample's loss term, as Keras's `class_weight`; nil weighs every sample 1.
    /// The epoch losses and the final loss are weighted too; the validation loss is not.
    public var classWeights: [Double]?
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
    /// Epochs of linear warm-up before the schedule, as `SequentialLR([LinearLR(start_factor=1/3,
    /// total_iters=warmupEpochs), schedule], milestones=[warmupEpochs])`; 0 for none.
    public var warmupEpochs = 0
    /// The greatest global norm of the gradient, as `clip_grad_norm_(parameters, maxNorm)`
    /// between the backward pass and the step; nil for no clipping. See `GradientClipping`.
    public var clipNorm: Double?
    /// The layers (from 0) whose parameters training leaves as they are.
    public var frozenLayers: Set<Int> = []
    /// What is done to each batch's inputs before the forward pass; nil for nothing.
    public var augmentation: InputAugmentation?

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
    /// `Float`: faster for large layers (the AVX-512 kernels have float32 versions), results
    /// agree to about 1e-5.
    case float32
}

