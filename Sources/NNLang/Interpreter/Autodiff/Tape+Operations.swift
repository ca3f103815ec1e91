#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

/// Each operation's forward and backward, side by side, so one can be checked against the
/// other at a glance.
///
/// Forward computes the value exactly as evaluation does (through `Value.apply` and
/// `Builtins.apply`), so a value and its errors are the same with or without `grad`.
/// Backward takes g = ∂f/∂output and gives ∂f/∂input for each input, shaped like that input:
/// where an input was broadcast, its gradient is summed over the dimensions it was spread across.
extension Operation {
    /// An operation run forward: its value, its backward, and its elementwise local derivatives.
    struct Step {
        var value: Value
        var backward: (Value) -> [Value]
        var local: [Value?]
    }

    /// The step of this operation on `inputs`; `needsGradient` says which inputs the variable
    /// flows into, so that backward may skip the others (their entries are then placeholders).
    func forward(_ inputs: [Value], needsGradient: [Bool]) throws(Problem) -> Step {
        switch self {
        case .constant, .variable:
            return Step(value: inputs.first ?? .scalar(0), backward: { _ in [] }, local: [])  // leaves are recorded directly
        case .add: return try Self.add(inputs[0], inputs[1])
        case .subtract: return try Self.subtract(inputs[0], inputs[1])
        case .multiply: return try Self.multiply(inputs[0], inputs[1])
        case .divide: return try Self.divide(inputs[0], inputs[1])
        case .power: return try Self.power(inputs[0], inputs[1])
        case .matrixProduct: return try Self.matrixProduct(inputs[0], inputs[1], needsGradient: needsGradient)
        case .negate: return Self.negate(inputs[0])
        case .activation(let activation): return try Self.activation(activation, inputs[0])
        case .slopedActivation(let name): return try Self.slopedActivation(name, inputs[0], alpha: inputs[1])
        case .larger: return try Self.larger(inputs[0], inputs[1])
        case .smaller: return try Self.smaller(inputs[0], inputs[1])
        case .exp: return try Self.exp(inputs[0])
        case .sine:
            let slope = inputs[0].map { cos($0) }
            return Step(value: try Builtins.apply("sin", to: inputs[0]), backward: { g in [Elementwise.combine(g, slope, *)] }, local: [slope])
        case .cosine:
            let slope = inputs[0].map { -sin($0) }
            return Step(value: try Builtins.apply("cos", to: inputs[0]), backward: { g in [Elementwise.combine(g, slope, *)] }, local: [slope])
        case .log: return try Self.log(inputs[0])
        case .squareRoot: return try Self.squareRoot(inputs[0])
        case .absoluteValue: return try Self.absoluteValue(inputs[0])
        case .sum: return try Self.sum(inputs[0])
        case .mean: return try Self.mean(inputs[0])
        case .maximum: return try Self.extreme(inputs[0], name: "max")
        case .minimum: return try Self.extreme(inputs[0], name: "min")
        case .transpose: return try Self.transpose(inputs[0])
        case .element(let indices, let name): return try Self.element(inputs[0], indices: indices, name: name)
        case .select(let axes, let name): return try Self.select(inputs[0], axes: axes, name: name)
        case .join(let horizontal):
            let value = try Builtins.join(inputs, horizontal: horizontal)
            return Step(value: value, backward: { g in Builtins.split(g, like: inputs, horizontal: horizontal) },
                        local: inputs.map { _ in nil })
        case .list: return try Self.list(inputs)
        }
    }

    // MARK: - Arithmetic, with broadcasting

    /// a + b: ∂/∂a = 1, ∂/∂b = 1.
    static func add(_ a: Value, _ b: Value) throws(Problem) -> Step {
        let value = try Value.apply(.add, a, b)
        return Step(value: value, backward: { g in
            [Elementwise.reduce(g, toShapeOf: a), Elementwise.reduce(g, toShapeOf: b)]
        }, local: [.scalar(1), .scalar(1)])
    }

