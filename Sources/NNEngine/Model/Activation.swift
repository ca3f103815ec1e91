import Foundation

/// The function a layer applies to its net input `z` to get its output `a = φ(z)`.
///
/// Each case's value and derivative sit side by side in `value(_:)` and `derivative(_:)`
/// so one can be checked against the other at a glance.
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
        switch self {
        case .linear: z
        case .step: z < 0 ? 0 : (z == 0 ? 0.5 : 1)
        case .sign: z < 0 ? -1 : (z == 0 ? 0 : 1)
        case .piecewiseLinear: z <= -0.5 ? 0 : (z >= 0.5 ? 1 : z + 0.5)
        case .sigmoid: Self.sigmoid(z)
        case .tanh: Foundation.tanh(z)
        case .relu: z > 0 ? z : 0
        case .leakyRelu(let alpha): z > 0 ? z : alpha * z
        case .elu(let alpha): z > 0 ? z : alpha * expm1(z)
        case .softplus: Self.softplus(z)
        case .softmax: 1
        }
    }

    /// `φ'(z)` for one number.
    ///
    /// At a kink it takes the left-hand slope (relu'(0) = 0, leaky_relu'(0) = alpha);
    /// step and sign count as flat everywhere, so no gradient flows through them.
    /// Softmax of a single number is the constant 1, so its derivative is 0; the
    /// Jacobian of the softmax of a vector is used by `backward(net:output:outputGradient:)`.
    public func derivative(_ z: Double) -> Double {
        switch self {
        case .linear: 1
        case .step: 0
        case .sign: 0
        case .piecewiseLinear: (z > -0.5 && z < 0.5) ? 1 : 0
        case .sigmoid: Self.sigmoid(z) * (1 - Self.sigmoid(z))
        case .tanh: 1 - Foundation.tanh(z) * Foundation.tanh(z)
        case .relu: z > 0 ? 1 : 0
        case .leakyRelu(let alpha): z > 0 ? 1 : alpha
        case .elu(let alpha): z > 0 ? 1 : alpha * exp(z)
        case .softplus: Self.sigmoid(z)
        case .softmax: 0
        }
    }

    /// `φ'` written in terms of the output `a = φ(z)` where that is cheaper than recomputing from `z`.
    private func derivative(net z: Double, output a: Double) -> Double {
        switch self {
        case .sigmoid: a * (1 - a)
        case .tanh: 1 - a * a
        case .elu(let alpha): z > 0 ? 1 : a + alpha  // alpha·eᶻ = alpha(eᶻ − 1) + alpha
        default: derivative(z)
        }
    }

    /// The logistic function, evaluated so that `exp` never overflows.
    static func sigmoid(_ z: Double) -> Double {
        if z >= 0 {
            return 1 / (1 + exp(-z))
        }
        let e = exp(z)  // z < 0, so e is in (0, 1) and 1 + e cannot overflow
        return e / (1 + e)
    }

    /// `log(1 + eᶻ)`, evaluated as `max(z, 0) + log(1 + e^(−|z|))` so it never overflows.
    static func softplus(_ z: Double) -> Double {
        max(z, 0) + log1p(exp(-abs(z)))
    }

    // MARK: - A batch

    /// `A = φ(Z)`: Z: [batch, units] -> A: [batch, units]; softmax works on each row.
    public func apply(_ z: Matrix) -> Matrix {
        guard self == .softmax else { return z.map(value) }
        var result = z
        for r in 0..<z.rows {
            let row = r * z.columns
            // Subtracting the row's maximum leaves softmax unchanged and keeps exp ≤ 1.
            var maximum = -Double.infinity
            for c in 0..<z.columns { maximum = max(maximum, z.storage[row + c]) }
            var total = 0.0
            for c in 0..<z.columns {
                let e = exp(z.storage[row + c] - maximum)
                result.storage[row + c] = e
                total += e
            }
            for c in 0..<z.columns { result.storage[row + c] /= total }
        }
        return result
    }

    /// `∂L/∂Z` from `∂L/∂A`: Z, A, dA: [batch, units] -> dZ: [batch, units].
    ///
    /// Elementwise activations give `dA ⊙ φ'(Z)`. Softmax mixes a row's outputs, so each
    /// row gets the Jacobian-vector product `dZ_j = a_j (g_j − Σ_k a_k g_k)` with `g = dA`.
    public func backward(net z: Matrix, output a: Matrix, outputGradient: Matrix) -> Matrix {
        precondition(z.rows == a.rows && z.columns == a.columns, "net and output shapes differ")
        precondition(z.rows == outputGradient.rows && z.columns == outputGradient.columns, "net and output gradient shapes differ")
        var result = outputGradient
        guard self == .softmax else {
            for i in 0..<result.count {
                result.storage[i] *= derivative(net: z.storage[i], output: a.storage[i])
            }
            return result
        }
        for r in 0..<a.rows {
            let row = r * a.columns
            var weighted = 0.0
            for c in 0..<a.columns { weighted += a.storage[row + c] * outputGradient.storage[row + c] }
            for c in 0..<a.columns {
                result.storage[row + c] = a.storage[row + c] * (outputGradient.storage[row + c] - weighted)
            }
        }
        return result
    }
}
