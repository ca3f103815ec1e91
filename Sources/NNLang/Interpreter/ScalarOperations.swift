#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Operators on two numbers, as the evaluator computes them when both sides are scalars: the
/// result and the errors of `Value.apply` on two scalars (tests compare the two on every operator
/// and on zeros, infinities and NaN), without building vectors on the way.
extension Value {
    /// `a OP b` for two numbers; not `@`, which has its own rules.
    @inline(__always)
    static func apply(_ operation: BinaryOperator, _ a: Double, _ b: Double) throws(Problem) -> Double {
        let result: Double
        switch operation {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide, .matrixProduct: result = a / b
        case .power: result = pow(a, b)
        // Comparisons give 1 for true and 0 for false.
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .greaterEqual: return a >= b ? 1 : 0
        case .and: return a != 0 && b != 0 ? 1 : 0
        case .or: return a != 0 || b != 0 ? 1 : 0
        }
        if result.isFinite { return result }
        try checkUnfinite(result, of: operation, a, b)
        return result
    }

    /// Why a result that is not a finite number is an error, if it is: a division by 0 always
    /// is (it never gives a finite number), a NaN power of finite numbers is a negative number
    /// to a fractional power, and infinity from finite numbers is an overflow.
    @inline(never)
    private static func checkUnfinite(_ result: Double, of operation: BinaryOperator, _ a: Double, _ b: Double) throws(Problem) {
        if operation == .divide || operation == .matrixProduct, b == 0 { throw Problem.divisionByZero }
        guard a.isFinite, b.isFinite else { return }
        if operation == .power, result.isNaN {
            throw Problem.domainError(function: "^", value: "a negative number", reason: "a negative number to a fractional power is not a real number")
        }
        throw Problem.overflow(operation: operation.noun)
    }

    /// `OP x` for a number.
    @inline(__always)
    static func apply(_ operation: UnaryOperator, _ x: Double) -> Double {
        switch operation {
        case .negate: return -x
        case .plus: return x
        case .not: return x == 0 ? 1 : 0
        }
    }
}

/// The numbers of `range(a, b[, step])`, one at a time: a, a + step, … while below b (above b
/// for a negative step), and its errors. `for` walks them one by one; `Builtins.range` makes
/// them all at once from this.
struct RangeSequence {
    let start: Double
    let step: Double
    let count: Int

    init(_ bounds: [Double]) throws(Problem) {
        (start, step) = (bounds[0], bounds.count > 2 ? bounds[2] : 1)
        let end = bounds[1]
        guard step != 0, step.isFinite else {
            throw Problem.settingOutOfRange(setting: "range's step", range: "a number other than 0", got: ValueFormatter(precision: 10).format(step))
        }
        // Counted as a Double first: range(0, 1e300) has more elements than an Int holds.
        let exactCount = ((end - start) / step).rounded(.up)
        guard exactCount > 0 else { throw Problem.emptyList }
        guard exactCount <= 10_000_000 else {
            throw Problem.tooManyElements(count: exactCount < 0x1p63 ? Int(exactCount) : Int.max, limit: 10_000_000)
        }
        count = Int(exactCount)
    }

    /// The `index`-th number, from 0.
    @inline(__always)
    func element(_ index: Int) -> Double {
        start + Double(index) * step
    }
}
