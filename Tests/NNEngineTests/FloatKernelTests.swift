import Foundation
import NNKernels
import Testing
@testable import NNEngine

/// The float32 kernels against a float64 product of the same float inputs: every tile size and
/// edge (rows not a multiple of 8, columns not a multiple of 32), padded row lengths, alpha and
/// beta, beta 0 never reading C, threads not changing a result; the float32 sigmoid against
/// `Activation.sigmoid`'s formula in Float. Skipped on CPUs without AVX-512F.
@Suite("Float32 kernels", .enabled(if: ProductKernels.isAvailable))
struct FloatKernelTests {
    static let shapes: [ProductKernelTests.Shape] = ProductKernelTests.shapes + [
        .init(m: 13, n: 33, k: 17), .init(m: 64, n: 48, k: 784), .init(m: 17, n: 63, k: 3), .init(m: 5, n: 256, k: 40),
    ]

    /// `matrix` in Float, rows `stride` long, the padding holding `padding`.
    static func stored(_ matrix: Matrix, stride: Int, padding: Float) -> [Float] {
        var result = [Float](repeating: padding, count: max(1, matrix.rows * stride))
        for r in 0..<matrix.rows {
            for c in 0..<matrix.columns { result[r * stride + c] = Float(matrix[r, c]) }
        }
        return result
    }

    /// `matrix` rounded to Float and back.
    static func rounded(_ matrix: Matrix) -> Matrix { matrix.map { Double(Float($0)) } }

