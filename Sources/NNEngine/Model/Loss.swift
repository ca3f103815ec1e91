import Foundation

/// How far a network's outputs are from their targets, averaged over the samples of a batch.
///
/// Outputs and targets are [batch, outputs] matrices: N rows of K values. Each case's
/// term and its derivative sit side by side in `term(output:target:)` and
/// `termDerivative(output:target:)`, the only place the formulas are written.
public enum Loss: Equatable, Sendable {
    /// (1/N) Σₙ ½ Σₖ (t − o)²: the textbook E_total, exactly ½ Σ (t − o)² for one sample.
    case sse
    /// The mean over samples and outputs of (t − o)².
    case mse
    /// (1/N) Σₙ −Σₖ t log p, for probability outputs (softmax) and targets.
    case crossEntropy
    /// The mean over samples and outputs of −[t log p + (1 − t) log(1 − p)].
    case binaryCrossEntropy
    /// The mean of ½r² where |r| ≤ δ and δ(|r| − ½δ) beyond, with r = o − t.
    case huber(delta: Double)
    /// The mean of δ²(√(1 + (r/δ)²) − 1), a smooth Huber, with r = o − t.
    case pseudoHuber(delta: Double)

    // MARK: - Names

    /// The name the language uses for this loss.
    public var name: String {
        switch self {
        case .sse: "sse"
        case .mse: "mse"
        case .crossEntropy: "cross_entropy"
        case .binaryCrossEntropy: "binary_cross_entropy"
        case .huber: "huber"
        case .pseudoHuber: "pseudo_huber"
        }
    }

    /// Every loss name, in the order the language lists them.
    public static let names: [String] = [
        "sse", "mse", "cross_entropy", "binary_cross_entropy", "huber", "pseudo_huber",
    ]

    /// The δ of `huber` and `pseudo_huber` unless told otherwise.
    public static let defaultDelta = 1.0

    /// The loss called `name`, or nil if there is none or `delta` is not a finite positive number.
    ///
    /// `delta` only means something to `huber` and `pseudo_huber` (default 1); the others
    /// ignore it. Use `takesDelta(name:)` to reject it where it does not belong.
    public init?(name: String, delta: Double? = nil) {
        if let delta, !(delta.isFinite && delta > 0) { return nil }
        switch name {
        case "sse": self = .sse
        case "mse": self = .mse
        case "cross_entropy": self = .crossEntropy
        case "binary_cross_entropy": self = .binaryCrossEntropy
        case "huber": self = .huber(delta: delta ?? Self.defaultDelta)
        case "pseudo_huber": self = .pseudoHuber(delta: delta ?? Self.defaultDelta)
        default: return nil
        }
    }

    /// Whether the loss called `name` has a `delta` parameter.
    public static func takesDelta(name: String) -> Bool {
        name == "huber" || name == "pseudo_huber"
    }

    /// The `delta` parameter, or nil for losses without one.
    public var delta: Double? {
        switch self {
        case .huber(let delta), .pseudoHuber(let delta): delta
        default: nil
        }
    }

    // MARK: - Guarding logarithms

    /// How close to 0 or 1 a probability may come before the cross-entropies clamp it.
    ///
    /// 1e-15 keeps log p ≥ −34.5 and 1/p ≤ 1e15, so p = 0 or p = 1 never gives NaN or
    /// infinity, while any probability a network can usefully output is left unchanged.
    public static let probabilityEpsilon = 1e-15

    /// `p` moved into [ε, 1 − ε], with ε = `probabilityEpsilon`, or for `Float` its ulp of
    /// one, so that 1 − ε stays below 1.
    @inline(__always)
    static func clampProbability<Scalar: TrainingScalar>(_ p: Scalar) -> Scalar {
        let epsilon = Scalar(max(probabilityEpsilon, Double(Scalar.ulpOfOne)))
        return min(max(p, epsilon), 1 - epsilon)
    }

    // MARK: - The formulas, in any training scalar