    /// a − b: ∂/∂a = 1, ∂/∂b = −1.
    static func subtract(_ a: Value, _ b: Value) throws(Problem) -> Step {
        let value = try Value.apply(.subtract, a, b)
        return Step(value: value, backward: { g in
            [Elementwise.reduce(g, toShapeOf: a), Elementwise.reduce(g.map { -$0 }, toShapeOf: b)]
        }, local: [.scalar(1), .scalar(-1)])
    }

    /// a ⊙ b: ∂/∂a = b, ∂/∂b = a.
    static func multiply(_ a: Value, _ b: Value) throws(Problem) -> Step {
        let value = try Value.apply(.multiply, a, b)
        return Step(value: value, backward: { g in
            [Elementwise.reduce(Elementwise.combine(g, b, *), toShapeOf: a),
             Elementwise.reduce(Elementwise.combine(g, a, *), toShapeOf: b)]
        }, local: [b, a])
    }

    /// a / b: ∂/∂a = 1/b, ∂/∂b = −a/b².
    static func divide(_ a: Value, _ b: Value) throws(Problem) -> Step {
        let value = try Value.apply(.divide, a, b)
        let overB = b.map { 1 / $0 }
        let minusAOverBSquared = Elementwise.combine(a, b) { -$0 / ($1 * $1) }
        return Step(value: value, backward: { g in
            [Elementwise.reduce(Elementwise.combine(g, overB, *), toShapeOf: a),
             Elementwise.reduce(Elementwise.combine(g, minusAOverBSquared, *), toShapeOf: b)]
        }, local: [overB, minusAOverBSquared])
    }

    /// a ^ b: ∂/∂a = b·a^(b−1), ∂/∂b = a^b·log a (0 where a = 0; not real where a < 0).
    static func power(_ a: Value, _ b: Value) throws(Problem) -> Step {
        let value = try Value.apply(.power, a, b)
        let byBase = Elementwise.combine(a, b) { base, exponent in exponent * pow(base, exponent - 1) }
        let byExponent = Elementwise.combine(a, b) { base, exponent in
            base > 0 ? pow(base, exponent) * naturalLogarithm(base) : (base == 0 ? 0 : .nan)
        }
        return Step(value: value, backward: { g in
            [Elementwise.reduce(Elementwise.combine(g, byBase, *), toShapeOf: a),
             Elementwise.reduce(Elementwise.combine(g, byExponent, *), toShapeOf: b)]
        }, local: [byBase, byExponent])
    }

    /// −a: ∂/∂a = −1.
    static func negate(_ a: Value) -> Step {
        Step(value: a.map { -$0 }, backward: { g in [g.map { -$0 }] }, local: [.scalar(-1)])
    }

    // MARK: - The matrix product

    /// A @ B, numpy style: A: [m, k], B: [k, n] -> [m, n]; ∂/∂A = G Bᵀ, ∂/∂B = Aᵀ G.
    ///
    /// A vector on the left is a row [1, k], on the right a column [k, 1]; its gradient is
    /// given back as a vector again. Only the gradients `needsGradient` asks for are multiplied
    /// out (in `grad(sum(X @ W), W)`, X's would be as much work again); the other is 0.
    static func matrixProduct(_ a: Value, _ b: Value, needsGradient: [Bool] = [true, true]) throws(Problem) -> Step {
        let value = try Value.apply(.matrixProduct, a, b)
        let (needsLeft, needsRight) = (needsGradient.first ?? true, needsGradient.last ?? true)
        return Step(value: value, backward: { g in
            let left = Elementwise.productOperand(a, isLeft: true)
            let right = Elementwise.productOperand(b, isLeft: false)
            // The output as a matrix [m, n], whichever dimension a vector dropped.
            let outputGradient = Matrix(rows: left.rows, columns: right.columns, storage: g.elements)
            let leftGradient = needsLeft ? Elementwise.reshape(Matrix.product(outputGradient, right, transposeB: true), like: a) : .scalar(0)
            let rightGradient = needsRight ? Elementwise.reshape(Matrix.product(left, outputGradient, transposeA: true), like: b) : .scalar(0)
            return [leftGradient, rightGradient]
        }, local: [nil, nil])
    }

