import NNEngine

/// What a node of a `Tape` computes from its inputs.
///
/// Comparisons, `and`, `or` and `not` are not here: their results are 0 or 1, flat almost
/// everywhere, so `Differentiator` records them as constants with zero gradient.
enum Operation: Equatable {
    /// A leaf the variable does not flow into, with how `explain` names it.
    case constant(String)
    /// The leaf differentiated with respect to.
    case variable(String)
    case add, subtract, multiply, divide, matrixProduct, power
    case negate
    case activation(Activation)
    /// `leaky_relu(x, alpha)`, `elu(x, alpha)`: the activation called this, its slope an input.
    case slopedActivation(String)
    case exp, log, squareRoot, absoluteValue, sine, cosine
    case sum, mean, maximum, minimum
    /// `max(a, b)`, `min(a, b)`: elementwise, broadcast like `+`.
    case larger, smaller
    case transpose
    /// `v[2]`, `W2[1,2]`: one element, 1-based indices.
    case element([Int], name: String)
    /// `X[:, 1]`, `v[2:4]`: the selected part, one axis per dimension.
    case select([Axis], name: String)
    /// `hcat(A, B, …)` or `vcat(A, B, …)`.
    case join(horizontal: Bool)
    /// `[a, b]` of scalars is a vector, `[u, v]` of vectors a matrix of those rows.
    case list

    /// The operation of a binary operator, nil for comparisons and logic.
    init?(_ operation: BinaryOperator) {
        switch operation {
        case .add: self = .add
        case .subtract: self = .subtract
        case .multiply: self = .multiply
        case .divide: self = .divide
        case .matrixProduct: self = .matrixProduct
        case .power: self = .power
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or: return nil
        }
    }

    /// The operation of a builtin function called with `argumentCount` arguments, nil for the
    /// others.
    init?(function name: String, argumentCount: Int) {
        guard argumentCount == 2 else {
            if argumentCount == 1 { self.init(function: name) } else { return nil }
            return
        }
        switch name {
        case "max": self = .larger
        case "min": self = .smaller
        case _ where Activation.takesAlpha(name: name): self = .slopedActivation(name)
        default: return nil
        }
    }

    /// The operation of a builtin function of one argument, nil for the others.
    init?(function name: String) {
        if let activation = Activation(name: name) {
            self = .activation(activation)
            return
        }
        switch name {
        case "exp": self = .exp
        case "sin": self = .sine
        case "cos": self = .cosine
        case "log", "ln": self = .log
        case "sqrt": self = .squareRoot
        case "abs": self = .absoluteValue
        case "sum": self = .sum
        case "mean": self = .mean
        case "max": self = .maximum
        case "min": self = .minimum
        case "transpose": self = .transpose
        default: return nil
        }
    }

    /// The builtin's name as the language spells it, for functions.
    var functionName: String? {
        switch self {
        case .activation(let activation): return activation.name
        case .slopedActivation(let name): return name
        case .exp: return "exp"
        case .sine: return "sin"
        case .cosine: return "cos"
        case .log: return "log"
        case .squareRoot: return "sqrt"
        case .absoluteValue: return "abs"
        case .sum: return "sum"
        case .mean: return "mean"
        case .maximum, .larger: return "max"
        case .minimum, .smaller: return "min"
        case .transpose: return "transpose"
        default: return nil
        }
    }

    /// The operator's symbol, for binary operations.
    var symbol: String? {
        switch self {
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .divide: return "/"
        case .matrixProduct: return "@"
        case .power: return "^"
        default: return nil
        }
    }
}
