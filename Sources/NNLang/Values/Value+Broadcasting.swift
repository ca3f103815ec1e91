import NNEngine

/// The loops behind every elementwise operator: numpy's broadcasting over contiguous storage,
/// one pass that also notes whether any operand or result is NaN or infinite.
extension Value {
    /// An elementwise result, and what `apply` checks of it without another pass.
    struct Combination {
        var value: Value
        /// Whether every element of both operands is finite.
        var operandsAreFinite: Bool
        /// Whether every element of the result is finite.
        var resultIsFinite: Bool
    }

    /// `combine` of each pair of elements with numpy's broadcasting: a scalar goes with
    /// anything, a vector of n with every row of a matrix of n columns, and otherwise the shapes
    /// must be the same; nil when they are not. Text has no elements and gives nil.
    ///
    /// Inlined so that each caller's `combine` is compiled into the loops.
    @inline(__always)
    static func combine(_ left: Value, _ right: Value, _ combine: (Double, Double) -> Double) -> Combination? {
        switch (left, right) {
        case (.scalar(let a), .scalar(let b)):
            let result = combine(a, b)
            return Combination(value: .scalar(result), operandsAreFinite: a.isFinite && b.isFinite, resultIsFinite: result.isFinite)
        case (.scalar(let a), .vector), (.scalar(let a), .matrix):
            return right.reshaped(Loops.withScalar(right.elements, a.isFinite) { combine(a, $0) })
        case (.vector, .scalar(let b)), (.matrix, .scalar(let b)):
            return left.reshaped(Loops.withScalar(left.elements, b.isFinite) { combine($0, b) })
        case (.vector(let a), .vector(let b)) where a.count == b.count:
            return left.reshaped(Loops.byRows(a, b, combine))
        case (.matrix(let a), .matrix(let b)) where a.rows == b.rows && a.columns == b.columns:
            return left.reshaped(Loops.byRows(a.storage, b.storage, combine))
        case (.matrix(let a), .vector(let b)) where a.columns == b.count:
            return left.reshaped(Loops.byRows(a.storage, b, combine))
        case (.vector(let a), .matrix(let b)) where b.columns == a.count:
            return right.reshaped(Loops.byRows(b.storage, a) { combine($1, $0) })
        default:
            return nil
        }
    }

    /// The loop's elements in this value's shape.
    private func reshaped(_ loop: Loops.Outcome) -> Combination {
        let value: Value
        switch self {
        case .matrix(let matrix): value = .matrix(Matrix(rows: matrix.rows, columns: matrix.columns, storage: loop.elements))
        default: value = .vector(loop.elements)
        }
        return Combination(value: value, operandsAreFinite: loop.operandsAreFinite, resultIsFinite: loop.resultIsFinite)
    }
}

/// The two loop shapes of broadcasting, on unsafe buffers, writing a new array once.
private enum Loops {
    struct Outcome {
        var elements: [Double]
        var operandsAreFinite: Bool
        var resultIsFinite: Bool
    }

    /// `combine(x)` for every element x, with a scalar operand whose finiteness is given.
    @inline(__always)
    static func withScalar(_ elements: [Double], _ scalarIsFinite: Bool, _ combine: (Double) -> Double) -> Outcome {
        var (operandFlags, resultFlags): (UInt64, UInt64) = (0, 0)
        let count = elements.count
        let result = elements.withUnsafeBufferPointer { input in
            [Double](unsafeUninitializedCapacity: count) { output, initialized in
                for i in 0..<count {
                    let value = combine(input[i])
                    output[i] = value
                    operandFlags |= VectorMath.nonFiniteFlag(input[i])
                    resultFlags |= VectorMath.nonFiniteFlag(value)
                }
                initialized = count
            }
        }
        return Outcome(elements: result, operandsAreFinite: scalarIsFinite && operandFlags & VectorMath.nonFiniteBit == 0,
                       resultIsFinite: resultFlags & VectorMath.nonFiniteBit == 0)
    }

    /// `combine(a[i], b[i mod n])` for every element of `a`, `b` holding one row of n (or all
    /// of `a`'s count, for two operands of the same shape).
    @inline(__always)
    static func byRows(_ a: [Double], _ b: [Double], _ combine: (Double, Double) -> Double) -> Outcome {
        var (operandFlags, resultFlags): (UInt64, UInt64) = (0, 0)
        let (count, rowLength) = (a.count, b.count)
        let result = a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                [Double](unsafeUninitializedCapacity: count) { output, initialized in
                    for value in right { operandFlags |= VectorMath.nonFiniteFlag(value) }
                    var start = 0
                    while start < count {
                        for column in 0..<rowLength {
                            let value = combine(left[start + column], right[column])
                            output[start + column] = value
                            operandFlags |= VectorMath.nonFiniteFlag(left[start + column])
                            resultFlags |= VectorMath.nonFiniteFlag(value)
                        }
                        start += rowLength
                    }
                    initialized = count
                }
            }
        }
        return Outcome(elements: result, operandsAreFinite: operandFlags & VectorMath.nonFiniteBit == 0,
                       resultIsFinite: resultFlags & VectorMath.nonFiniteBit == 0)
    }
}
