import Foundation
@preconcurrency import COpenBLAS
import NNKernels

/// The OpenBLAS library behind `Matrix.product` and the training workspace.
///
/// OpenBLAS reads `OPENBLAS_NUM_THREADS` when it is loaded; `setThreads` changes the
/// count while the program runs (the language's `set threads N`).
public enum BLAS {
    /// Uses `count` threads (at least 1) for every product from now on.
    /// nn's own product kernels (`ProductKernels`) follow the same count.
    public static func setThreads(_ count: Int) {
        nn_blas_set_threads(Int32(clamping: max(1, count)))
        nn_kernels_set_threads(Int32(clamping: max(1, count)))
    }

    /// Stops OpenBLAS's worker threads until a product needs them again.
    ///
    /// OpenBLAS starts its workers when it is loaded, and a worker that has no work spins (it
    /// calls `sched_yield` for about 2²⁸ clock cycles) before it sleeps: about 0.1 s of a second
    /// core at every start of nn, in scripts that multiply nothing. Stopped here, the pool is
    /// started again by the first product that uses threads, or by `setThreads`, as OpenBLAS
    /// does after a `fork`. The thread count stays as it was. `blas_thread_shutdown_` is looked
    /// up at run time: the single-threaded build of OpenBLAS has no pool and no such function.
    public static func stopIdleThreads() {
        #if os(Linux)
        typealias Shutdown = @convention(c) () -> Int32
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }  // nil: RTLD_DEFAULT
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
        #endif
    }

    /// The number of threads products use.
    public static var threads: Int {
        Int(nn_blas_threads())
    }

    /// Products with fewer multiply-adds than this (m·k·n) run as a plain loop, where a BLAS
    /// call would cost more than the arithmetic. An estimate, not yet tuned by measurement:
    /// it sends the XOR network's products to the loop and the MLP's to BLAS or `ProductKernels`.
    public static let smallProductLimit = 4_096

    /// Whether every size of an m×k by k×n product fits BLAS's 32-bit integers.
    static func fits(m: Int, k: Int, n: Int) -> Bool {
        let limit = Int(Int32.max)
        return m <= limit && k <= limit && n <= limit && m * k <= limit && k * n <= limit && m * n <= limit
    }
}

/// A number type the training workspace computes in: `Double` or `Float`, each with its own
/// BLAS product and elementary functions, so generic code specializes to direct calls.
protocol TrainingScalar: BinaryFloatingPoint, Sendable {
    /// C = alpha · op(A) · op(B) + beta · C, all row-major: op(A): [m, k], op(B): [k, n], C: [m, n].
    /// `lda`, `ldb`, `ldc` are the row lengths of A, B and C as stored.
    /// `usesKernels` sends the products `ProductKernels` has a kernel for there instead.
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int, usesKernels: Bool)
    /// a[i] = σ(z[i]) by a vector kernel, or false if this type has none.
    static func kernelSigmoid(_ z: UnsafePointer<Self>, into a: UnsafeMutablePointer<Self>, count: Int) -> Bool
    static func exponential(_ x: Self) -> Self
    static func exponentialMinusOne(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    static func logarithmOnePlus(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
}

extension TrainingScalar {
    /// C = alpha · op(A) · op(B) + beta · C, by BLAS when it pays, by a plain loop otherwise.
    ///
    /// The loop sums each element's k terms in ascending order, as `Matrix.referenceProduct` does.
    @inline(__always)
    static func product(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self = 1,
                        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                        beta: Self = 0, c: UnsafeMutablePointer<Self>, ldc: Int, usesKernels: Bool = false) {
        if m == 0 || n == 0 { return }
        if m * n * k >= BLAS.smallProductLimit && k > 0 && BLAS.fits(m: m, k: k, n: n)
            && BLAS.fits(m: lda, k: ldb, n: ldc) {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                 a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, usesKernels: usesKernels)
            return
        }
        // op(A)[i, p] = a[i * aRow + p * aInner], op(B)[p, j] = b[p * bInner + j * bColumn].
        let (aRow, aInner) = transposeA ? (1, lda) : (lda, 1)
        let (bInner, bColumn) = transposeB ? (1, ldb) : (ldb, 1)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Self = 0
                for p in 0..<k {
                    sum += a[i * aRow + p * aInner] * b[p * bInner + j * bColumn]
                }
                let scaled = alpha == 1 ? sum : alpha * sum
                c[i * ldc + j] = beta == 0 ? scaled : beta * c[i * ldc + j] + scaled
            }
        }
    }
}

private func transposeFlag(_ transposed: Bool) -> CBLAS_TRANSPOSE {
    transposed ? CblasTrans : CblasNoTrans
}

extension Double: TrainingScalar {
    @inline(__always)
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                     a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, usesKernels: Bool) {
        if usesKernels && ProductKernels.product(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                                 alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                                 beta: beta, c: c, ldc: ldc) {
            return
        }
        cblas_dgemm(CblasRowMajor, transposeFlag(transposeA), transposeFlag(transposeB),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inline(__always)
    static func kernelSigmoid(_ z: UnsafePointer<Double>, into a: UnsafeMutablePointer<Double>, count: Int) -> Bool {
        ProductKernels.sigmoid(z, into: a, count: count)
        return true
    }
    @inline(__always) static func exponential(_ x: Double) -> Double { exp(x) }
    @inline(__always) static func exponentialMinusOne(_ x: Double) -> Double { expm1(x) }
    @inline(__always) static func logarithm(_ x: Double) -> Double { log(x) }
    @inline(__always) static func logarithmOnePlus(_ x: Double) -> Double { log1p(x) }
    @inline(__always) static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
}

extension Float: TrainingScalar {
    @inline(__always)
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, usesKernels: Bool) {
        if usesKernels && ProductKernels.product(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                                 alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                                 beta: beta, c: c, ldc: ldc) {
            return
        }
        cblas_sgemm(CblasRowMajor, transposeFlag(transposeA), transposeFlag(transposeB),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inline(__always)
    static func kernelSigmoid(_ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        ProductKernels.sigmoid(z, into: a, count: count)
        return true
    }
    @inline(__always) static func exponential(_ x: Float) -> Float { expf(x) }
    @inline(__always) static func exponentialMinusOne(_ x: Float) -> Float { expm1f(x) }
    @inline(__always) static func logarithm(_ x: Float) -> Float { logf(x) }
    @inline(__always) static func logarithmOnePlus(_ x: Float) -> Float { log1pf(x) }
    @inline(__always) static func hyperbolicTangent(_ x: Float) -> Float { tanhf(x) }
}
