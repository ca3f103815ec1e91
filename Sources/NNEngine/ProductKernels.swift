import Foundation
import NNKernels

/// nn's own AVX-512 kernels (`Sources/NNKernels`) for the products and the activation that
/// dominate training a dense network, where they beat OpenBLAS (see `ProductKernels.c`).
///
/// They are used in float64 when the CPU has AVX-512F, with as many threads as BLAS has
/// (`BLAS.setThreads`). `NN_KERNELS=off` in the environment turns them off, to compare
/// against OpenBLAS alone.
public enum ProductKernels {
    /// Whether this CPU can run the kernels and the environment has not turned them off.
    public static let isAvailable: Bool = {
        guard nn_kernels_available() != 0, ProcessInfo.processInfo.environment["NN_KERNELS"] != "off" else { return false }
        // Start with BLAS's thread count (OPENBLAS_NUM_THREADS, or one per core).
        nn_kernels_set_threads(Int32(clamping: BLAS.threads))
        return true
    }()

    /// Whether products and sigmoids go to the kernels.
    public static var isActive: Bool { isAvailable }

    /// The longest inner dimension the product kernels take. They stream a 16-column strip of
    /// B (k rows) from L2 without packing it, which pays while the strip fits: 2,048 rows of
    /// 16 doubles is 256 KiB.
    static let longestInnerDimension = 2_048

    /// C = alpha · op(A) · op(B) + beta · C, as `TrainingScalar.gemm`, by a kernel if one
    /// fits: op(B) must be B itself, beta 0 or 1, k at most `longestInnerDimension`.
    /// False if none fits, and nothing was done.
    static func product(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) -> Bool {
        guard !transposeB, beta == 0 || beta == 1, k <= longestInnerDimension else { return false }
        if transposeA {
            nn_kernel_product_transposed_a(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        } else {
            nn_kernel_product(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
        return true
    }

    /// a[i] = σ(z[i]) for `count` values, within 2 ulp of `Activation.sigmoid`'s formula.
    static func sigmoid(_ z: UnsafePointer<Double>, into a: UnsafeMutablePointer<Double>, count: Int) {
        nn_kernel_sigmoid(z, a, count)
    }
}
