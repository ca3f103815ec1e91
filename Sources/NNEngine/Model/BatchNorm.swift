/// Batch normalization of a layer's net input, as `torch.nn.BatchNorm1d(units, eps=1e-5,
/// momentum=0.1)` defines it: Y = γ x̂ + β with x̂ = (Z − μ)/√(σ² + ε), per unit.
///
/// In training (`train`, `step`, the gradients) μ and σ² are the batch's mean and biased
/// variance, and each step moves the running estimates toward them:
/// μ_run ← (1 − m) μ_run + m μ, σ²_run ← (1 − m) σ²_run + m σ² N/(N − 1) (the unbiased variance).
/// Everywhere else (`loss`, `predict`, pictures: PyTorch's `eval()`) the running estimates stand in.
public struct BatchNorm: Equatable, Sendable {
    /// ε added to the variance under the root: PyTorch's default.
    public static let epsilon = 1e-5
    /// m, the weight of each new batch in the running estimates: PyTorch's default.
    public static let momentum = 0.1

    /// γ: [units], trainable, 1 at the start.
    public var gamma: [Double]
    /// β: [units], trainable, 0 at the start.
    public var beta: [Double]
    /// μ_run: [units], not trained but estimated, 0 at the start.
    public var runningMean: [Double]
    /// σ²_run: [units], 1 at the start.
    public var runningVariance: [Double]
    /// How many training batches have updated the running estimates (PyTorch's `num_batches_tracked`).
    public var batchesTracked: Int

    /// A fresh normalization of `units` units: γ = 1, β = 0, μ_run = 0, σ²_run = 1.
    public init(units: Int) {
        gamma = Array(repeating: 1, count: units)
        beta = Array(repeating: 0, count: units)
        runningMean = Array(repeating: 0, count: units)
        runningVariance = Array(repeating: 1, count: units)
        batchesTracked = 0
    }

    public init(gamma: [Double], beta: [Double], runningMean: [Double], runningVariance: [Double], batchesTracked: Int) {
        precondition(gamma.count == beta.count && beta.count == runningMean.count && runningMean.count == runningVariance.count,
                     "batch normalization vectors of different lengths")
        self.gamma = gamma
        self.beta = beta
        self.runningMean = runningMean
        self.runningVariance = runningVariance
        self.batchesTracked = batchesTracked
    }

    public var units: Int { gamma.count }
    /// γ and β.
    public var parameterCount: Int { 2 * units }
    /// μ_run, σ²_run and the batch count: what PyTorch keeps as buffers.
    public var stateCount: Int { 2 * units + 1 }
}

// MARK: - The formulas, once, for both training paths

extension BatchNorm {
    /// The batch's mean μ and biased variance σ² = Σ(z − μ)²/N of each column of Z: [rows, columns].
    @inline(__always)
    static func statistics<Scalar: BinaryFloatingPoint>(
        _ z: UnsafePointer<Scalar>, rows: Int, columns: Int,
        mean: UnsafeMutablePointer<Scalar>, variance: UnsafeMutablePointer<Scalar>
    ) {
        let count = Scalar(rows)
        for c in 0..<columns {
            var sum: Scalar = 0
            for r in 0..<rows { sum += z[r * columns + c] }
            let mu = sum / count
            var squares: Scalar = 0
            for r in 0..<rows {
                let d = z[r * columns + c] - mu
                squares += d * d
            }
            mean[c] = mu
            variance[c] = squares / count
        }
    }

    /// x̂ = (z − μ)/√(σ² + ε) and Y = γ x̂ + β for Z: [rows, columns]; `inverseDeviation`
    /// receives 1/√(σ² + ε) per column for the backward pass.
    @inline(__always)
    static func normalize<Scalar: TrainingScalar>(
        _ z: UnsafePointer<Scalar>, rows: Int, columns: Int,
        mean: UnsafePointer<Scalar>, variance: UnsafePointer<Scalar>,
        gamma: UnsafePointer<Scalar>, beta: UnsafePointer<Scalar>,
        normalized: UnsafeMutablePointer<Scalar>, inverseDeviation: UnsafeMutablePointer<Scalar>,
        output: UnsafeMutablePointer<Scalar>
    ) {
        for c in 0..<columns { inverseDeviation[c] = 1 / (variance[c] + Scalar(epsilon)).squareRoot() }
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                let xHat = (z[i] - mean[c]) * inverseDeviation[c]
                normalized[i] = xHat
                output[i] = gamma[c] * xHat + beta[c]
            }
        }
    }

    /// The running estimates after a batch of `rows` rows with mean μ and biased variance σ²:
    /// μ_run ← (1 − m) μ_run + m μ, σ²_run ← (1 − m) σ²_run + m σ² N/(N − 1).
    /// A batch of one row has no unbiased variance (PyTorch refuses it); its σ² is taken as is.
    @inline(__always)
    static func updateRunning<Scalar: TrainingScalar>(
        mean runningMean: UnsafeMutablePointer<Scalar>, variance runningVariance: UnsafeMutablePointer<Scalar>,
        batchMean: UnsafePointer<Scalar>, batchVariance: UnsafePointer<Scalar>, rows: Int, columns: Int
    ) {
        let m = Scalar(momentum)
        let correction = rows > 1 ? Scalar(rows) / Scalar(rows - 1) : 1
        for c in 0..<columns {
            runningMean[c] = (1 - m) * runningMean[c] + m * batchMean[c]
            runningVariance[c] = (1 - m) * runningVariance[c] + m * batchVariance[c] * correction
        }
    }

    /// The backward pass, in place: `gradient` holds ∂L/∂Y on entry and ∂L/∂Z on return;
    /// ∂L/∂γ = Σ ∂L/∂Y ⊙ x̂ and ∂L/∂β = Σ ∂L/∂Y over the batch go to `gammaGradient` and `betaGradient`.
    ///
    /// With batch statistics μ and σ² depend on every row, so with g = γ ∂L/∂Y:
    /// ∂L/∂Z = (1/√(σ² + ε)) (g − mean(g) − x̂ mean(g x̂)), the means over the batch.
    /// With running statistics the normalization is a fixed affine map: ∂L/∂Z = g/√(σ²_run + ε).
    @inline(__always)
    static func backward<Scalar: TrainingScalar>(
        _ gradient: UnsafeMutablePointer<Scalar>, normalized: UnsafePointer<Scalar>,
        inverseDeviation: UnsafePointer<Scalar>, gamma: UnsafePointer<Scalar>, rows: Int, columns: Int,
        batchStatistics: Bool,
        gammaGradient: UnsafeMutablePointer<Scalar>, betaGradient: UnsafeMutablePointer<Scalar>
    ) {
        let count = Scalar(rows)
        for c in 0..<columns {
            var sumGradient: Scalar = 0
            var sumGradientTimesNormalized: Scalar = 0
            for r in 0..<rows {
                let i = r * columns + c
                sumGradient += gradient[i]
                sumGradientTimesNormalized += gradient[i] * normalized[i]
            }
            gammaGradient[c] = sumGradientTimesNormalized
            betaGradient[c] = sumGradient
            let g = gamma[c], scale = inverseDeviation[c]
            if batchStatistics {
                let meanG = g * sumGradient / count
                let meanGX = g * sumGradientTimesNormalized / count
                for r in 0..<rows {
                    let i = r * columns + c
                    gradient[i] = scale * (g * gradient[i] - meanG - normalized[i] * meanGX)
                }
            } else {
                for r in 0..<rows { gradient[r * columns + c] *= g * scale }
            }
        }
    }
}
