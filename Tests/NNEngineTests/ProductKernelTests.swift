import Foundation
import NNKernels
import Testing
@testable import NNEngine

/// nn's AVX-512 kernels against the naive reference: every tile size and edge (rows not a
/// multiple of 8, columns not a multiple of 16), padded row lengths, alpha and beta, and the
/// promise that beta 0 never reads C. Skipped on CPUs without AVX-512F.
@Suite("Product kernels", .enabled(if: ProductKernels.isAvailable))
struct ProductKernelTests {
    struct Shape: Sendable, CustomStringConvertible {
        var m: Int, n: Int, k: Int
        var description: String { "\(m)×\(k) · \(k)×\(n)" }
    }

    static let shapes: [Shape] = [
        Shape(m: 1, n: 1, k: 1), Shape(m: 3, n: 5, k: 7), Shape(m: 8, n: 16, k: 1), Shape(m: 8, n: 8, k: 9),
        Shape(m: 9, n: 17, k: 33), Shape(m: 12, n: 24, k: 5), Shape(m: 15, n: 31, k: 64), Shape(m: 64, n: 10, k: 128),
        Shape(m: 64, n: 128, k: 100), Shape(m: 100, n: 10, k: 64), Shape(m: 7, n: 3, k: 0),
    ]

    /// `columns` columns stored with row length `stride` (≥ columns); the padding holds `padding`.
    static func stored(_ matrix: Matrix, stride: Int, padding: Double) -> [Double] {
        var result = [Double](repeating: padding, count: max(1, matrix.rows * stride))
        for r in 0..<matrix.rows {
            for c in 0..<matrix.columns { result[r * stride + c] = matrix[r, c] }
        }
        return result
    }

