import Foundation
import NNKernels

/// Whole-buffer element-wise functions and reductions, for the expression language's large
/// values: one pass over contiguous storage, no closure per element.
///
/// `exp` and `sigmoid` go to the AVX-512 kernels (`Sources/NNKernels`) where `ProductKernels`
/// are available (within 1 ulp of Foundation's `exp`, 2 of `Activation.sigmoid`'s formula;
/// `VectorMathTests` checks both over the whole range of doubles), and to the scalar functions
/// elsewhere. `sum` is NumPy's pairwise summation everywhere.
public enum VectorMath {
    /// e^x for every element, and whether every result is finite (checked in the same pass).
    public static func exp(_ values: [Double]) -> (elements: [Double], isFinite: Bool) {
        var nonFinite = false
        let elements = mapping(values) { input, output, count in
            if ProductKernels.isAvailable {
                nonFinite = nn_kernel_exp(input, output, count) != 0
            } else {
                var flags: UInt64 = 0
                for i in 0..<count {
                    output[i] = Foundation.exp(input[i])
                    flags |= nonFiniteFlag(output[i])
                }
                nonFinite = flags & nonFiniteBit != 0
            }
        }
        return (elements, !nonFinite)
    }

    /// The four operators the arithmetic kernel runs.
    public enum Arithmetic: Int32, Sendable {
        case add, subtract, multiply, divide
    }

    /// `a[i] op b[i mod n]` for every element of `a`, `b` holding one row of n (all of `a`, a
    /// matrix's row, or one scalar); `b[…] op a[i]` when `swapped`. Eight at a time where the
    /// CPU has AVX-512. Also whether every result is finite, from the same pass.
    public static func arithmetic(_ operation: Arithmetic, _ a: [Double], _ b: [Double], swapped: Bool) -> (elements: [Double], isFinite: Bool) {
        precondition(b.isEmpty ? a.isEmpty : a.count % b.count == 0, "a row of \(b.count) does not divide \(a.count) elements")
        var nonFinite = false
        let elements = a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                [Double](unsafeUninitializedCapacity: a.count) { output, initialized in
                    guard let x = left.baseAddress, let y = right.baseAddress, let z = output.baseAddress else { return }
                    HugePages.advise(z, byteCount: left.count * MemoryLayout<Double>.size)
                    nonFinite = nn_kernel_arithmetic(operation.rawValue, swapped ? 1 : 0, x, y, right.count, z, left.count,
                                                     ProductKernels.isAvailable ? 1 : 0) != 0
                    initialized = left.count
                }
            }
        }
        return (elements, !nonFinite)
    }

    /// `arithmetic` written over `a`'s own storage (a buffer its caller owns alone, so nothing
    /// is copied), and whether every result, and every element `a` held before, was finite.
    public static func arithmeticInPlace(_ operation: Arithmetic, _ a: inout [Double], _ b: [Double], swapped: Bool)
        -> (isFinite: Bool, operandWasFinite: Bool) {
        precondition(b.isEmpty ? a.isEmpty : a.count % b.count == 0, "a row of \(b.count) does not divide \(a.count) elements")
        var flags: Int32 = 0
        a.withUnsafeMutableBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                guard let x = left.baseAddress, let y = right.baseAddress else { return }
                flags = nn_kernel_arithmetic_in_place(operation.rawValue, swapped ? 1 : 0, x, y, right.count, left.count,
                                                      ProductKernels.isAvailable ? 1 : 0)
            }
        }
        return (flags & 1 == 0, flags & 2 == 0)
    }

    /// σ(x) = 1 / (1 + e^−x) for every element, as `Activation.sigmoid` computes one.
    public static func sigmoid(_ values: [Double]) -> [Double] {
        mapping(values) { input, output, count in
            if ProductKernels.isAvailable {
                ProductKernels.sigmoid(input, into: output, count: count)
            } else {
                Activation.sigmoid.apply(net: input, into: output, rows: 1, columns: count)
            }
        }
    }

    /// The sum of the elements, in NumPy's pairwise order: exactly the plain sum from 0 for
    /// fewer than 8 numbers, and an error that grows with log n rather than n beyond.
    public static func sum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return nn_pairwise_sum(base, buffer.count)
        }
    }

    /// Whether no element is NaN or ±∞, in one branch-free pass.
    public static func allFinite(_ values: [Double]) -> Bool {
        values.withUnsafeBufferPointer { buffer in
            var flags: UInt64 = 0
            for value in buffer { flags |= nonFiniteFlag(value) }
            return flags & nonFiniteBit == 0
        }
    }

    /// `nonFiniteBit` set exactly when `value` is NaN or ±∞: its exponent bits are all ones, and
    /// one more carries into the sign bit. OR-ing these over a buffer vectorizes, where
    /// `isFinite` with an early exit does not.
    @inline(__always)
    public static func nonFiniteFlag(_ value: Double) -> UInt64 {
        let exponentBits: UInt64 = 0x7FF0_0000_0000_0000
        return (value.bitPattern & exponentBits) &+ (1 << 52)
    }

    /// The bit of `nonFiniteFlag` that marks NaN or ±∞.
    public static let nonFiniteBit: UInt64 = 1 << 63

    /// A new array of `values.count`, filled by `fill(input, output, count)`.
    @inline(__always)
    static func mapping(_ values: [Double],
                        _ fill: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void) -> [Double] {
        let count = values.count
        return values.withUnsafeBufferPointer { input in
            [Double](unsafeUninitializedCapacity: count) { output, initialized in
                guard let source = input.baseAddress, let destination = output.baseAddress else { return }
                HugePages.advise(destination, byteCount: count * MemoryLayout<Double>.size)
                fill(source, destination, count)
                initialized = count
            }
        }
    }
}
