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
        case .divide, .matrixProduct:
            if b == 0 { throw Problem.divisionByZero }
            result = a / b
        // Comparisons give 1 for true and 0 for false.
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .greaterEqual: return a >= b ? 1 : 0
        case .and: return a != 0 && b != 0 ? 1 : 0
        case .or: return a != 0 || b != 0 ? 1 : 0
        case .power:
            result = pow(a, b)
            if result.isNaN, a.isFinite, b.isFinite {
                throw Problem.domainError(function: "^", value: "a negative number", reason: "a negative number to a fractional power is not a real number")
            }
        }
        if !result.isFinite, a.isFinite, b.isFinite { throw Problem.overflow(operation: operation.noun) }
        return result
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
