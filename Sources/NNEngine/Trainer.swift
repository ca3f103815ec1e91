/// How long and how fast to train.
public struct TrainingConfiguration: Equatable, Sendable {
    public var epochs: Int
    public var learningRate: Double
    /// Samples per gradient step; nil means the whole data set in one batch.
    public var batchSize: Int?

    public init(epochs: Int, learningRate: Double, batchSize: Int? = nil) {
        self.epochs = epochs
        self.learningRate = learningRate
        self.batchSize = batchSize
    }
}

/// What happened during training.
public struct TrainingReport: Equatable, Sendable {
    /// Epochs run to the end; fewer than asked if training diverged or was stopped.
    public var epochsCompleted: Int
    /// The loss on the whole data set with the parameters training ended with; after a
    /// divergence it may be infinite even though every parameter is finite.
    public var finalLoss: Double
    /// The 1-based epoch in which a non-finite value appeared, or nil if none did.
    /// The network then holds the parameters it had at the end of the epoch before.
    public var divergedAtEpoch: Int?
    /// The 1-based epoch during which `shouldContinue` said stop, or nil if it never did.
    /// The network then holds the parameters after the last whole batch: never half a step.
    public var interruptedAtEpoch: Int?

    public init(epochsCompleted: Int, finalLoss: Double, divergedAtEpoch: Int? = nil, interruptedAtEpoch: Int? = nil) {
        self.epochsCompleted = epochsCompleted
        self.finalLoss = finalLoss
        self.divergedAtEpoch = divergedAtEpoch
        self.interruptedAtEpoch = interruptedAtEpoch
    }
}

/// Training loops.
public enum Trainer {
    /// Trains `network` by mini-batch gradient descent.
    ///
    /// Inputs: [samples, inputs], targets: [samples, outputs]. Each epoch walks the
    /// batches in order (rows 0..<b, b..<2b, …; the last may be smaller), taking one
    /// gradient step per batch. `shouldContinue(epoch)` is asked before each batch, so a
    /// caller can stop training (on Ctrl-C, say) at the end of the current batch.
    ///
    /// If a step would make any parameter or the loss non-finite, training stops and the
    /// network is put back to where it was at the start of that epoch, so it matches
    /// `epochsCompleted` even when earlier batches of the epoch had already stepped.
    public static func train(_ network: inout Network, inputs: Matrix, targets: Matrix, loss: Loss,
                             configuration: TrainingConfiguration,
                             shouldContinue: (Int) -> Bool = { _ in true }) -> TrainingReport {
        precondition(inputs.rows == targets.rows, "\(inputs.rows) input rows but \(targets.rows) target rows")
        precondition(inputs.rows > 0, "training needs at least one sample")
        let batchSize = min(configuration.batchSize ?? inputs.rows, inputs.rows)
        precondition(batchSize > 0, "batch size must be positive")
        let optimizer = GradientDescent(learningRate: configuration.learningRate)
        let batches = stride(from: 0, to: inputs.rows, by: batchSize).map { start in
            let range = start..<min(start + batchSize, inputs.rows)
            return (inputs: inputs.rows(range), targets: targets.rows(range))
        }

        var epochsCompleted = 0
        var divergedAtEpoch: Int?
        var interruptedAtEpoch: Int?
        epochs: for epoch in stride(from: 1, through: configuration.epochs, by: 1) {
            let startOfEpoch = network
            for batch in batches {
                guard shouldContinue(epoch) else {
                    interruptedAtEpoch = epoch
                    break epochs
                }
                let gradients = network.gradients(input: batch.inputs, target: batch.targets, loss: loss)
                if !optimizer.step(&network, gradients: gradients) {
                    network = startOfEpoch
                    divergedAtEpoch = epoch
                    break epochs
                }
            }
            epochsCompleted = epoch
        }
        return TrainingReport(epochsCompleted: epochsCompleted,
                              finalLoss: network.loss(input: inputs, target: targets, loss: loss),
                              divergedAtEpoch: divergedAtEpoch,
                              interruptedAtEpoch: interruptedAtEpoch)
    }
}
