import Foundation
import NNKernels
import Testing
@testable import NNEngine

/// The whole-buffer functions of the expression language against the scalar ones: the AVX-512
/// exp against Foundation's over the whole range of doubles (subnormal results, ±∞, NaN, the
/// overflow and underflow edges), sigmoid against `Activation.sigmoid`'s formula, the pairwise
/// sum against NumPy's np.sum (`PairwiseSumReference`, written by `Fixtures/pairwise_sum.py`) and
/// the exact sum, and the finiteness flag against `isFinite`.
@Suite("Vector maths")
struct VectorMathTests {
    /// The distance between two doubles in units in the last place (0 for two NaNs).
    static func ulps(_ x: Double, _ y: Double) -> UInt64 {
        if x.isNaN && y.isNaN { return 0 }
        if x.isNaN || y.isNaN { return .max }
        func ordered(_ v: Double) -> Int64 {
            let bits = Int64(bitPattern: v.bitPattern)
            return bits < 0 ? Int64.min - bits : bits
        }
        return ordered(x) > ordered(y) ? UInt64(ordered(x) - ordered(y)) : UInt64(ordered(y) - ordered(x))
    }

    /// Arguments for exp: the edges by name, and a spread over every range a result lands in.
    static let exponents: [Double] = {
        let overflow = 709.782712893384  // e^x is the largest double just below, ∞ above
        let underflow = -745.1332191019411  // e^x rounds to the smallest subnormal just above, to 0 below
        var x: [Double] = [0, -0.0, 1, -1, 0.5, 1e-300, -1e-300, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                           .leastNormalMagnitude, overflow, overflow.nextUp, overflow.nextDown, 709.78, 709.79, 710, 711,
                           underflow, underflow.nextUp, underflow.nextDown, -745, -745.2, -746, -800, -708.4, -708.39, -720,
                           -740, 1000, -1000, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                           .nan, 0.34657359027997264, -0.34657359027997264, 0.34657359027997264.nextUp]  // ±ln 2 / 2: the reduction's edge
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<20_000 { x.append(generator.nextUniform(-746, 710)) }  // every result, subnormals included
        for _ in 0..<5_000 { x.append(generator.nextUniform(-1, 1)) }
        for _ in 0..<2_000 { x.append(generator.nextUniform(-1, 1) * 1e-8) }
        for _ in 0..<2_000 { x.append(generator.nextUniform(-745.2, -708)) }  // subnormal results
        for n in -1075...1025 { x.append(Double(n) * 0.6931471805599453) }  // n ln 2, where the reduction turns
        x.append(3)  // an odd count, so the last group of eight is partial
        return x
    }()

    @Test(.enabled(if: nn_kernels_available() != 0))
    func expKernelIsWithinOneUlpOfFoundation() {
        let x = Self.exponents
        var y = [Double](repeating: 7, count: x.count + 1)
        #expect(nn_kernel_exp(x, &y, x.count) == 1, "∞ and NaN are among the results")
        #expect(nn_kernel_exp(x, &y, 100) == 0 || x[0..<100].contains { !exp($0).isFinite })
        var exact = 0
        for (value, result) in zip(x, y) {
            let expected = exp(value)
            #expect(Self.ulps(result, expected) <= 1, "exp(\(value)) = \(result), Foundation gives \(expected)")
            if result.bitPattern == expected.bitPattern || (result.isNaN && expected.isNaN) { exact += 1 }
        }
        #expect(y[x.count] == 7, "the kernel wrote past the end")
        // Nearly all agree to the last bit: the bound is not loose everywhere.
        #expect(Double(exact) / Double(x.count) > 0.9, "only \(exact) of \(x.count) agree exactly")
    }

