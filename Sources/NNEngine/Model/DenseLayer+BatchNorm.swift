/// A layer with batch normalization on matrices: the readable path around `BatchNorm`'s formulas.
extension DenseLayer {
    /// Whether the layer normalizes its net input.
    public var hasBatchNorm: Bool { batchNorm != nil }

    /// X: [batch, in] -> the activation's input, A = φ(it), and with batch normalization the
    /// values it kept: Z = X Wᵀ + b, then Y = γ x̂ + β from the batch's statistics
    /// (`batchStatistics`, training) or the running ones (inference).
    public func forward(_ input: Matrix, batchStatistics: Bool) -> (net: Matrix, output: Matrix, normalization: BatchNormValues?) {
        precondition(input.columns == inputCount, "layer expects \(inputCount) inputs, got \(input.columns)")
        let linear = Matrix.product(input, weights, transposeB: true).addingRowVector(biases)
        guard let batchNorm else { return (linear, activation.apply(linear), nil) }
        let values = BatchNormValues(linear: linear, batchNorm: batchNorm, batchStatistics: batchStatistics)
        return (values.output, activation.apply(values.output), values)
    }
}

/// What a batch-normalized layer's forward pass keeps for the backward pass, all [batch, units]
/// or [units].
public struct BatchNormValues: Equatable, Sendable {
    /// Z = X Wᵀ + b, before normalization.
    public var linear: Matrix
    /// μ and σ² used: the batch's (biased) or the running ones.
    public var mean: [Double]
    public var variance: [Double]
    /// 1/√(σ² + ε).
    public var inverseDeviation: [Double]
    /// x̂ = (Z − μ)/√(σ² + ε).
    public var normalized: Matrix
    /// Y = γ x̂ + β, the activation's input.
    public var output: Matrix
    /// Whether μ and σ² are the batch's (training) rather than the running estimates.
    public var usesBatchStatistics: Bool

    /// Normalizes `linear` by `batchNorm`'s γ and β with the batch's statistics or the running ones.
    public init(linear: Matrix, batchNorm: BatchNorm, batchStatistics: Bool) {
        let (rows, columns) = (linear.rows, linear.columns)
        precondition(columns == batchNorm.units, "\(columns) units normalized by \(batchNorm.units)")
        var mean = batchNorm.runningMean
        var variance = batchNorm.runningVariance
        if batchStatistics && rows > 0 {
            linear.storage.withUnsafeBufferPointer { z in
                mean.withUnsafeMutableBufferPointer { m in
                    variance.withUnsafeMutableBufferPointer { v in
                        BatchNorm.statistics(z.baseAddress!, rows: rows, columns: columns, mean: m.baseAddress!, variance: v.baseAddress!)
                    }
                }
            }
        }
        var inverseDeviation = [Double](repeating: 0, count: columns)
        var normalized = Matrix(rows: rows, columns: columns)
        var output = Matrix(rows: rows, columns: columns)
        if rows > 0 {
            linear.storage.withUnsafeBufferPointer { z in
                batchNorm.gamma.withUnsafeBufferPointer { g in
                    batchNorm.beta.withUnsafeBufferPointer { b in
                        normalized.storage.withUnsafeMutableBufferPointer { x in
                            output.storage.withUnsafeMutableBufferPointer { y in
                                inverseDeviation.withUnsafeMutableBufferPointer { s in
                                    BatchNorm.normalize(z.baseAddress!, rows: rows, columns: columns, mean: mean, variance: variance,
                                                        gamma: g.baseAddress!, beta: b.baseAddress!, normalized: x.baseAddress!,
                                                        inverseDeviation: s.baseAddress!, output: y.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        self.linear = linear
        self.mean = mean
        self.variance = variance
        self.inverseDeviation = inverseDeviation
        self.normalized = normalized
        self.output = output
        usesBatchStatistics = batchStatistics
    }

    /// ∂L/∂Y -> (∂L/∂Z, ∂L/∂γ, ∂L/∂β) by `BatchNorm.backward`.
    public func backward(_ outputGradient: Matrix, gamma: [Double]) -> (linear: Matrix, gamma: [Double], beta: [Double]) {
        var gradient = outputGradient
        var gammaGradient = [Double](repeating: 0, count: gamma.count)
        var betaGradient = [Double](repeating: 0, count: gamma.count)
        let (rows, columns) = (gradient.rows, gradient.columns)
        guard rows > 0 else { return (gradient, gammaGradient, betaGradient) }
        gradient.storage.withUnsafeMutableBufferPointer { d in
            normalized.storage.withUnsafeBufferPointer { x in
                gammaGradient.withUnsafeMutableBufferPointer { dg in
                    betaGradient.withUnsafeMutableBufferPointer { db in
                        BatchNorm.backward(d.baseAddress!, normalized: x.baseAddress!, inverseDeviation: inverseDeviation,
                                           gamma: gamma, rows: rows, columns: columns, batchStatistics: usesBatchStatistics,
                                           gammaGradient: dg.baseAddress!, betaGradient: db.baseAddress!)
                    }
                }
            }
        }
        return (gradient, gammaGradient, betaGradient)
    }
}

extension Network {
    /// Whether any layer normalizes its net input.
    public var hasBatchNorm: Bool {
        layers.contains { $0.batchNorm != nil }
    }

    /// Moves each batch-normalized layer's running estimates toward the batch statistics of
    /// `pass`, a training forward pass, and counts the batch, as one PyTorch training step does.
    public mutating func updateRunningStatistics(from pass: ForwardPass) {
        for index in layers.indices {
            guard var batchNorm = layers[index].batchNorm, let values = pass.layers[index].normalization,
                  values.usesBatchStatistics else { continue }
            let units = batchNorm.units
            batchNorm.runningMean.withUnsafeMutableBufferPointer { m in
                batchNorm.runningVariance.withUnsafeMutableBufferPointer { v in
                    BatchNorm.updateRunning(mean: m.baseAddress!, variance: v.baseAddress!, batchMean: values.mean,
                                            batchVariance: values.variance, rows: values.linear.rows, columns: units)
                }
            }
            batchNorm.batchesTracked += 1
            layers[index].batchNorm = batchNorm
        }
    }
}