    // MARK: - Elementwise functions

    /// φ(a): ∂/∂a = φ'(a) elementwise; softmax, which mixes a row, through its Jacobian:
    /// ∂f/∂z_j = s_j (g_j − Σ_k s_k g_k).
    static func activation(_ activation: Activation, _ a: Value) throws(Problem) -> Step {
        let value = try Builtins.apply(activation.name, to: a)
        guard activation == .softmax else {
            if case .scalar(let z) = a {
                let slope = Value.scalar(activation.derivative(z))
                return Step(value: value, backward: { g in [Elementwise.combine(g, slope, *)] }, local: [slope])
            }
            // A vector or matrix: g ⊙ φ'(z) in one pass by the engine's own backward, which
            // takes φ' from z and the output already computed (σ' = a (1 − a)).
            return Step(value: value, backward: { g in
                guard let net = a.asSampleMatrix, let output = value.asSampleMatrix, g.elements.count == net.count else {
                    return [Elementwise.combine(g, a.map(activation.derivative), *)]
                }
                let gradient = Matrix(rows: net.rows, columns: net.columns, storage: g.elements)
                return [a.withElements(activation.backward(net: net, output: output, outputGradient: gradient).storage)]
            }, local: [nil])
        }
        return Step(value: value, backward: { g in
            switch (a, value) {
            case (.vector(let z), .vector(let s)):
                return [.vector(activation.backward(net: Matrix(row: z), output: Matrix(row: s), outputGradient: Matrix(row: g.elements)).storage)]
            case (.matrix(let z), .matrix(let s)):
                let gradient = Matrix(rows: z.rows, columns: z.columns, storage: g.elements)
                return [.matrix(activation.backward(net: z, output: s, outputGradient: gradient))]
            default:
                return [.scalar(0)]  // softmax of one number is the constant 1
            }
        }, local: [nil])
    }

    /// leaky_relu(a, α) or elu(a, α): ∂/∂a = φ'(a) elementwise; ∂/∂α = a below 0 for leaky_relu
    /// (α a), eᵃ − 1 below 0 for elu (α (eᵃ − 1)), and 0 above.
    static func slopedActivation(_ name: String, _ a: Value, alpha alphaValue: Value) throws(Problem) -> Step {
        let value = try Builtins.apply(name, to: [a, alphaValue])
        let activation = Activation(name: name, alpha: try Builtins.slope(alphaValue, of: name)) ?? .linear
        let slope = a.map(activation.derivative)
        let byAlpha = a.map { z in z > 0 ? 0 : (name == "elu" ? expm1(z) : z) }
        return Step(value: value, backward: { g in
            [Elementwise.combine(g, slope, *), Elementwise.reduce(Elementwise.combine(g, byAlpha, *), toShapeOf: alphaValue)]
        }, local: [slope, byAlpha])
    }

    /// max(a, b) elementwise: ∂/∂a = 1 where a ≥ b (a tie goes to a), ∂/∂b = 1 where b > a.
    static func larger(_ a: Value, _ b: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("max", to: [a, b])
        let byA = Elementwise.combine(a, b) { $0 >= $1 ? 1 : 0 }
        return choice(value, a, b, byA: byA)
    }

    /// min(a, b) elementwise: ∂/∂a = 1 where a ≤ b (a tie goes to a), ∂/∂b = 1 where b < a.
    static func smaller(_ a: Value, _ b: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("min", to: [a, b])
        let byA = Elementwise.combine(a, b) { $0 <= $1 ? 1 : 0 }
        return choice(value, a, b, byA: byA)
    }