    /// Runs one kernel on A, B and a C that starts as `start`, with every row stored 3 elements
    /// longer than it is, and returns C and whether the padding was left alone.
    static func run(transposeA: Bool, _ a: Matrix, _ b: Matrix, alpha: Double, beta: Double,
                    start: Matrix) -> (result: Matrix, paddingKept: Bool) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let n = b.columns
        let lda = a.columns + 3, ldb = b.columns + 3, ldc = n + 3
        let sentinel = 12345.0
        let aStored = stored(a, stride: lda, padding: .nan)
        let bStored = stored(b, stride: ldb, padding: .nan)
        var cStored = stored(start, stride: ldc, padding: sentinel)
        aStored.withUnsafeBufferPointer { aBuffer in
            bStored.withUnsafeBufferPointer { bBuffer in
                cStored.withUnsafeMutableBufferPointer { cBuffer in
                    if transposeA {
                        nn_kernel_product_transposed_a(m, n, k, alpha, aBuffer.baseAddress!, lda, bBuffer.baseAddress!, ldb,
                                                       beta, cBuffer.baseAddress!, ldc)
                    } else {
                        nn_kernel_product(m, n, k, alpha, aBuffer.baseAddress!, lda, bBuffer.baseAddress!, ldb,
                                          beta, cBuffer.baseAddress!, ldc)
                    }
                }
            }
        }
        var result = Matrix(rows: m, columns: n)
        var paddingKept = true
        for r in 0..<m {
            for c in 0..<n { result[r, c] = cStored[r * ldc + c] }
            for c in n..<ldc { paddingKept = paddingKept && cStored[r * ldc + c] == sentinel }
        }
        return (result, paddingKept)
    }

    @Test(arguments: shapes)
    func productMatchesTheReference(_ shape: Shape) {
        var generator = SeededGenerator(seed: UInt64(shape.m * 10_000 + shape.n * 100 + shape.k))
        let a = TestSupport.randomMatrix(rows: shape.m, columns: shape.k, generator: &generator)
        let b = TestSupport.randomMatrix(rows: shape.k, columns: shape.n, generator: &generator)
        let c = TestSupport.randomMatrix(rows: shape.m, columns: shape.n, generator: &generator)
        let product = Matrix.referenceProduct(a, b)
        for (alpha, beta) in [(1.0, 0.0), (1.0, 1.0), (-0.1, 1.0), (2.5, 0.0), (0.5, -2.0)] {
            // With beta 0, C starts as NaN: any read of it would show in the result.
            let start = beta == 0 ? Matrix(rows: shape.m, columns: shape.n, repeating: .nan) : c
            var expected = product.map { alpha * $0 }
            if beta != 0 { expected = expected + c.map { beta * $0 } }
            let plain = Self.run(transposeA: false, a, b, alpha: alpha, beta: beta, start: start)
            #expect(TestSupport.isClose(plain.result, expected, relative: 1e-13, absolute: 1e-13), "A·B, α \(alpha), β \(beta)")
            #expect(plain.paddingKept, "A·B wrote past the last column")
            let transposed = Self.run(transposeA: true, a.transposed, b, alpha: alpha, beta: beta, start: start)
            #expect(TestSupport.isClose(transposed.result, expected, relative: 1e-13, absolute: 1e-13), "Aᵀ·B, α \(alpha), β \(beta)")
            #expect(transposed.paddingKept, "Aᵀ·B wrote past the last column")
        }
    }

    /// What the kernels do not take (op(B) transposed, C narrower than
    /// 16 or wider than 256 columns, k past 2,048, or 512 for AᵀB) is left to OpenBLAS:
    /// `product` says so and touches nothing.
    @Test func productsWithoutAKernelAreLeftAlone() {
        let a = [Double](repeating: 1, count: 300 * 2_049), b = [Double](repeating: 1, count: 2_049 * 300)
        var c = [Double](repeating: 7, count: 300 * 300)
        let refused: [(transposeA: Bool, transposeB: Bool, n: Int, k: Int, beta: Double)] = [
            (false, true, 16, 4, 0), (false, false, 15, 4, 1), (false, false, 257, 4, 1),
            (false, false, 16, 2_049, 1), (true, false, 16, 513, 1),
        ]
        for shape in refused {
            let taken = ProductKernels.product(transposeA: shape.transposeA, transposeB: shape.transposeB, m: 3, n: shape.n,
                                               k: shape.k, alpha: 1, a: a, lda: shape.transposeA ? 3 : shape.k,
                                               b: b, ldb: shape.transposeB ? shape.k : shape.n, beta: shape.beta, c: &c, ldc: shape.n)
            #expect(!taken, "\(shape)")
        }
        #expect(c.allSatisfy { $0 == 7 })
        for (transposeA, k) in [(false, 2_048), (true, 512)] {
            let taken = ProductKernels.product(transposeA: transposeA, transposeB: false, m: 3, n: 16, k: k, alpha: 1,
                                               a: a, lda: transposeA ? 3 : k, b: b, ldb: 16, beta: 0, c: &c, ldc: 16)
            #expect(taken && c[0..<48].allSatisfy { $0 == Double(k) }, "transposeA \(transposeA), k \(k)")
        }
    }

    /// Split between threads, each element is still summed by one thread in the same order,
    /// so the results are bit-identical to one thread's; several callers at once (the
    /// second runs on its own thread while the first holds the helpers) all get theirs right.
    @Test func threadsSplitTheWorkWithoutChangingTheResult() async {
        var generator = SeededGenerator(seed: 21)
        let (m, n, k) = (70, 100, 64)  // large enough to be split; neither m nor n a whole number of tiles
        let a = TestSupport.randomMatrix(rows: m, columns: k, generator: &generator)
        let b = TestSupport.randomMatrix(rows: k, columns: n, generator: &generator)
        let start = TestSupport.randomMatrix(rows: m, columns: n, generator: &generator)
        let before = nn_kernels_threads()
        defer { nn_kernels_set_threads(before) }
        nn_kernels_set_threads(1)
        let single = Self.run(transposeA: false, a, b, alpha: -0.5, beta: 1, start: start).result
        let singleTransposed = Self.run(transposeA: true, a.transposed, b, alpha: -0.5, beta: 1, start: start).result
        nn_kernels_set_threads(3)
        #expect(nn_kernels_threads() == 3)
        let results = await withTaskGroup(of: (Matrix, Matrix).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (Self.run(transposeA: false, a, b, alpha: -0.5, beta: 1, start: start).result,
                     Self.run(transposeA: true, a.transposed, b, alpha: -0.5, beta: 1, start: start).result)
                }
            }
            var all: [(Matrix, Matrix)] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 8)
        for (plain, transposed) in results {
            #expect(plain == single && transposed == singleTransposed)
        }
        #expect(TestSupport.isClose(single, Matrix.referenceProduct(a, b).map { -0.5 * $0 } + start, relative: 1e-13, absolute: 1e-13))
    }

    /// The distance between two doubles in units in the last place.
    static func ulps(_ x: Double, _ y: Double) -> UInt64 {
        func ordered(_ v: Double) -> Int64 {
            let bits = Int64(bitPattern: v.bitPattern)
            return bits < 0 ? Int64.min - bits : bits
        }
        return ordered(x) > ordered(y) ? UInt64(ordered(x) - ordered(y)) : UInt64(ordered(y) - ordered(x))
    }

    @Test func sigmoidIsWithinTwoUlpsOfTheFormula() {
        var z: [Double] = [0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 36, -36, 40, -40, 700, -700, 709, -709, 740, -740,
                           -744, -745, -746, -800, 800, .infinity, -.infinity, .greatestFiniteMagnitude,
                           -.greatestFiniteMagnitude]
        var generator = SeededGenerator(seed: 8)
        for _ in 0..<4_000 { z.append(generator.nextUniform(-50, 50)) }
        for _ in 0..<1_000 { z.append(generator.nextUniform(-1, 1) * 1e-3) }
        z.append(1)  // an odd count, so the last group of eight is partial
        var a = [Double](repeating: 7, count: z.count + 1)
        ProductKernels.sigmoid(z, into: &a, count: z.count)
        for (value, result) in zip(z, a) {
            let expected = Activation.sigmoid.value(value)
            #expect(Self.ulps(result, expected) <= 2, "σ(\(value)) = \(result), the formula gives \(expected)")
        }
        #expect(a[z.count] == 7, "the kernel wrote past the end")
        var nan = [Double](repeating: 0, count: 3)
        ProductKernels.sigmoid([.nan, 1, .nan], into: &nan, count: 3)
        #expect(nan[0].isNaN && nan[2].isNaN && abs(nan[1] - 0.7310585786300049) < 1e-16, "NaN stays NaN: \(nan)")
    }
}
