import Foundation

/// The function a layer applies to its net input `z` to get its output `a = φ(z)`.
///
/// Each case's value and derivative sit side by side in `value(at:)` and
/// `derivative(net:output:)`, so one can be checked against the other at a glance. They are
/// the only place the formulas are written: the reference and the training workspace call them.
public enum Activation: Equatable, Sendable {
    case linear
    case step
    case sign
    case piecewiseLinear
    case sigmoid
    case tanh
    case relu
    case leakyRelu(alpha: Double)
    case elu(alpha: Double)
    case softplus
    /// Row-wise: each sample's outputs are positive and sum to 1.
    case softmax

    // MARK: - Names

    /// The name the language uses for this activation.
    public var name: String {
        switch self {
        case .linear: "linear"
        case .step: "step"
        case .sign: "sign"
        case .piecewiseLinear: "piecewise_linear"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .leakyRelu: "leaky_relu"
        case .elu: "elu"
        case .softplus: "softplus"
        case .softmax: "softmax"
        }
    }

    /// Every activation name, in the order the language lists them.
    public static let names: [String] = [
        "linear", "step", "sign", "piecewise_linear", "sigmoid", "tanh",
        "relu", "leaky_relu", "elu", "softplus", "softmax",
    ]

    /// The slope `leaky_relu` uses for negative inputs unless told otherwise.
    public static let defaultLeakyReluAlpha = 0.01
    /// The scale `elu` uses for negative inputs unless told otherwise.
    public static let defaultEluAlpha = 1.0

    /// The activation called `name`, or nil if there is none or `alpha` is not finite.
    ///
    /// `alpha` only means something to `leaky_relu` (default 0.01) and `elu` (default 1);
    /// the others ignore it. Use `takesAlpha(name:)` to reject it where it does not belong.
    public init?(name: String, alpha: Double? = nil) {
        if let alpha, !alpha.isFinite { return nil }
        switch name {
        case "linear": self = .linear
        case "step": self = .step
        case "sign": self = .sign
        case "piecewise_linear": self = .piecewiseLinear
        case "sigmoid": self = .sigmoid
        case "tanh": self = .tanh
        case "relu": self = .relu
        case "leaky_relu": self = .leakyRelu(alpha: alpha ?? Self.defaultLeakyReluAlpha)
        case "elu": self = .elu(alpha: alpha ?? Self.defaultEluAlpha)
        case "softplus": self = .softplus
        case "softmax": self = .softmax
        default: return nil
        }
    }

    /// Whether the activation called `name` has an `alpha` parameter.
    public static func takesAlpha(name: String) -> Bool {
        name == "leaky_relu" || name == "elu"
    }

    /// The `alpha` parameter, or nil for activations without one.
    public var alpha: Double? {
        switch self {
        case .leakyRelu(let alpha), .elu(let alpha): alpha
        default: nil
        }
    }

    /// Whether each output depends only on its own net input; false only for softmax.
    public var isElementwise: Bool {
        self != .softmax
    }

    // MARK: - One number

    /// `φ(z)` for one number.
    ///
    /// Softmax of a single number is 1 (one class takes all the probability); the
    /// softmax of a vector is `apply(_:)`.
    public func value(_ z: Double) -> Double {
        value(at: z)
    }

    /// `φ'(z)` for one number.
    ///
    /// At a kink it takes the left-hand slope (relu'(0) = 0, leaky_relu'(0) = alpha);
    /// step and sign count as flat everywhere, so no gradient flows through them.
    /// Softmax of a single number is the constant 1, so its derivative is 0; the
    /// Jacobian of the softmax of a vector is used by `backward(net:output:outputGradient:)`.
    public func derivative(_ z: Double) -> Double {
        derivative(net: z, output: value(at: z))
    }

    // MARK: - The formulas, in any training scalar

    /// `φ(z)`: the one definition of every activation's value, used by the readable
    /// reference (`Double`) and by the training workspace (`Double` or `Float`) alike.
    @inline(__always)
    func value<Scalar: TrainingScalar>(at z: Scalar) -> Scalar {
        switch self {
        case .linear: z
        case .step: z < 0 ? 0 : (z == 0 ? 0.5 : 1)
        case .sign: z < 0 ? -1 : (z == 0 ? 0 : 1)
        case .piecewiseLinear: z <= -0.5 ? 0 : (z >= 0.5 ? 1 : z + 0.5)
        case .sigmoid: Self.sigmoid(z)
        case .tanh: Scalar.hyperbolicTangent(z)
        case .relu: z > 0 ? z : 0
        case .leakyRelu(let alpha): z > 0 ? z : Scalar(alpha) * z
        case .elu(let alpha): z > 0 ? z : Scalar(alpha) * Scalar.exponentialMinusOne(z)
        case .softplus: max(z, 0) + Scalar.logarithmOnePlus(Scalar.exponential(-abs(z)))  // never overflows
        case .softmax: 1
        }
    }