    /// The step of max or min: each element's gradient goes to the operand it chose, summed back
    /// over the dimensions that operand was broadcast across.
    private static func choice(_ value: Value, _ a: Value, _ b: Value, byA: Value) -> Step {
        let byB = byA.map { 1 - $0 }
        return Step(value: value, backward: { g in
            [Elementwise.reduce(Elementwise.combine(g, byA, *), toShapeOf: a),
             Elementwise.reduce(Elementwise.combine(g, byB, *), toShapeOf: b)]
        }, local: [byA, byB])
    }

    /// exp(a): ∂/∂a = exp(a).
    static func exp(_ a: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("exp", to: a)
        return Step(value: value, backward: { g in [Elementwise.combine(g, value, *)] }, local: [value])
    }

    /// log(a): ∂/∂a = 1/a.
    static func log(_ a: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("log", to: a)
        let slope = a.map { 1 / $0 }
        return Step(value: value, backward: { g in [Elementwise.combine(g, slope, *)] }, local: [slope])
    }

    /// sqrt(a): ∂/∂a = 1 / (2 sqrt(a)), infinite at 0.
    static func squareRoot(_ a: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("sqrt", to: a)
        let slope = value.map { 1 / (2 * $0) }
        return Step(value: value, backward: { g in [Elementwise.combine(g, slope, *)] }, local: [slope])
    }

    /// abs(a): ∂/∂a = sign(a), taken as 0 at 0.
    static func absoluteValue(_ a: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("abs", to: a)
        let slope = a.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        return Step(value: value, backward: { g in [Elementwise.combine(g, slope, *)] }, local: [slope])
    }

    // MARK: - Reductions and shape

    /// sum(a) = Σ a_i: ∂/∂a_i = 1.
    static func sum(_ a: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("sum", to: a)
        return Step(value: value, backward: { g in [Elementwise.filled(like: a, with: g.elements.first ?? 0)] },
                    local: [Elementwise.localOfReduction(a, slope: 1)])
    }

    /// mean(a) = Σ a_i / n: ∂/∂a_i = 1/n.
    static func mean(_ a: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("mean", to: a)
        let share = 1 / Double(a.elements.count)
        return Step(value: value, backward: { g in [Elementwise.filled(like: a, with: share * (g.elements.first ?? 0))] },
                    local: [Elementwise.localOfReduction(a, slope: share)])
    }

    /// max(a) or min(a): ∂/∂a_i = 1 at the first element that is the extreme, 0 elsewhere.
    static func extreme(_ a: Value, name: String) throws(Problem) -> Step {
        let value = try Builtins.apply(name, to: a)
        let chosen = a.elements.firstIndex(of: value.elements.first ?? 0) ?? 0
        let indicator = Elementwise.oneHot(like: a, at: chosen, value: 1)
        return Step(value: value, backward: { g in [Elementwise.combine(indicator, g, *)] }, local: [indicator])
    }

    /// transpose(a): the gradient is transposed back (a vector had become a column).
    static func transpose(_ a: Value) throws(Problem) -> Step {
        let value = try Builtins.apply("transpose", to: a)
        return Step(value: value, backward: { g in
            switch (a, g) {
            case (.matrix, .matrix(let gradient)): return [.matrix(gradient.transposed)]
            case (.vector, _): return [.vector(g.elements)]
            default: return [g]
            }
        }, local: [nil])
    }

    /// a[i] or a[i, j]: the gradient flows to that one element.
    static func element(_ a: Value, indices: [Int], name: String) throws(Problem) -> Step {
        let value = Value.scalar(try a.element(at: indices, name: name))
        let flat: Int
        if case .matrix(let matrix) = a, indices.count == 2 {
            flat = (indices[0] - 1) * matrix.columns + (indices[1] - 1)
        } else {
            flat = indices[0] - 1
        }
        return Step(value: value, backward: { g in
            [Elementwise.oneHot(like: a, at: flat, value: g.elements.first ?? 0)]
        }, local: [Elementwise.oneHot(like: a, at: flat, value: 1)])
    }

