import Foundation

/// How far a network's outputs are from their targets, averaged over the samples of a batch.
///
/// Outputs and targets are [batch, outputs] matrices: N rows of K values. Each case's
/// value and gradient sit side by side in `value(output:target:)` and `gradient(output:target:)`.
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

    /// `p` moved into [ε, 1 − ε].
    static func clampProbability(_ p: Double) -> Double {
        min(max(p, probabilityEpsilon), 1 - probabilityEpsilon)
    }

    // MARK: - Value and gradient

    /// The loss of `output` against `target`: O, T: [batch, outputs] -> a number.
    public func value(output: Matrix, target: Matrix) -> Double {
        Self.checkShapes(output, target)
        let n = Double(output.rows)
        let nk = Double(output.count)
        var total = 0.0
        for (o, t) in zip(output.storage, target.storage) {
            total += term(output: o, target: t)
        }
        switch self {
        case .sse, .crossEntropy: return total / n
        case .mse, .binaryCrossEntropy, .huber, .pseudoHuber: return total / nk
        }
    }

    /// `∂L/∂O`: O, T: [batch, outputs] -> dO: [batch, outputs], the 1/N or 1/(NK) included.
    public func gradient(output: Matrix, target: Matrix) -> Matrix {
        Self.checkShapes(output, target)
        let n = Double(output.rows)
        let nk = Double(output.count)
        let scale: Double
        switch self {
        case .sse, .crossEntropy: scale = 1 / n
        case .mse, .binaryCrossEntropy, .huber, .pseudoHuber: scale = 1 / nk
        }
        return output.zipMap(target) { o, t in termDerivative(output: o, target: t) * scale }
    }

    /// One output's contribution to the sum before averaging.
    private func term(output o: Double, target t: Double) -> Double {
        switch self {
        case .sse:
            return 0.5 * (t - o) * (t - o)
        case .mse:
            return (t - o) * (t - o)
        case .crossEntropy:
            return -t * log(Self.clampProbability(o))
        case .binaryCrossEntropy:
            let p = Self.clampProbability(o)
            return -(t * log(p) + (1 - t) * log(1 - p))
        case .huber(let delta):
            let r = o - t
            return abs(r) <= delta ? 0.5 * r * r : delta * (abs(r) - 0.5 * delta)
        case .pseudoHuber(let delta):
            let r = o - t
            return delta * delta * ((1 + (r / delta) * (r / delta)).squareRoot() - 1)
        }
    }

    /// The derivative of `term` with respect to the output.
    ///
    /// The cross-entropies differentiate at the clamped probability, so the gradient
    /// stays finite at p = 0 or 1 too.
    private func termDerivative(output o: Double, target t: Double) -> Double {
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
            let r = o - t
            return abs(r) <= delta ? r : (r > 0 ? delta : -delta)
        case .pseudoHuber(let delta):
            let r = o - t
            return r / (1 + (r / delta) * (r / delta)).squareRoot()
        }
    }

    private static func checkShapes(_ output: Matrix, _ target: Matrix) {
        precondition(output.rows == target.rows && output.columns == target.columns,
                     "output \(output.rows)×\(output.columns) and target \(target.rows)×\(target.columns) differ in shape")
        precondition(output.rows > 0, "a loss needs at least one sample")
    }
}
