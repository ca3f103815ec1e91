import NNEngine

/// `+ − × ÷` written into the storage of an operand that nothing else holds: a temporary such as
/// the `v * v` of `v * v + 1`, which the evaluator made and would drop. numpy does the same with
/// its temporaries; it saves allocating, and touching, a third buffer of the operands' size.
extension Value {
    /// `left op right` as `apply` computes it, written over `left`'s storage when
    /// `leftIsTemporary` and the result has `left`'s shape, else over `right`'s when
    /// `rightIsTemporary` and the result has its shape; nil (and both operands as they were) when
    /// neither can take it, and the caller goes on to `apply`. The errors are `apply`'s.
    ///
    /// The caller must own a temporary alone: once its value has been taken out of the operand,
    /// the storage has one reference, so writing into it copies nothing.
    static func applyInPlace(_ operation: BinaryOperator, _ left: inout Value, _ right: inout Value,
                             leftIsTemporary: Bool, rightIsTemporary: Bool) throws(Problem) -> Value? {
        let kernel: VectorMath.Arithmetic
        switch operation {
        case .add: kernel = .add
        case .subtract: kernel = .subtract
        case .multiply: kernel = .multiply
        case .divide: kernel = .divide
        default: return nil
        }
        if leftIsTemporary, let row = left.rowWithin(right) {
            if operation == .divide, row.contains(0) { throw Problem.divisionByZero }
            let (result, flags) = left.overwritten(kernel, row: row, swapped: false)
            return try checked(result, flags, other: right, operation: operation)
        }
        if rightIsTemporary, let row = right.rowWithin(left) {
            if operation == .divide, right.elements.contains(0) { throw Problem.divisionByZero }
            let (result, flags) = right.overwritten(kernel, row: row, swapped: true)
            return try checked(result, flags, other: left, operation: operation)
        }
        return nil
    }

    /// The other operand as one row that broadcasts over every row of this value, when the
    /// result of an elementwise operator has this value's shape: a scalar, the same shape, or a
    /// vector of a matrix's columns.
    private func rowWithin(_ other: Value) -> [Double]? {
        switch (self, other) {
        case (.vector, .scalar(let b)), (.matrix, .scalar(let b)): return [b]
        case (.vector(let a), .vector(let b)) where a.count == b.count: return b
        case (.matrix(let a), .matrix(let b)) where a.rows == b.rows && a.columns == b.columns: return b.storage
        case (.matrix(let a), .vector(let b)) where a.columns == b.count: return b
        default: return nil
        }
    }

    /// This value with `kernel` of each element and the row (the row first when `swapped`)
    /// written over its storage; self is left a scalar, so the storage has no other reference.
    private mutating func overwritten(_ kernel: VectorMath.Arithmetic, row: [Double], swapped: Bool)
        -> (Value, (isFinite: Bool, operandWasFinite: Bool)) {
        switch self {
        case .vector(var elements):
            self = .scalar(0)
            let flags = VectorMath.arithmeticInPlace(kernel, &elements, row, swapped: swapped)
            return (.vector(elements), flags)
        case .matrix(var matrix):
            self = .scalar(0)
            let flags = VectorMath.arithmeticInPlace(kernel, &matrix.storage, row, swapped: swapped)
            return (.matrix(matrix), flags)
        case .scalar, .text:
            return (self, (true, true))  // not reached: rowWithin takes vectors and matrices only
        }
    }

    /// `apply`'s overflow check: a NaN or an infinity from finite operands is an overflow.
    private static func checked(_ result: Value, _ flags: (isFinite: Bool, operandWasFinite: Bool), other: Value,
                                operation: BinaryOperator) throws(Problem) -> Value {
        guard !flags.isFinite, flags.operandWasFinite, other.isFinite else { return result }
        throw Problem.overflow(operation: operation.noun)
    }
}