    /// a[axes]: the selected part; its gradient goes back to the positions it came from, 0 elsewhere.
    static func select(_ a: Value, axes: [Axis], name: String) throws(Problem) -> Step {
        let text = "[" + axes.map { axis in
            switch axis {
            case .single(let position): String(position)
            case .many(let positions): "[" + positions.map(String.init).joined(separator: ", ") + "]"
            }
        }.joined(separator: ", ") + "]"
        let value = try a.selecting(axes, name: name, text: text)
        return Step(value: value, backward: { g in [a.scatter(g, axes)] }, local: [nil])
    }

    /// [a, b, …]: scalars make a vector, vectors the rows of a matrix; each gets its part back.
    static func list(_ elements: [Value]) throws(Problem) -> Step {
        let value: Value
        if elements.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
            value = .vector(elements.flatMap(\.elements))
        } else {
            var rows: [[Double]] = []
            for (index, element) in elements.enumerated() {
                guard case .vector(let row) = element else {
                    throw Problem.expectedValue(what: "a row like [1, 2] in a matrix", got: element.shapeDescription)
                }
                if let first = rows.first, first.count != row.count {
                    throw Problem.raggedMatrix(row: index + 1, count: row.count, expected: first.count)
                }
                rows.append(row)
            }
            value = .matrix(Matrix(rows))
        }
        return Step(value: value, backward: { g in
            switch g {
            case .matrix(let gradient): return (0..<gradient.rows).map { .vector(gradient.row($0)) }
            default: return g.elements.map(Value.scalar)
            }
        }, local: elements.map { _ in nil })
    }
}

/// `log` by another name, since `Operation.log` hides the C function inside the extension.
private func naturalLogarithm(_ x: Double) -> Double { log(x) }

/// Elementwise helpers for gradients, whose shapes the forward pass has already checked.
enum Elementwise {
    /// `a op b` with the broadcasting of `Value.apply`, in its loops.
    static func combine(_ a: Value, _ b: Value, _ operation: (Double, Double) -> Double) -> Value {
        Value.combine(a, b, operation)?.value ?? a
    }

    /// `value` everywhere, shaped like `shape`: the gradient a sum or mean sends back.
    static func filled(like shape: Value, with value: Double) -> Value {
        if case .scalar = shape { return .scalar(value) }
        return shape.withElements([Double](repeating: value, count: shape.elements.count))
    }

    /// The local derivative of a sum or mean, for `explain`: written out where the input is
    /// one number, nil for a vector or matrix, whose every element has the same `slope`.
    static func localOfReduction(_ input: Value, slope: Double) -> Value? {
        if case .scalar = input { return .scalar(slope) }
        return nil
    }

    /// A gradient shaped like an operation's output, summed down to the shape of an input that
    /// was broadcast: over everything for a scalar, over the rows for a vector beside a matrix.
    static func reduce(_ gradient: Value, toShapeOf input: Value) -> Value {
        switch (input, gradient) {
        case (.scalar, .scalar): return gradient
        case (.scalar, _): return .scalar(gradient.elements.reduce(0, +))
        case (.vector, .matrix(let matrix)): return .vector(matrix.columnSums())
        default: return gradient
        }
    }

    /// Zeros shaped like `shape`, with `value` at flat index `index`.
    static func oneHot(like shape: Value, at index: Int, value: Double) -> Value {
        var position = 0
        return shape.map { _ in
            defer { position += 1 }
            return position == index ? value : 0
        }
    }

    /// A value as the matrix `@` multiplies: a vector is a row on the left, a column on the right.
    static func productOperand(_ value: Value, isLeft: Bool) -> Matrix {
        switch value {
        case .matrix(let matrix): return matrix
        case .vector(let elements): return isLeft ? Matrix(row: elements) : Matrix(column: elements)
        case .scalar(let number): return Matrix(row: [number])
        case .text: return Matrix(rows: 0, columns: 0)
        }
    }

    /// A matrix gradient given back in its operand's shape: a vector stays a vector.
    static func reshape(_ gradient: Matrix, like operand: Value) -> Value {
        if case .matrix = operand { return .matrix(gradient) }
        return .vector(gradient.storage)
    }
}
