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
