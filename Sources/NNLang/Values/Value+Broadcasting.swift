#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

/// A formula of two numbers, as a type: the broadcasting loops are generic over it, so each is
/// compiled with its formula inlined, where a closure would be called for every element.
protocol ElementFormula {
    func callAsFunction(_ x: Double, _ y: Double) -> Double
    /// The arithmetic kernel that computes this formula eight numbers at a time, if one does.
    static var kernel: (operation: VectorMath.Arithmetic, swapped: Bool)? { get }
}

extension ElementFormula {
    static var kernel: (operation: VectorMath.Arithmetic, swapped: Bool)? { nil }
}

/// The formulas of the elementwise operators and of `max(a, b)` and `min(a, b)`.
enum Formulas {
    // + − × ÷ also name the kernel that runs the same operation on a whole buffer.
    struct Add: ElementFormula {
        func callAsFunction(_ x: Double, _ y: Double) -> Double { x + y }
        static var kernel: (operation: VectorMath.Arithmetic, swapped: Bool)? { (.add, false) }
    }
    struct Subtract: ElementFormula {
        func callAsFunction(_ x: Double, _ y: Double) -> Double { x - y }
        static var kernel: (operation: VectorMath.Arithmetic, swapped: Bool)? { (.subtract, false) }
    }
    struct Multiply: ElementFormula {
        func callAsFunction(_ x: Double, _ y: Double) -> Double { x * y }
        static var kernel: (operation: VectorMath.Arithmetic, swapped: Bool)? { (.multiply, false) }
    }
    struct Divide: ElementFormula {
        func callAsFunction(_ x: Double, _ y: Double) -> Double { x / y }
        static var kernel: (operation: VectorMath.Arithmetic, swapped: Bool)? { (.divide, false) }
    }
    struct Power: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { pow(x, y) } }
    // Comparisons and logic give 1 for true and 0 for false.
    struct Equal: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { x == y ? 1 : 0 } }
    struct NotEqual: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { x != y ? 1 : 0 } }
    struct Less: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { x < y ? 1 : 0 } }
    struct LessEqual: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { x <= y ? 1 : 0 } }
    struct Greater: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { x > y ? 1 : 0 } }
    struct GreaterEqual: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { x >= y ? 1 : 0 } }
    struct And: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { x != 0 && y != 0 ? 1 : 0 } }
    struct Or: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { x != 0 || y != 0 ? 1 : 0 } }
    struct Larger: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { Swift.max(x, y) } }
    struct Smaller: ElementFormula { func callAsFunction(_ x: Double, _ y: Double) -> Double { Swift.min(x, y) } }

    /// Any function of two numbers, called through (for gradients' one-off formulas).
    struct Function: ElementFormula {
        let body: (Double, Double) -> Double
        func callAsFunction(_ x: Double, _ y: Double) -> Double { body(x, y) }
    }

    /// A formula with its operands swapped: a vector on the left of a matrix is read as the
    /// matrix's rows on the left.
    struct Swapped<Formula: ElementFormula>: ElementFormula {
        let formula: Formula
        func callAsFunction(_ x: Double, _ y: Double) -> Double { formula(y, x) }
        static var kernel: (operation: VectorMath.Arithmetic, swapped: Bool)? { Formula.kernel.map { ($0.operation, !$0.swapped) } }
    }
}

/// The loops behind every elementwise operator: numpy's broadcasting over contiguous storage,
/// one pass that also notes whether any result is NaN or infinite.
extension Value {
    /// An elementwise result, and what `apply` checks of it without another pass.
    struct Combination {
        var value: Value
        /// Whether every element of the result is finite.
        var resultIsFinite: Bool
    }

    /// `formula` of each pair of elements with numpy's broadcasting: a scalar goes with
    /// anything, a vector of n with every row of a matrix of n columns, and otherwise the shapes
    /// must be the same; nil when they are not. Text has no elements and gives nil.
    static func combine<Formula: ElementFormula>(_ left: Value, _ right: Value, _ formula: Formula) -> Combination? {
        switch (left, right) {
        case (.scalar(let a), .scalar(let b)):
            let result = formula(a, b)
            return Combination(value: .scalar(result), resultIsFinite: result.isFinite)
        case (.scalar(let a), .vector), (.scalar(let a), .matrix):
            return right.reshaped(Loops.byRows(right.elements, [a], Formulas.Swapped(formula: formula)))
        case (.vector, .scalar(let b)), (.matrix, .scalar(let b)):
            return left.reshaped(Loops.byRows(left.elements, [b], formula))
        case (.vector(let a), .vector(let b)) where a.count == b.count:
            return left.reshaped(Loops.byRows(a, b, formula))
        case (.matrix(let a), .matrix(let b)) where a.rows == b.rows && a.columns == b.columns:
            return left.reshaped(Loops.byRows(a.storage, b.storage, formula))
        case (.matrix(let a), .vector(let b)) where a.columns == b.count:
            return left.reshaped(Loops.byRows(a.storage, b, formula))
        case (.vector(let a), .matrix(let b)) where b.columns == a.count:
            return right.reshaped(Loops.byRows(b.storage, a, Formulas.Swapped(formula: formula)))
        default:
            return nil
        }
    }

    /// `body` of each pair of elements, broadcast as `combine(_:_:_:)` with a formula type.
    static func combine(_ left: Value, _ right: Value, _ body: (Double, Double) -> Double) -> Combination? {
        withoutActuallyEscaping(body) { body in combine(left, right, Formulas.Function(body: body)) }
    }

    /// The loop's elements in this value's shape.
    private func reshaped(_ loop: Loops.Outcome) -> Combination {
        Combination(value: withElements(loop.elements), resultIsFinite: loop.resultIsFinite)
    }
}

/// The one loop of broadcasting, on unsafe buffers, writing a new array once: the arithmetic
/// kernel's for + − × ÷, a loop compiled with the formula for the others.
private enum Loops {
    struct Outcome {
        var elements: [Double]
        var resultIsFinite: Bool
    }

    /// `formula(a[i], b[i mod n])` for every element of `a`, `b` holding one row of n: all of
    /// `a`'s count for two operands of the same shape, a matrix's row, or one scalar.
    static func byRows<Formula: ElementFormula>(_ a: [Double], _ b: [Double], _ formula: Formula) -> Outcome {
        if let kernel = Formula.kernel {
            let (elements, isFinite) = VectorMath.arithmetic(kernel.operation, a, b, swapped: kernel.swapped)
            return Outcome(elements: elements, resultIsFinite: isFinite)
        }
        var resultFlags: UInt64 = 0
        let (count, rowLength) = (a.count, b.count)
        let result = a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                [Double](unsafeUninitializedCapacity: count) { output, initialized in
                    guard let x = left.baseAddress, let y = right.baseAddress, let z = output.baseAddress else { return }
                    HugePages.advise(z, byteCount: count * MemoryLayout<Double>.size)
                    var start = 0
                    while start < count {
                        for column in 0..<rowLength {
                            let value = formula(x[start + column], y[column])
                            z[start + column] = value
                            resultFlags |= VectorMath.nonFiniteFlag(value)
                        }
                        start += rowLength
                    }
                    initialized = count
                }
            }
        }
        return Outcome(elements: result, resultIsFinite: resultFlags & VectorMath.nonFiniteBit == 0)
    }
}
