import Foundation
import NNKernels

/// nn's own AVX-512 kernels (`Sources/NNKernels`) for the products and the activation that
/// dominate training a dense network, where they beat OpenBLAS (see `ProductKernels.c`).
///
/// They are used in float64 and float32 when the CPU has AVX-512F, with as many threads as BLAS has
/// (`BLAS.setThreads`). `NN_KERNELS=off` in the environment turns them off, to compare
/// against OpenBLAS alone.
public enum ProductKernels {
    /// Whether this CPU can run the kernels and the environment has not turned them off:
    /// whether products and sigmoids go to them where they are faster.
    public static let isAvailable: Bool = {
        guard nn_kernels_available() != 0, ProcessInfo.processInfo.environment["NN_KERNELS"] != "off" else { return false }
        // Start with BLAS's thread count (OPENBLAS_NUM_THREADS, or one per core).
        nn_kernels_set_threads(Int32(clamping: BLAS.threads))
        return true
    }()

    /// The products the kernels take, because they beat OpenBLAS there. On this project's
    /// machines (2-core AMD EPYC, OpenBLAS 0.3.21, one thread, a grid of shapes from 16 to 2,048)
    /// the kernels ran at 0.95 to 2 × OpenBLAS's speed when C is 16 to 256 columns wide, as a
    /// hidden layer's output is, and k is at most 2,048 for A·B (the forward) or 512 for AᵀB
    /// (the update, where k is the batch). Wider C or longer k make them stream A or B from
    /// L3 again and again, and they fall to half of OpenBLAS's speed; narrower C leaves most
    /// of each 16-column strip empty. `EngineBenchmarkTests.kernelShapes` times shapes on
    /// either side of these limits.
    static let outputWidths = 16...256
    static let longestInnerDimension = 2_048
    static let longestInnerDimensionTransposed = 512

    /// Whether a kernel takes the product: op(B) is B itself, C is `outputWidths` wide, and
    /// the inner size is within the limit for op(A). The same for float64 and float32.
    private static func takes(transposeA: Bool, transposeB: Bool, n: Int, k: Int) -> Bool {
        !transposeB && outputWidths.contains(n) && k <= (transposeA ? longestInnerDimensionTransposed : longestInnerDimension)
    }

    /// C = alpha · op(A) · op(B) + beta · C, as `TrainingScalar.gemm`, by a kernel where one
    /// is faster: op(B) must be B itself, and the sizes as above.
    /// False if no kernel takes the product, and nothing was done.
    static func product(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) -> Bool {
        guard takes(transposeA: transposeA, transposeB: transposeB, n: n, k: k) else { return false }
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

    /// The float32 kernels take the shapes the float64 ones take, measured the same way (see
    /// `EngineBenchmarkTests.kernelShapes`): C 16 to 256 columns wide and k as above.
    static func product(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) -> Bool {
        guard takes(transposeA: transposeA, transposeB: transposeB, n: n, k: k) else { return false }
        if transposeA {
            nn_kernel_product_transposed_a_float(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        } else {
            nn_kernel_product_float(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
        return true
    }

    /// a[i] = σ(z[i]) for `count` floats, within a few ulp of `Activation.sigmoid`'s formula in Float.
    static func sigmoid(_ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, count: Int) {
        nn_kernel_sigmoid_float(z, a, count)
    }
}