    @Test(.enabled(if: nn_kernels_available() != 0))
    func expKernelWorksInPlace() {
        var x: [Double] = [0, 1, -1, 2, 700, -700, .nan, .infinity, -.infinity, 1e-3]
        let expected = x.map { exp($0) }
        let flag = x.withUnsafeMutableBufferPointer { nn_kernel_exp($0.baseAddress!, $0.baseAddress!, $0.count) }
        #expect(flag == 1)
        for (result, value) in zip(x, expected) { #expect(Self.ulps(result, value) <= 1) }
    }

    /// Whichever path this machine takes (the kernel, or Foundation with NN_KERNELS=off).
    @Test func vectorExpIsWithinOneUlpOfFoundation() {
        let x = Self.exponents
        let (y, isFinite) = VectorMath.exp(x)
        #expect(y.count == x.count && !isFinite)
        for (value, result) in zip(x, y) {
            #expect(Self.ulps(result, exp(value)) <= 1, "exp(\(value)) = \(result)")
        }
        #expect(VectorMath.exp([]).elements.isEmpty)
        // The flag says whether any result is NaN or ∞, wherever it is in the buffer.
        for count in [1, 8, 15, 16, 17, 40] {
            for position in 0..<count {
                var values = [Double](repeating: 1, count: count)
                #expect(VectorMath.exp(values).isFinite)
                values[position] = 710
                #expect(!VectorMath.exp(values).isFinite, "∞ at \(position) of \(count)")
                values[position] = .nan
                #expect(!VectorMath.exp(values).isFinite, "NaN at \(position) of \(count)")
            }
        }
    }

    /// + − × ÷ in both operand orders, against a scalar, a row, or a whole buffer, in both
    /// compilations of the kernel (plain and, where the CPU has it, AVX-512): the formula to the
    /// last bit, and the flag set exactly when a result is NaN or ±∞.
    @Test func arithmeticKernelIsTheFormula() {
        let formulas: [(Double, Double) -> Double] = [{ $0 + $1 }, { $0 - $1 }, { $0 * $1 }, { $0 / $1 }]
        let special: [Double] = [0, -0.0, 1, -2.5, 1e308, -1e308, .leastNormalMagnitude / 4, .infinity, -.infinity, .nan, 3]
        var generator = SeededGenerator(seed: 5)
        let a = (0..<(37 * 9)).map { i in i % 5 == 0 ? special[i % special.count] : generator.nextUniform(-4, 4) }
        let rows: [[Double]] = [[2.5], [-0.0], [.nan], (0..<37).map { _ in generator.nextUniform(-4, 4) }, a.map { $0 * 0.5 + 1 }]
        for useAVX512 in nn_kernels_available() != 0 ? [0, 1] : [0] {
            for (operation, formula) in formulas.enumerated() {
                for swapped in [0, 1] {
                    for b in rows {
                        for count in [a.count, b.count == 1 ? 13 : b.count] {
                            var out = [Double](repeating: 7, count: count + 1)
                            let flag = nn_kernel_arithmetic(Int32(operation), Int32(swapped), a, b, b.count, &out, count, Int32(useAVX512))
                            var expectedFlag: Int32 = 0
                            for i in 0..<count {
                                let (x, y) = (a[i], b[i % b.count])
                                let expected = swapped == 1 ? formula(y, x) : formula(x, y)
                                if !expected.isFinite { expectedFlag = 1 }
                                #expect(out[i].bitPattern == expected.bitPattern || (out[i].isNaN && expected.isNaN),
                                        "operation \(operation), swapped \(swapped), row of \(b.count), element \(i)")
                            }
                            #expect(flag == expectedFlag && out[count] == 7, "operation \(operation), row of \(b.count), AVX-512 \(useAVX512)")
                        }
                    }
                }
            }
        }
    }

    @Test func vectorSigmoidIsWithinTwoUlpsOfTheFormula() {
        var z = Self.exponents.map { -$0 } + Self.exponents
        z.append(contentsOf: [36, -36, 40, -40, 744, -744])
        let a = VectorMath.sigmoid(z)
        for (value, result) in zip(z, a) {
            let expected = Activation.sigmoid.value(value)
            #expect(Self.ulps(result, expected) <= 2, "σ(\(value)) = \(result), the formula gives \(expected)")
        }
    }

    /// Element i of the sums of `PairwiseSumReference`: an exact double, as the script makes it.
    static func summand(_ i: Int) -> Double {
        let mantissa = Double((i * 2654435761) % (1 << 32) - (1 << 31))
        return mantissa * Double(sign: .plus, exponent: -(i % 40), significand: 1)
    }

    @Test(arguments: PairwiseSumReference.sums.map(\.count))
    func sumIsNumpysPairwiseSum(count: Int) throws {
        let reference = try #require(PairwiseSumReference.sums.first { $0.count == count })
        let x = (0..<count).map(Self.summand)
        let sum = VectorMath.sum(x)
        #expect(sum.bitPattern == reference.numpy.bitPattern, "\(count) numbers: \(sum), np.sum gives \(reference.numpy)")
        // Within the pairwise bound of the exact sum: at most 19 roundings in a block of 128
        // (16 in each running sum, 3 joining them) and one per halving above, each at most
        // Σ|x| / 2⁵³; adding one after another could take n of them.
        let magnitude = x.reduce(0) { $0 + abs($1) }
        let bound = (19 + log2(Double(count)).rounded(.up)) * magnitude * 0x1p-53
        #expect(abs(sum - reference.exact) <= bound, "\(count) numbers: \(sum) is further than \(bound) from \(reference.exact)")
    }

    @Test func shortSumsAreThePlainSumFromZero() {
        for count in 0..<8 {
            let x = (0..<count).map { Self.summand($0 * 7 + 3) }
            #expect(VectorMath.sum(x).bitPattern == x.reduce(0, +).bitPattern)
        }
        #expect(VectorMath.sum([]) == 0)
        #expect(VectorMath.sum([1, .nan, 2, 3, 4, 5, 6, 7, 8, 9]).isNaN)
        #expect(VectorMath.sum([1, .infinity, 2, 3, 4, 5, 6, 7, 8, 9]) == .infinity)
        #expect(VectorMath.sum(Array(repeating: 1e308, count: 200)) == .infinity)
    }

    @Test func finitenessFlagMarksExactlyNaNAndInfinity() {
        let values: [Double] = [0, -0.0, 1, -1, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                -.greatestFiniteMagnitude, .infinity, -.infinity, .nan, -.nan, .signalingNaN,
                                Double(bitPattern: 0x7FF0_0000_0000_0001), Double(bitPattern: 0xFFFF_FFFF_FFFF_FFFF)]
        for value in values {
            #expect((VectorMath.nonFiniteFlag(value) & VectorMath.nonFiniteBit != 0) == !value.isFinite, "\(value)")
            #expect(VectorMath.allFinite([1, 2, value, 3]) == value.isFinite, "\(value)")
        }
        #expect(VectorMath.allFinite([]))
    }
}
