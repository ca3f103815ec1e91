#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

extension Problem: Error {}

/// The operators of expressions: elementwise with broadcasting, and the matrix product.
extension Value {
    /// `left op right` for `+ - * /` (elementwise) and `@` (matrix product).
    ///
    /// Broadcasting follows numpy: a scalar goes with anything, and a vector of n goes with a
    /// matrix of n columns (it is applied to every row). Anything else must have the same shape.
    public static func apply(_ operation: BinaryOperator, _ left: Value, _ right: Value) throws(Problem) -> Value {
        if case .text = left { throw Problem.expectedValue(what: "a number, vector or matrix", got: left.shapeDescription) }
        if case .text = right { throw Problem.expectedValue(what: "a number, vector or matrix", got: right.shapeDescription) }
        if operation == .matrixProduct { return try matrixProduct(left, right) }
        if operation == .divide, right.elements.contains(0) { throw Problem.divisionByZero }
        // Each operator's formula is a type, so the loop is compiled with it inlined.
        let combination: Combination?
        switch operation {
        case .add: combination = combine(left, right, Formulas.Add())
        case .subtract: combination = combine(left, right, Formulas.Subtract())
        case .multiply: combination = combine(left, right, Formulas.Multiply())
        case .divide, .matrixProduct: combination = combine(left, right, Formulas.Divide())
        // Comparisons give 1 for true and 0 for false, elementwise.
        case .equal: combination = combine(left, right, Formulas.Equal())
        case .notEqual: combination = combine(left, right, Formulas.NotEqual())
        case .less: combination = combine(left, right, Formulas.Less())
        case .lessEqual: combination = combine(left, right, Formulas.LessEqual())
        case .greater: combination = combine(left, right, Formulas.Greater())
        case .greaterEqual: combination = combine(left, right, Formulas.GreaterEqual())
        case .power: combination = combine(left, right, Formulas.Power())
        case .and: combination = combine(left, right, Formulas.And())
        case .or: combination = combine(left, right, Formulas.Or())
        }
        guard let combination else {
            throw Problem.shapeMismatch(operation: operation.verb, left: left.shapeDescription, right: right.shapeDescription)
        }
        let result = combination.value
        // The operands are looked at again only when the result has a NaN or an infinity.
        guard !combination.resultIsFinite, left.isFinite, right.isFinite else { return result }
        if operation == .power, result.elements.contains(where: \.isNaN) {
            throw Problem.domainError(function: "^", value: "a negative number", reason: "a negative number to a fractional power is not a real number")
        }
        throw Problem.overflow(operation: operation.noun)
    }

    /// `formula` of each pair of elements, broadcast as `apply` describes; `verb` says what a
    /// shape mismatch could not do ("cannot add a vector of 2 and a vector of 3").
    static func broadcast<Formula: ElementFormula>(_ left: Value, _ right: Value, verb: String, _ formula: Formula) throws(Problem) -> Value {
        guard let combination = Value.combine(left, right, formula) else {
            throw Problem.shapeMismatch(operation: verb, left: left.shapeDescription, right: right.shapeDescription)
        }
        return combination.value
    }

    /// The matrix product, numpy style: a vector on the left is a row, on the right a column,
    /// and the result drops the dimension a vector contributed (vector @ vector is the dot product).
    /// Long products go a block of rows at a time, asking `poll` before each: a stopped one
    /// throws `interruptedPart` with the rows done.
    static func matrixProduct(_ left: Value, _ right: Value, poll: StopPoll = .never) throws(Problem) -> Value {
        guard let a = left.asProductOperand(isLeft: true), let b = right.asProductOperand(isLeft: false) else {
            throw Problem.expectedValue(what: "vectors or matrices on both sides of '@'", got: "\(left.shapeDescription) and \(right.shapeDescription)")
        }
        guard a.columns == b.rows else {
            throw Problem.productShapeMismatch(left: left.shapeDescription, right: right.shapeDescription)
        }
        var (done, tiles) = (0, 0)
        guard let product = Matrix.product(a, b, poll: poll, onTile: { (done, tiles) = ($0, $1) }) else {
            throw Problem.interruptedPart(done: done, of: "of \(tiles) tiles of the product")
        }
        switch (left, right) {
        case (.vector, .vector): return .scalar(product[0, 0])
        case (.vector, _): return .vector(product.row(0))
        case (_, .vector): return .vector(product.storage)
        default: return .matrix(product)
        }
    }

    private func asProductOperand(isLeft: Bool) -> Matrix? {
        switch self {
        case .vector(let elements): return isLeft ? Matrix(row: elements) : Matrix(column: elements)
        case .matrix(let matrix): return matrix
        case .scalar, .text: return nil
        }
    }

    /// The element at 1-based `indices`: one index for a vector, two for a matrix.
    public func element(at indices: [Int], name: String) throws(Problem) -> Double {
        switch self {
        case .vector(let elements):
            guard indices.count == 1 else { throw Problem.wrongIndexCount(name: name, expected: 1, got: indices.count) }
            guard (1...elements.count).contains(indices[0]) else {
                throw Problem.indexOutOfRange(name: name, index: Value.indexText(indices), shape: shapeDescription)
            }
            return elements[indices[0] - 1]
        case .matrix(let matrix):
            guard indices.count == 2 else { throw Problem.wrongIndexCount(name: name, expected: 2, got: indices.count) }
            guard (1...matrix.rows).contains(indices[0]), (1...matrix.columns).contains(indices[1]) else {
                throw Problem.indexOutOfRange(name: name, index: Value.indexText(indices), shape: shapeDescription)
            }
            return matrix[indices[0] - 1, indices[1] - 1]
        case .scalar, .text:
            throw Problem.expectedValue(what: "a vector or matrix to index", got: shapeDescription)
        }
    }

    /// A copy with the element at 1-based `indices` replaced.
    public func replacingElement(at indices: [Int], with newValue: Double, name: String) throws(Problem) -> Value {
        _ = try element(at: indices, name: name)  // checks the indices
        switch self {
        case .vector(var elements):
            elements[indices[0] - 1] = newValue
            return .vector(elements)
        case .matrix(var matrix):
            matrix[indices[0] - 1, indices[1] - 1] = newValue
            return .matrix(matrix)
        case .scalar, .text:
            return self
        }
    }

    /// `[2,1]` as messages write an index.
    static func indexText(_ indices: [Int]) -> String {
        "[" + indices.map(String.init).joined(separator: ",") + "]"
    }
}