    /// One output's contribution to the sum before averaging: the one definition of every
    /// loss, used by the readable reference (`Double`) and the training workspace alike.
    @inline(__always)
    func term<Scalar: TrainingScalar>(output o: Scalar, target t: Scalar) -> Scalar {
        switch self {
        case .sse:
            return 0.5 * (t - o) * (t - o)
        case .mse:
            return (t - o) * (t - o)
        case .crossEntropy:
            return t == 0 ? 0 : -t * Scalar.logarithm(Self.clampProbability(o))  // 0 · log p = 0, without the log
        case .binaryCrossEntropy:
            let p = Self.clampProbability(o)
            return -(t * Scalar.logarithm(p) + (1 - t) * Scalar.logarithm(1 - p))
        case .huber(let delta):
            let r = o - t, d = Scalar(delta)
            return abs(r) <= d ? 0.5 * r * r : d * (abs(r) - 0.5 * d)
        case .pseudoHuber(let delta):
            let r = o - t, d = Scalar(delta)
            return d * d * ((1 + (r / d) * (r / d)).squareRoot() - 1)
        }
    }

    /// The derivative of `term` with respect to the output, beside it.
    ///
    /// The cross-entropies differentiate at the clamped probability, so the gradient
    /// stays finite at p = 0 or 1 too.
    @inline(__always)
    func termDerivative<Scalar: TrainingScalar>(output o: Scalar, target t: Scalar) -> Scalar {
        switch self {
        case .sse:
            return o - t
        case .mse:
            return 2 * (o - t)
        case .crossEntropy:
            return -t / Self.clampProbability(o)
        case .binaryCrossEntropy:
            let p = Self.clampProbability(o)
            return -t / p + (1 - t) / (1 - p)
        case .huber(let delta):
            let r = o - t, d = Scalar(delta)
            return abs(r) <= d ? r : (r > 0 ? d : -d)
        case .pseudoHuber(let delta):
            let r = o - t, d = Scalar(delta)
            return r / (1 + (r / d) * (r / d)).squareRoot()
        }
    }

    /// One output's term in `Double`, for explanations that write the loss out term by term.
    public func termValue(output: Double, target: Double) -> Double {
        term(output: output, target: target)
    }

    /// What the sum of the terms of `rows` samples of `columns` outputs is divided by: the
    /// samples N, or the samples times the outputs N·K.
    public func averagingCount(rows: Int, columns: Int) -> Int {
        switch self {
        case .sse, .crossEntropy: rows
        case .mse, .binaryCrossEntropy, .huber, .pseudoHuber: rows * columns
        }
    }

    // MARK: - A batch in buffers

    /// Adds the terms of `count` outputs against their targets to `total`, one by one in `Double`.
    @inline(__always)
    func addTerms<Scalar: TrainingScalar>(output: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>, count: Int,
                                          to total: inout Double) {
        for i in 0..<count { total += Double(term(output: output[i], target: target[i])) }
    }

    /// Adds the terms of `rows` samples of `columns` outputs, each sample's times its weight in
    /// `weights`, to `total`: Σₙ wₙ Σₖ term, the weighted sum before averaging.
    @inline(__always)
    func addTerms<Scalar: TrainingScalar>(output: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>,
                                          weights: UnsafePointer<Scalar>, rows: Int, columns: Int, to total: inout Double) {
        for r in 0..<rows {
            var row = 0.0
            addTerms(output: output + r * columns, target: target + r * columns, count: columns, to: &row)
            total += Double(weights[r]) * row
        }
    }

    /// Multiplies each row of `delta` ([rows, columns]) by its sample's weight: a sample's
    /// weighted term wₙ·Lₙ has wₙ times its gradient, and δ of a row depends on that row alone.
    @inline(__always)
    static func weighRows<Scalar: TrainingScalar>(_ delta: UnsafeMutablePointer<Scalar>, by weights: UnsafePointer<Scalar>,
                                                  rows: Int, columns: Int) {
        for r in 0..<rows {
            for c in 0..<columns { delta[r * columns + c] *= weights[r] }
        }
    }

    /// ∂L/∂O into `gradient`: O, T, dO: [rows, columns], the 1/N or 1/(NK) included.
    @inline(__always)
    func gradient<Scalar: TrainingScalar>(output: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>,
                                          into gradient: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        let scale = 1 / Scalar(averagingCount(rows: rows, columns: columns))
        for i in 0..<(rows * columns) { gradient[i] = termDerivative(output: output[i], target: target[i]) * scale }
    }

