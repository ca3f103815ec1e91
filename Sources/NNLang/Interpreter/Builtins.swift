#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

/// A function that expressions can call.
public struct BuiltinFunction: Equatable, Sendable {
    public var name: String
    /// `sigmoid(x)`: how help shows a call.
    public var signature: String
    public var summary: String
    /// Whether it reads the session (the network, the data) rather than only its arguments.
    public var readsSession: Bool

    /// How many arguments it takes.
    public var arity: ClosedRange<Int>

    public init(_ signature: String, _ summary: String, readsSession: Bool = false, arity: ClosedRange<Int> = 1...1) {
        self.signature = signature
        self.name = String(signature.prefix { $0 != "(" })
        self.summary = summary
        self.arity = arity
        self.readsSession = readsSession
    }

}

/// The functions of the expression language: every activation by name, elementary functions,
/// reductions, and the session functions `grad(PARAM)` and `predict(X)`.
public enum Builtins {
    public static let functions: [BuiltinFunction] =
        Activation.names.map { name in
            if name == "softmax" { return BuiltinFunction("softmax(x)", "softmax of a vector, or of each row of a matrix") }
            if Activation.takesAlpha(name: name) {
                let alpha = ValueFormatter(precision: 10).format(Activation(name: name)?.alpha ?? 0)
                return BuiltinFunction("\(name)(x[, alpha])", "the \(name) activation, elementwise, with the slope alpha (\(alpha))", arity: 1...2)
            }
            return BuiltinFunction("\(name)(x)", "the \(name) activation, elementwise")
        } + [
            BuiltinFunction("exp(x)", "e to the power x, elementwise (a vector or matrix in one vectorized pass, within 1 ulp of the C library's exp)"),
            BuiltinFunction("sin(x)", "sine, elementwise (radians)"),
            BuiltinFunction("cos(x)", "cosine, elementwise (radians)"),
            BuiltinFunction("log(x)", "natural logarithm, elementwise (x > 0)"),
            BuiltinFunction("ln(x)", "natural logarithm, the same as log(x)"),
            BuiltinFunction("sqrt(x)", "square root, elementwise (x ≥ 0)"),
            BuiltinFunction("abs(x)", "absolute value, elementwise"),
            BuiltinFunction("sum(x)", "sum of all elements, added pairwise in NumPy's order"),
            BuiltinFunction("mean(x)", "mean of all elements: their pairwise sum over their count"),
            BuiltinFunction("max(x[, y])", "largest element of x; max(x, y) is the larger of x and y elementwise, broadcast like +", arity: 1...2),
            BuiltinFunction("min(x[, y])", "smallest element of x; min(x, y) is the smaller of x and y elementwise, broadcast like +", arity: 1...2),
            BuiltinFunction("transpose(x)", "a matrix transposed; a vector becomes a column"),
            BuiltinFunction("range(a, b[, step])", "a, a + step, … up to but not including b (step 1)", arity: 2...3),
            BuiltinFunction("onehot(y, K)", "one-hot rows of K columns for class labels 0 … K−1 (labels count from 0, as the data's classes and Keras's to_categorical do; not 1-based like indices)", arity: 2...2),
            BuiltinFunction("grad(PARAM)", "the gradient of the loss with respect to a parameter; grad(EXPR, VAR) is ∂EXPR/∂VAR for a one-number EXPR, by automatic differentiation", readsSession: true, arity: 1...2),
            BuiltinFunction("deriv(f, x)", "the derivative of a one-argument function at x, by automatic differentiation", readsSession: true, arity: 2...2),
            BuiltinFunction("jacobian(f, x)", "J[i,j] = ∂f_i/∂x_j of a vector-valued function of a vector, one reverse pass per output", readsSession: true, arity: 2...2),
            BuiltinFunction("numderiv(f, x[, h])", "the central difference (f(x+h) − f(x−h)) / 2h of a one-argument function, h = 0.001 by default", readsSession: true, arity: 2...3),
            BuiltinFunction("predict(X)", "the network's output for inputs X", readsSession: true),
        ] + shapeFunctions

    /// range(a, b[, step]): a, a + step, … while below b (above b for a negative step).
    static func range(_ bounds: [Double]) throws(Problem) -> Value {
        let sequence = try RangeSequence(bounds)
        return .vector((0..<sequence.count).map(sequence.element))
    }

    /// onehot(y, K): a label (a number) gives a vector of K, labels (a vector or a column) a
    /// matrix with a row per label, a 1 in column label + 1 of each.
    static func oneHot(_ labels: Value, classCount: Int) throws(Problem) -> Value {
        var isLabels = true
        switch labels {
        case .matrix(let matrix): isLabels = matrix.columns == 1
        case .text: isLabels = false
        case .scalar, .vector: break
        }
        guard isLabels else {
            throw Problem.expectedValue(what: "class labels for onehot (a number, a vector or one column)", got: labels.shapeDescription)
        }
        var indices: [Int] = []
        for label in labels.elements {
            guard label == label.rounded(), label >= 0, label < Double(classCount) else {
                throw Problem.expectedValue(what: "class labels from 0 to \(classCount - 1) for onehot(y, \(classCount))", got: ValueFormatter(precision: 10).format(label))
            }
            indices.append(Int(label))
        }
        let rows = ClassEncoding.oneHot(indices, classCount: classCount)
        if case .scalar = labels { return .vector(rows.row(0)) }
        return .matrix(rows)
    }