    /// One float kernel on A, B and a C that starts as `start`, every row stored 3 longer than it
    /// is: C, and whether the padding was left alone.
    static func run(transposeA: Bool, _ a: Matrix, _ b: Matrix, alpha: Float, beta: Float, start: Matrix) -> (result: Matrix, paddingKept: Bool) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let n = b.columns
        let lda = a.columns + 3, ldb = b.columns + 3, ldc = n + 3
        let sentinel: Float = 12345
        let aStored = stored(a, stride: lda, padding: .nan), bStored = stored(b, stride: ldb, padding: .nan)
        var cStored = stored(start, stride: ldc, padding: sentinel)
        aStored.withUnsafeBufferPointer { x in
            bStored.withUnsafeBufferPointer { y in
                cStored.withUnsafeMutableBufferPointer { z in
                    if transposeA {
                        nn_kernel_product_transposed_a_float(m, n, k, alpha, x.baseAddress!, lda, y.baseAddress!, ldb, beta, z.baseAddress!, ldc)
                    } else {
                        nn_kernel_product_float(m, n, k, alpha, x.baseAddress!, lda, y.baseAddress!, ldb, beta, z.baseAddress!, ldc)
                    }
                }
            }
        }
        var result = Matrix(rows: m, columns: n)
        var paddingKept = true
        for r in 0..<m {
            for c in 0..<n { result[r, c] = Double(cStored[r * ldc + c]) }
            for c in n..<ldc { paddingKept = paddingKept && cStored[r * ldc + c] == sentinel }
        }
        return (result, paddingKept)
    }

    @Test(arguments: shapes)
    func productMatchesTheReference(_ shape: ProductKernelTests.Shape) {
        var generator = SeededGenerator(seed: UInt64(shape.m * 10_000 + shape.n * 100 + shape.k))
        let a = Self.rounded(TestSupport.randomMatrix(rows: shape.m, columns: shape.k, generator: &generator))
        let b = Self.rounded(TestSupport.randomMatrix(rows: shape.k, columns: shape.n, generator: &generator))
        let c = Self.rounded(TestSupport.randomMatrix(rows: shape.m, columns: shape.n, generator: &generator))
        let product = Matrix.referenceProduct(a, b)
        // Float sums of k terms of size about 1: off by about k · 6e-8 at most.
        let tolerance = 1e-6 * Double(max(1, shape.k))
        for (alpha, beta) in [(Float(1), Float(0)), (1, 1), (-0.1, 1), (2.5, 0), (0.5, -2)] {
            let start = beta == 0 ? Matrix(rows: shape.m, columns: shape.n, repeating: .nan) : c
            var expected = product.map { Double(alpha) * $0 }
            if beta != 0 { expected = expected + c.map { Double(beta) * $0 } }
            let plain = Self.run(transposeA: false, a, b, alpha: alpha, beta: beta, start: start)
            #expect(TestSupport.isClose(plain.result, expected, relative: tolerance, absolute: tolerance), "A·B, α \(alpha), β \(beta)")
            #expect(plain.paddingKept, "A·B wrote past the last column")
            let transposed = Self.run(transposeA: true, a.transposed, b, alpha: alpha, beta: beta, start: start)
            #expect(TestSupport.isClose(transposed.result, expected, relative: tolerance, absolute: tolerance), "Aᵀ·B, α \(alpha), β \(beta)")
            #expect(transposed.paddingKept, "Aᵀ·B wrote past the last column")
        }
    }

    /// The shapes `ProductKernels.product` sends to the float kernels are the float64 ones'.
    @Test func productsWithoutAKernelAreLeftAlone() {
        let a = [Float](repeating: 1, count: 300 * 2_049), b = [Float](repeating: 1, count: 2_049 * 300)
        var c = [Float](repeating: 7, count: 300 * 300)
        let refused: [(transposeA: Bool, transposeB: Bool, n: Int, k: Int)] = [
            (false, true, 16, 4), (false, false, 15, 4), (false, false, 257, 4), (false, false, 16, 2_049), (true, false, 16, 513),
        ]
        for shape in refused {
            let taken = ProductKernels.product(transposeA: shape.transposeA, transposeB: shape.transposeB, m: 3, n: shape.n, k: shape.k,
                                               alpha: Float(1), a: a, lda: shape.transposeA ? 3 : shape.k,
                                               b: b, ldb: shape.transposeB ? shape.k : shape.n, beta: 1, c: &c, ldc: shape.n)
            #expect(!taken, "\(shape)")
        }
        #expect(c.allSatisfy { $0 == 7 })
        let taken = ProductKernels.product(transposeA: false, transposeB: false, m: 3, n: 16, k: 2_048, alpha: Float(1),
                                           a: a, lda: 2_048, b: b, ldb: 16, beta: 0, c: &c, ldc: 16)
        #expect(taken && c[0..<48].allSatisfy { $0 == 2_048 })
    }

    @Test func threadsSplitTheWorkWithoutChangingTheResult() {
        var generator = SeededGenerator(seed: 22)
        let (m, n, k) = (70, 100, 64)
        let a = Self.rounded(TestSupport.randomMatrix(rows: m, columns: k, generator: &generator))
        let b = Self.rounded(TestSupport.randomMatrix(rows: k, columns: n, generator: &generator))
        let start = Self.rounded(TestSupport.randomMatrix(rows: m, columns: n, generator: &generator))
        let before = nn_kernels_threads()
        defer { nn_kernels_set_threads(before) }
        nn_kernels_set_threads(1)
        let single = Self.run(transposeA: false, a, b, alpha: -0.5, beta: 1, start: start).result
        let singleTransposed = Self.run(transposeA: true, a.transposed, b, alpha: -0.5, beta: 1, start: start).result
        nn_kernels_set_threads(2)
        #expect(Self.run(transposeA: false, a, b, alpha: -0.5, beta: 1, start: start).result == single)
        #expect(Self.run(transposeA: true, a.transposed, b, alpha: -0.5, beta: 1, start: start).result == singleTransposed)
    }

    /// The distance between two floats in units in the last place.
    static func ulps(_ x: Float, _ y: Float) -> UInt32 {
        func ordered(_ v: Float) -> Int64 {
            let bits = Int64(Int32(bitPattern: v.bitPattern))
            return bits < 0 ? Int64(Int32.min) - bits : bits
        }
        return UInt32(abs(ordered(x) - ordered(y)))
    }

    @Test func sigmoidIsWithinFourUlpsOfTheFloatFormula() {
        var z: [Float] = [0, -0.0, 1e-30, -1e-30, 0.5, -0.5, 16, -16, 20, -20, 80, -80, 87, -87, 88, -88, 100, -100,
                          103, -103, 104, -104, 105, -105, 200, -200, .infinity, -.infinity, .greatestFiniteMagnitude,
                          -.greatestFiniteMagnitude]
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<4_000 { z.append(Float(generator.nextUniform(-30, 30))) }
        for _ in 0..<1_000 { z.append(Float(generator.nextUniform(-1, 1) * 1e-3)) }
        z.append(1)  // not a whole number of sixteens, so the last group is partial
        var a = [Float](repeating: 7, count: z.count + 1)
        ProductKernels.sigmoid(z, into: &a, count: z.count)
        for (value, result) in zip(z, a) {
            let expected = Activation.sigmoid.value(at: value)
            #expect(Self.ulps(result, expected) <= 4, "σ(\(value)) = \(result), the formula gives \(expected)")
        }
        #expect(a[z.count] == 7, "the kernel wrote past the end")
        var nan = [Float](repeating: 0, count: 3)
        ProductKernels.sigmoid([Float.nan, 1, .nan], into: &nan, count: 3)
        #expect(nan[0].isNaN && nan[2].isNaN && abs(nan[1] - 0.7310586) < 1e-7, "NaN stays NaN: \(nan)")
    }
}
