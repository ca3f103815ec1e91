import Foundation

/// How far a network's outputs are from their targets, averaged over the samples of a batch.
///
/// Outputs and targets are [batch, outputs] matrices: N rows of K values. Each case's
/// term and its derivative sit side by side in `term(output:target:)` and
/// `termDerivative(output:target:)`, the only place the formulas are written.
///
/// Softmax + cross_entropy and sigmoid + binary_cross_entropy are computed from the output
/// layer's net input Z instead, exactly, as PyTorch's `CrossEntropyLoss` and
/// `BCEWithLogitsLoss` do (`isComputedFromNet(after:)`, `forEachTerm`): the same terms, with
/// log p taken from z rather than from a probability that may have rounded to 0 or 1.
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

    /// How close to 0 or 1 a probability may come before a cross-entropy computed from the
    /// outputs clamps it: cross_entropy after anything but softmax, binary_cross_entropy after
    /// anything but sigmoid, or an output layer with dropout. The exact pairs never clamp.
    ///
    /// 1e-15 keeps log p ≥ −34.5 and 1/p ≤ 1e15, so p = 0 or p = 1 never gives NaN or
    /// infinity, while any probability a network can usefully output is left unchanged.
    public static let probabilityEpsilon = 1e-15

    /// −log ε, about 34.54: the most a clamped −log p can be.
    public static var clampedLogLimit: Double { -log(probabilityEpsilon) }

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
            guard t != 0 else { return 0 }  // without the log
            return Self.crossEntropyTerm(logProbability: Scalar.logarithm(Self.clampProbability(o)), target: t)
        case .binaryCrossEntropy:
            let p = Self.clampProbability(o)
            return Self.binaryCrossEntropyTerm(logProbability: Scalar.logarithm(p), logComplement: Scalar.logarithm(1 - p),
                                               target: t)
        case .huber(let delta):
            let r = o - t, d = Scalar(delta)
            return abs(r) <= d ? 0.5 * r * r : d * (abs(r) - 0.5 * d)
        case .pseudoHuber(let delta):
            let r = o - t, d = Scalar(delta)
            return d * d * ((1 + (r / d) * (r / d)).squareRoot() - 1)
        }
    }

    /// −t log p, given log p: cross_entropy's term as the notes write it. 0 where t = 0,
    /// without looking at log p, which may be −∞ there.
    @inline(__always)
    static func crossEntropyTerm<Scalar: TrainingScalar>(logProbability: Scalar, target t: Scalar) -> Scalar {
        t == 0 ? 0 : -t * logProbability
    }

    /// −[t log p + (1 − t) log(1 − p)], given log p and log(1 − p): binary_cross_entropy's
    /// term as the notes write it.
    @inline(__always)
    static func binaryCrossEntropyTerm<Scalar: TrainingScalar>(logProbability: Scalar, logComplement: Scalar,
                                                               target t: Scalar) -> Scalar {
        -(t * logProbability + (1 - t) * logComplement)
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

    /// What the sum of the terms of `rows` samples of `columns` outputs is divided by: the
    /// samples N, or the samples times the outputs N·K.
    public func averagingCount(rows: Int, columns: Int) -> Int {
        switch self {
        case .sse, .crossEntropy: rows
        case .mse, .binaryCrossEntropy, .huber, .pseudoHuber: rows * columns
        }
    }

    // MARK: - From the net input: the exact cross-entropies

    /// Whether this loss, after an output layer with `activation`, is computed from that
    /// layer's net input Z, exactly and without clamping: softmax + cross_entropy and
    /// sigmoid + binary_cross_entropy. Every other pair is computed from the outputs.
    public func isComputedFromNet(after activation: Activation) -> Bool {
        switch (activation, self) {
        case (.softmax, .crossEntropy), (.sigmoid, .binaryCrossEntropy): true
        default: false
        }
    }

    /// log Σ_j e^(z_j) of one row of `count` net inputs, shifted by their largest so that no
    /// e^(z_j − max) exceeds 1 and one of them is 1: then log Σ never overflows and is ≥ 0.
    @inline(__always)
    static func logSumExp<Scalar: TrainingScalar>(_ z: UnsafePointer<Scalar>, count: Int) -> Scalar {
        var maximum = -Scalar.infinity
        for j in 0..<count { maximum = max(maximum, z[j]) }
        var total: Scalar = 0
        for j in 0..<count { total += Scalar.exponential(z[j] - maximum) }
        return maximum + Scalar.logarithm(total)
    }

    /// log Σ_j e^(z_j) of a row of net inputs, as softmax + cross_entropy takes it.
    public static func logSumExp(_ z: [Double]) -> Double {
        guard !z.isEmpty else { return -.infinity }
        return z.withUnsafeBufferPointer { logSumExp($0.baseAddress!, count: z.count) }
    }

    /// Calls `body` with each output's term (before averaging) of `rows` samples of `columns`
    /// outputs, in order: Z, A, T: [rows, columns], the index into them and the term. The one
    /// place the exact forms are written, used by the reference and the workspace alike:
    /// - softmax + cross_entropy: −t_k log p_k with log p_k = z_k − log Σ_j e^(z_j);
    /// - sigmoid + binary_cross_entropy: −[t log σ(z) + (1 − t) log(1 − σ(z))] with
    ///   log σ(z) = −softplus(−z) and log(1 − σ(z)) = −softplus(z);
    /// every other pair from the outputs A, by `term(output:target:)`.
    @inline(__always)
    func forEachTerm<Scalar: TrainingScalar>(after activation: Activation, net z: UnsafePointer<Scalar>,
                                             output a: UnsafePointer<Scalar>, target t: UnsafePointer<Scalar>,
                                             rows: Int, columns: Int, _ body: (_ index: Int, _ term: Scalar) -> Void) {
        switch (activation, self) {
        case (.softmax, .crossEntropy):
            for r in 0..<rows {
                let row = r * columns
                let logSum = Self.logSumExp(z + row, count: columns)
                for c in 0..<columns {
                    body(row + c, Self.crossEntropyTerm(logProbability: z[row + c] - logSum, target: t[row + c]))
                }
            }
        case (.sigmoid, .binaryCrossEntropy):
            for i in 0..<(rows * columns) {
                body(i, Self.binaryCrossEntropyTerm(logProbability: -Activation.softplus.value(at: -z[i]),
                                                    logComplement: -Activation.softplus.value(at: z[i]), target: t[i]))
            }
        default:
            for i in 0..<(rows * columns) { body(i, term(output: a[i], target: t[i])) }
        }
    }

    /// Adds the terms of `rows` × `columns` outputs of a layer with `activation` to `total`,
    /// one by one in `Double`: from Z where `isComputedFromNet(after:)`, else from A.
    @inline(__always)
    func addTerms<Scalar: TrainingScalar>(after activation: Activation, net: UnsafePointer<Scalar>,
                                          output: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>,
                                          weights: UnsafePointer<Scalar>? = nil,
                                          rows: Int, columns: Int, to total: inout Double) {
        guard let weights else {
            forEachTerm(after: activation, net: net, output: output, target: target, rows: rows, columns: columns) { _, term in
                total += Double(term)
            }
            return
        }
        // Each sample's terms times its weight: Σₙ wₙ Σₖ term.
        var row = 0.0
        var current = 0
        forEachTerm(after: activation, net: net, output: output, target: target, rows: rows, columns: columns) { index, term in
            if index / columns != current {
                total += Double(weights[current]) * row
                row = 0
                current = index / columns
            }
            row += Double(term)
        }
        if rows > 0 { total += Double(weights[current]) * row }
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

    /// The loss of an output layer with `activation`: Z, A, T: [batch, outputs] -> a number,
    /// from its net input Z where `isComputedFromNet(after:)`, else as `value(output:target:)`.
    public func value(after activation: Activation, net: Matrix, output: Matrix, target: Matrix,
                      sampleWeights: [Double]? = nil) -> Double {
        Self.checkShapes(output, target)
        Self.checkShapes(net, target)
        if let sampleWeights { precondition(sampleWeights.count == output.rows, "\(sampleWeights.count) weights for \(output.rows) samples") }
        var total = 0.0
        if output.count > 0 {
            net.storage.withUnsafeBufferPointer { z in
                output.storage.withUnsafeBufferPointer { a in
                    target.storage.withUnsafeBufferPointer { t in
                        (sampleWeights ?? []).withUnsafeBufferPointer { w in
                            addTerms(after: activation, net: z.baseAddress!, output: a.baseAddress!, target: t.baseAddress!,
                                     weights: sampleWeights == nil ? nil : w.baseAddress, rows: output.rows, columns: output.columns, to: &total)
                        }
                    }
                }
            }
        }
        return total / Double(averagingCount(rows: output.rows, columns: output.columns))
    }

    /// Each output's term before averaging, as `value(after:net:output:target:)` sums them:
    /// Z, A, T: [batch, outputs] -> [batch, outputs]. For explanations that write the loss out.
    public func terms(after activation: Activation, net: Matrix, output: Matrix, target: Matrix) -> Matrix {
        Self.checkShapes(output, target)
        Self.checkShapes(net, target)
        var result = Matrix(rows: output.rows, columns: output.columns)
        guard output.count > 0 else { return result }
        net.storage.withUnsafeBufferPointer { z in
            output.storage.withUnsafeBufferPointer { a in
                target.storage.withUnsafeBufferPointer { t in
                    result.storage.withUnsafeMutableBufferPointer { terms in
                        forEachTerm(after: activation, net: z.baseAddress!, output: a.baseAddress!, target: t.baseAddress!,
                                    rows: output.rows, columns: output.columns) { index, term in terms[index] = term }
                    }
                }
            }
        }
        return result
    }

    /// The loss of `output` against `target` from the outputs alone: O, T: [batch, outputs] ->
    /// a number. The cross-entropies clamp p here; a network's loss is `Network.loss(of:target:loss:)`.
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