    /// Names that stand for fixed numbers. `true` and `false` are reserved; `e` and `pi` are
    /// mathematical constants that a variable of the same name hides (`e` is a common name for an
    /// error or an epoch), so they are assignable.
    public static let constants: [String: Double] = ["true": 1, "false": 0, "e": exp(1), "pi": Double.pi]

    /// The constants no program may assign to or define: `true` and `false`.
    public static func isReservedConstant(_ name: String) -> Bool {
        name == "true" || name == "false"
    }

    public static func function(named name: String) -> BuiltinFunction? {
        functions.first { $0.name == name }
    }

    public static var names: [String] { functions.map(\.name) }

    /// Applies a function that reads only its arguments: one, or two for `max(x, y)`,
    /// `min(x, y)`, `leaky_relu(x, alpha)` and `elu(x, alpha)`.
    public static func apply(_ name: String, to arguments: [Value]) throws(Problem) -> Value {
        guard arguments.count == 2 else { return try apply(name, to: arguments[0]) }
        for argument in arguments {
            if case .text = argument { throw Problem.expectedValue(what: "a number, vector or matrix", got: argument.shapeDescription) }
        }
        switch name {
        case "max": return try Value.broadcast(arguments[0], arguments[1], verb: "compare", Formulas.Larger())
        case "min": return try Value.broadcast(arguments[0], arguments[1], verb: "compare", Formulas.Smaller())
        default:
            let alpha = try slope(arguments[1], of: name)
            guard let activation = Activation(name: name, alpha: alpha), activation.alpha != nil else {
                throw Problem.unknownFunction(name, suggestion: nil)
            }
            return applyActivation(activation, to: arguments[0])
        }
    }

    /// The alpha of `leaky_relu(x, alpha)` or `elu(x, alpha)`: one finite number.
    static func slope(_ value: Value, of name: String) throws(Problem) -> Double {
        guard case .scalar(let alpha) = value, alpha.isFinite else {
            throw Problem.expectedValue(what: "one finite number for \(name)'s alpha", got: value.isFinite ? value.shapeDescription : "NaN or infinity")
        }
        return alpha
    }

    /// Applies a function of one argument that reads only it.
    public static func apply(_ name: String, to argument: Value) throws(Problem) -> Value {
        if case .text = argument { throw Problem.expectedValue(what: "a number, vector or matrix", got: argument.shapeDescription) }
        if let activation = Activation(name: name) {
            if activation == .softmax, case .matrix(let matrix) = argument, matrix.columns == 1, matrix.rows > 1 {
                throw Problem.softmaxOfColumn(rows: matrix.rows)
            }
            return applyActivation(activation, to: argument)
        }
        switch name {
        case "exp":
            // A vector or matrix in one pass (VectorMath: within 1 ulp of exp).
            let (elements, isFinite) = if case .scalar(let x) = argument { ([exp(x)], exp(x).isFinite) } else { VectorMath.exp(argument.elements) }
            if !isFinite, argument.isFinite { throw Problem.overflow(operation: "exp") }
            return argument.withElements(elements)
        case "log", "ln":
            if let bad = argument.elements.first(where: { $0 <= 0 }) {
                throw Problem.domainError(function: name, value: ValueFormatter(precision: 10).format(bad), reason: bad == 0 ? "log of zero is minus infinity" : "log of a negative number is undefined")
            }
            return argument.map { log($0) }
        case "sqrt":
            if let bad = argument.elements.first(where: { $0 < 0 }) {
                throw Problem.domainError(function: "sqrt", value: ValueFormatter(precision: 10).format(bad), reason: "square root of a negative number is undefined")
            }
            return argument.map { $0.squareRoot() }
        case "sin":
            return argument.map { sin($0) }
        case "cos":
            return argument.map { cos($0) }
        case "abs":
            return argument.map { Swift.abs($0) }
        case "sum":
            return .scalar(VectorMath.sum(argument.elements))
        case "mean":
            let elements = argument.elements
            return .scalar(VectorMath.sum(elements) / Double(elements.count))
        case "max":
            return .scalar(argument.elements.max() ?? 0)
        case "min":
            return .scalar(argument.elements.min() ?? 0)
        case "transpose":
            switch argument {
            case .matrix(let matrix): return .matrix(matrix.transposed)
            case .vector(let elements): return .matrix(Matrix(column: elements))
            default: return argument
            }
        default:
            throw Problem.unknownFunction(name, suggestion: Suggestion.closest(to: name, among: names))
        }
    }

    /// An activation applied to a value: elementwise, except softmax, which normalizes a vector
    /// or each row of a matrix (softmax of a single number is 1).
    static func applyActivation(_ activation: Activation, to argument: Value) -> Value {
        switch (activation, argument) {
        case (.sigmoid, .vector), (.sigmoid, .matrix):
            return argument.withElements(VectorMath.sigmoid(argument.elements))  // one pass, within 2 ulp of the formula
        default: break
        }
        guard !activation.isElementwise else { return argument.map(activation.value) }
        switch argument {
        case .vector(let elements): return .vector(activation.apply(Matrix(row: elements)).row(0))
        case .matrix(let matrix): return .matrix(activation.apply(matrix))
        default: return .scalar(1)
        }
    }
}
