extension Trainer {
    /// The bytes `train` allocates for one run of `network` on `sampleCount` samples, before it
    /// starts: the workspace's parameter-sized buffers (parameters, gradients, a snapshot, the
    /// optimizer's two states), its per-layer buffers of one batch (Z, φ(Z), δ, and with
    /// dropout φ(Z) before it and the mask, and with batch normalization its buffers), the
    /// gathered rows of a batch (shuffled, or converted to float32: float32 keeps no copy of the
    /// data) and L-BFGS's history. Saturates instead of overflowing, so a caller compares it with
    /// a budget before anything is made.
    public static func workspaceBytes(network: Network, sampleCount: Int, configuration: TrainingConfiguration) -> Int {
        let rows = max(1, min(configuration.batchSize ?? sampleCount, sampleCount))
        let scalarSize = configuration.precision == .float32 ? MemoryLayout<Float>.size : MemoryLayout<Double>.size
        var numbers = Saturating(network.parameterCount) * 5
        for layer in network.layers {
            numbers = numbers + Saturating(rows) * layer.units * (layer.dropout > 0 ? 5 : 3)
            if layer.batchNorm != nil {
                // Z before the normalization and x̂ per row; μ, σ², 1/√(σ² + ε), the running estimates and their snapshot per unit.
                numbers = numbers + Saturating(rows) * layer.units * 2 + Saturating(layer.units) * 7
            }
        }
        numbers = numbers + Saturating(rows) * (network.inputCount + network.outputCount + 1)
        var bytes = numbers * scalarSize
        if configuration.optimizer.kind == .lbfgs {
            // L-BFGS's history (s and y per pair) and about eight more vectors, in Double.
            bytes = bytes + Saturating(network.parameterCount) * (2 * configuration.optimizer.historySize + 8) * MemoryLayout<Double>.size
        }
        return bytes.value
    }
}

/// A count that stops at `Int.max` instead of overflowing.
private struct Saturating {
    var value: Int
    init(_ value: Int) { self.value = value }

    static func * (left: Saturating, right: Int) -> Saturating {
        let product = left.value.multipliedReportingOverflow(by: right)
        return Saturating(product.overflow ? Int.max : product.partialValue)
    }

    static func + (left: Saturating, right: Saturating) -> Saturating {
        let sum = left.value.addingReportingOverflow(right.value)
        return Saturating(sum.overflow ? Int.max : sum.partialValue)
    }
}