    /// δ = ∂L/∂Z of an output layer with `activation`, straight from its outputs A and the
    /// targets T into `delta` (all [rows, columns]), for the two pairs with a closed form that
    /// skips the Jacobian and is better conditioned when outputs saturate at 0 or 1; false,
    /// writing nothing, for every other pair. Tests prove each equal to the general route.
    /// - softmax + cross_entropy: δ_j = (a_j Σ_k t_k − t_j)/N, which is (a − t)/N for
    ///   targets that sum to 1 per row and stays exact for targets that do not;
    /// - sigmoid + binary_cross_entropy: δ = (a − t)/(N·K).
    @inline(__always)
    func closedFormDelta<Scalar: TrainingScalar>(activation: Activation, output: UnsafePointer<Scalar>,
                                                 target: UnsafePointer<Scalar>, into delta: UnsafeMutablePointer<Scalar>,
                                                 rows: Int, columns: Int) -> Bool {
        switch (activation, self) {
        case (.softmax, .crossEntropy):
            let n = Scalar(rows)
            for r in 0..<rows {
                let row = r * columns
                var targetSum: Scalar = 0
                for c in 0..<columns { targetSum += target[row + c] }
                for c in 0..<columns {
                    delta[row + c] = (output[row + c] * targetSum - target[row + c]) / n
                }
            }
            return true
        case (.sigmoid, .binaryCrossEntropy):
            let nk = Scalar(rows * columns)
            for i in 0..<(rows * columns) { delta[i] = (output[i] - target[i]) / nk }
            return true
        default:
            return false
        }
    }

    // MARK: - Value and gradient

    /// The loss of `output` against `target`: O, T: [batch, outputs] -> a number.
    public func value(output: Matrix, target: Matrix) -> Double {
        Self.checkShapes(output, target)
        var total = 0.0
        if output.count > 0 {
            output.storage.withUnsafeBufferPointer { o in
                target.storage.withUnsafeBufferPointer { t in
                    addTerms(output: o.baseAddress!, target: t.baseAddress!, count: output.count, to: &total)
                }
            }
        }
        return total / Double(averagingCount(rows: output.rows, columns: output.columns))
    }

    /// The loss with each sample's terms weighted: (1/N or 1/(NK)) Σₙ wₙ Σₖ term, for
    /// O, T: [batch, outputs] and one weight per sample; all weights 1 give `value(output:target:)`.
    public func value(output: Matrix, target: Matrix, sampleWeights: [Double]) -> Double {
        Self.checkShapes(output, target)
        precondition(sampleWeights.count == output.rows, "\(sampleWeights.count) weights for \(output.rows) samples")
        var total = 0.0
        if output.count > 0 {
            output.storage.withUnsafeBufferPointer { o in
                target.storage.withUnsafeBufferPointer { t in
                    sampleWeights.withUnsafeBufferPointer { w in
                        addTerms(output: o.baseAddress!, target: t.baseAddress!, weights: w.baseAddress!,
                                 rows: output.rows, columns: output.columns, to: &total)
                    }
                }
            }
        }
        return total / Double(averagingCount(rows: output.rows, columns: output.columns))
    }

    /// `∂L/∂O`: O, T: [batch, outputs] -> dO: [batch, outputs], the 1/N or 1/(NK) included.
    public func gradient(output: Matrix, target: Matrix) -> Matrix {
        Self.checkShapes(output, target)
        var result = output
        guard output.count > 0 else { return result }
        output.storage.withUnsafeBufferPointer { o in
            target.storage.withUnsafeBufferPointer { t in
                result.storage.withUnsafeMutableBufferPointer { g in
                    gradient(output: o.baseAddress!, target: t.baseAddress!, into: g.baseAddress!,
                             rows: output.rows, columns: output.columns)
                }
            }
        }
        return result
    }

    private static func checkShapes(_ output: Matrix, _ target: Matrix) {
        precondition(output.rows == target.rows && output.columns == target.columns,
                     "output \(output.rows)×\(output.columns) and target \(target.rows)×\(target.columns) differ in shape")
        precondition(output.rows > 0, "a loss needs at least one sample")
    }
}
