import NNEngine

/// The one condition batch normalization puts on training: PyTorch's BatchNorm1d refuses a
/// training batch of one sample ("Expected more than 1 value per channel when training"),
/// whose variance is 0 and whose unbiased variance does not exist; nn refuses it before training.
enum BatchNormBatches {
    /// Throws unless every batch of `sampleCount` samples in batches of `batchSize` (nil: all
    /// at once) has at least two samples, when `network` has batch normalization.
    static func check(_ network: Network, sampleCount: Int, batchSize: Int?, command: String,
                      span: SourceSpan) throws(Diagnostic) {
        guard network.hasBatchNorm else { return }
        let size = min(batchSize ?? sampleCount, sampleCount)
        if sampleCount < 2 {
            throw Diagnostic(.batchNormNeedsTwoSamples(command: command, detail: "the data has 1 sample"), at: span)
        }
        if size < 2 {
            throw Diagnostic(.batchNormNeedsTwoSamples(command: command, detail: "batch=1"), at: span)
        }
        if sampleCount % size == 1 {
            throw Diagnostic(.batchNormNeedsTwoSamples(
                command: command,
                detail: "\(sampleCount) samples in batches of \(size) leave 1 in the last; choose another batch="), at: span)
        }
    }
}