    /// `φ'(z)`, given `a = φ(z)` too, in terms of `a` where that is cheaper than recomputing
    /// from `z`: the one definition of every activation's derivative, beside `value(at:)`.
    @inline(__always)
    func derivative<Scalar: TrainingScalar>(net z: Scalar, output a: Scalar) -> Scalar {
        switch self {
        case .linear: 1
        case .step, .sign, .softmax: 0
        case .piecewiseLinear: (z > -0.5 && z < 0.5) ? 1 : 0
        case .sigmoid: a * (1 - a)
        case .tanh: 1 - a * a
        case .relu: z > 0 ? 1 : 0
        case .leakyRelu(let alpha): z > 0 ? 1 : Scalar(alpha)
        case .elu(let alpha): z > 0 ? 1 : a + Scalar(alpha)  // alpha·eᶻ = alpha(eᶻ − 1) + alpha
        case .softplus: Self.sigmoid(z)
        }
    }

    /// The logistic function, evaluated so that `exp` never overflows.
    @inline(__always)
    static func sigmoid<Scalar: TrainingScalar>(_ z: Scalar) -> Scalar {
        if z >= 0 {
            return 1 / (1 + Scalar.exponential(-z))
        }
        let e = Scalar.exponential(z)  // z < 0, so e is in (0, 1) and 1 + e cannot overflow
        return e / (1 + e)
    }

    // MARK: - A batch in buffers

    /// A = φ(Z) for `rows` rows of `columns`: Z, A: [rows, columns]; softmax works on each row.
    /// The reference's `apply(_:)` and the training workspace both run this.
    @inline(__always)
    func apply<Scalar: TrainingScalar>(net z: UnsafePointer<Scalar>, into a: UnsafeMutablePointer<Scalar>,
                                       rows: Int, columns: Int) {
        let count = rows * columns
        // The common activations get a loop each, so that `value(at:)`'s switch folds away.
        switch self {
        case .softmax:
            for r in 0..<rows {
                let row = r * columns
                // Subtracting the row's maximum leaves softmax unchanged and keeps exp ≤ 1.
                var maximum = -Scalar.infinity
                for c in 0..<columns { maximum = max(maximum, z[row + c]) }
                var total: Scalar = 0
                for c in 0..<columns {
                    let e = Scalar.exponential(z[row + c] - maximum)
                    a[row + c] = e
                    total += e
                }
                for c in 0..<columns { a[row + c] /= total }
            }
        case .sigmoid: for i in 0..<count { a[i] = Activation.sigmoid.value(at: z[i]) }
        case .tanh: for i in 0..<count { a[i] = Activation.tanh.value(at: z[i]) }
        case .relu: for i in 0..<count { a[i] = Activation.relu.value(at: z[i]) }
        default: for i in 0..<count { a[i] = value(at: z[i]) }
        }
    }

    /// dZ from dA in place of `gradient`: Z, A, dA: [rows, columns] -> dZ: [rows, columns].
    ///
    /// Elementwise activations give `dA ⊙ φ'(Z)`. Softmax mixes a row's outputs, so each
    /// row gets the Jacobian-vector product `dZ_j = a_j (g_j − Σ_k a_k g_k)` with `g = dA`.
    @inline(__always)
    func backward<Scalar: TrainingScalar>(net z: UnsafePointer<Scalar>, output a: UnsafePointer<Scalar>,
                                          gradient g: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        let count = rows * columns
        switch self {
        case .softmax:
            for r in 0..<rows {
                let row = r * columns
                var weighted: Scalar = 0
                for c in 0..<columns { weighted += a[row + c] * g[row + c] }
                for c in 0..<columns { g[row + c] = a[row + c] * (g[row + c] - weighted) }
            }
        case .linear: break
        case .sigmoid: for i in 0..<count { g[i] *= Activation.sigmoid.derivative(net: z[i], output: a[i]) }
        case .tanh: for i in 0..<count { g[i] *= Activation.tanh.derivative(net: z[i], output: a[i]) }
        case .relu: for i in 0..<count { g[i] *= Activation.relu.derivative(net: z[i], output: a[i]) }
        default: for i in 0..<count { g[i] *= derivative(net: z[i], output: a[i]) }
        }
    }

    // MARK: - A batch

    /// `A = φ(Z)`: Z: [batch, units] -> A: [batch, units]; softmax works on each row.
    public func apply(_ z: Matrix) -> Matrix {
        var result = z
        guard z.count > 0 else { return result }
        z.storage.withUnsafeBufferPointer { net in
            result.storage.withUnsafeMutableBufferPointer { output in
                apply(net: net.baseAddress!, into: output.baseAddress!, rows: z.rows, columns: z.columns)
            }
        }
        return result
    }

    /// `∂L/∂Z` from `∂L/∂A`: Z, A, dA: [batch, units] -> dZ: [batch, units]; see
    /// `backward(net:output:gradient:rows:columns:)`.
    public func backward(net z: Matrix, output a: Matrix, outputGradient: Matrix) -> Matrix {
        precondition(z.rows == a.rows && z.columns == a.columns, "net and output shapes differ")
        precondition(z.rows == outputGradient.rows && z.columns == outputGradient.columns, "net and output gradient shapes differ")
        var result = outputGradient
        guard result.count > 0 else { return result }
        z.storage.withUnsafeBufferPointer { net in
            a.storage.withUnsafeBufferPointer { output in
                result.storage.withUnsafeMutableBufferPointer { gradient in
                    backward(net: net.baseAddress!, output: output.baseAddress!, gradient: gradient.baseAddress!,
                             rows: z.rows, columns: z.columns)
                }
            }
        }
        return result
    }
}
