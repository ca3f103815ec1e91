// The two matrix products that dominate training a dense layer on one core:
//
//   forward   Z = X Wᵀ (+ b)          nn_kernel_product               A: [m, k], B: [k, n]
//   update    Wᵀ ← Wᵀ − η Xᵀ δ        nn_kernel_product_transposed_a  A: [k, m], B: [k, n]
//
// With a batch of 64 rows one of the three sizes is small, and a general GEMM spends much of
// its time copying (packing) both operands into its block layout, once per call, for a
// product that uses them once. These kernels skip the packing: each works on a tile of C of
// up to 8 rows × 16 columns held in 16 ZMM registers and streams its operands straight from
// memory, which the caches serve well at these sizes: B's 16-column strip of k rows stays in
// L2 while k ≤ 2,048. The Swift side (ProductKernels.swift) sends them only the shapes where
// they measured faster than OpenBLAS. On the 784-128-10 network they reach about 53 GFLOP/s
// on one core where OpenBLAS 0.3.21 reaches 41–46.
//
// Large products are split between threads (KernelThreads.c) by column strips or row tiles.
// Each element of C is computed by one thread, summing its k terms in ascending order with
// fused multiply-adds, then scaled by alpha and added to beta·C: the thread count never
// changes a result.
#include "NNKernels.h"
#include "KernelThreads.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define NN_AVX512 __attribute__((target("avx512f")))
/// A tile function: inlined into its caller with `rows` a constant, so its loops over rows
/// unroll and the accumulator array lives in registers.
#define NN_TILE static inline __attribute__((always_inline, target("avx512f")))

/// The lanes of a 16-column strip's lower (columns 0–7) or upper (8–15) half that hold
/// real columns, for a strip `width` columns wide.
static inline __mmask8 lanes(long width) {
    if (width >= 8) return 0xFF;
    if (width <= 0) return 0;
    return (__mmask8)((1u << width) - 1);
}

/// C's tile rows (row r at c + r·ldc) = beta·C + alpha·sum, for the columns the masks keep.
NN_TILE void store_tile(const int rows, __m512d sum[8][2], double alpha, double beta,
                        double *c, long ldc, __mmask8 low, __mmask8 high) {
    const __m512d scale = _mm512_set1_pd(alpha), keep = _mm512_set1_pd(beta);
    for (int r = 0; r < rows; r++) {
        double *row = c + r * ldc;
        __m512d lower = _mm512_mul_pd(scale, sum[r][0]);
        __m512d upper = _mm512_mul_pd(scale, sum[r][1]);
        if (beta != 0) {  // beta 0 never reads C, which may hold anything (NaN included)
            lower = _mm512_fmadd_pd(scale, sum[r][0], _mm512_mul_pd(keep, _mm512_maskz_loadu_pd(low, row)));
            upper = _mm512_fmadd_pd(scale, sum[r][1], _mm512_mul_pd(keep, _mm512_maskz_loadu_pd(high, row + 8)));
        }
        _mm512_mask_storeu_pd(row, low, lower);
        _mm512_mask_storeu_pd(row + 8, high, upper);
    }
}

/// A tile of op(A)·B: `rows` rows of op(A), whose element (r, p) is at a[r·rowStride + p·innerStride]
/// (A·B: lda and 1; Aᵀ·B: 1 and lda), by the 16-column strip of B from b.
NN_TILE void tile(const int rows, long k, double alpha, const double *a, long rowStride, long innerStride,
                  const double *b, long ldb, double beta, double *c, long ldc, __mmask8 low, __mmask8 high) {
    __m512d sum[8][2];
    for (int r = 0; r < rows; r++) sum[r][0] = sum[r][1] = _mm512_setzero_pd();
    for (long p = 0; p < k; p++) {
        const __m512d lower = _mm512_maskz_loadu_pd(low, b + p * ldb);
        const __m512d upper = _mm512_maskz_loadu_pd(high, b + p * ldb + 8);
        const double *column = a + p * innerStride;
        for (int r = 0; r < rows; r++) {
            const __m512d x = _mm512_set1_pd(column[r * rowStride]);
            sum[r][0] = _mm512_fmadd_pd(x, lower, sum[r][0]);
            sum[r][1] = _mm512_fmadd_pd(x, upper, sum[r][1]);
        }
    }
    store_tile(rows, sum, alpha, beta, c, ldc, low, high);
}

/// A product's sizes and operands, for handing parts of it to other threads.
typedef struct {
    long m, n, k;
    double alpha, beta;
    const double *a, *b;
    long lda, ldb, ldc;
    double *c;
} product_job;

/// Products with fewer multiply-adds than this stay on one thread: waking a helper and
/// waiting for it would cost more than it saves.
enum { parallelMultiplyAdds = 1 << 18 };

/// Runs `part` over the `count` pieces of `job`, split between threads if the job is large.
static void run_job(product_job *job, nn_range_task part, long count) {
    if (job->m * job->n * job->k >= parallelMultiplyAdds) nn_kernels_parallel(part, job, count);
    else part(job, 0, count);
}

/// The 16-column strips first..<last of C = αA·B + βC.
NN_AVX512 static void product_strips(void *context, long first, long last) {
    const product_job *job = context;
    const long m = job->m, n = job->n, k = job->k, lda = job->lda, ldb = job->ldb, ldc = job->ldc;
    const double alpha = job->alpha, beta = job->beta, *a = job->a, *b = job->b;
    double *c = job->c;
    // Column strips outside, row tiles inside: B's strip is reused by every row tile from L2.
    for (long j = first * 16; j < n && j < last * 16; j += 16) {
        const __mmask8 low = lanes(n - j), high = lanes(n - j - 8);
        long i = 0;
        for (; i + 8 <= m; i += 8)
            tile(8, k, alpha, a + i * lda, lda, 1, b + j, ldb, beta, c + i * ldc + j, ldc, low, high);
        for (; i + 4 <= m; i += 4)
            tile(4, k, alpha, a + i * lda, lda, 1, b + j, ldb, beta, c + i * ldc + j, ldc, low, high);
        for (; i < m; i++)
            tile(1, k, alpha, a + i * lda, lda, 1, b + j, ldb, beta, c + i * ldc + j, ldc, low, high);
    }
}

void nn_kernel_product(long m, long n, long k, double alpha,
                       const double *a, long lda, const double *b, long ldb,
                       double beta, double *c, long ldc) {
    product_job job = {m, n, k, alpha, beta, a, b, lda, ldb, ldc, c};
    // Threads split the columns: each reads all of A and only its part of B.
    run_job(&job, product_strips, (n + 15) / 16);
}

/// The rows first·8..<last·8 (at most m) of C = αAᵀ·B + βC.
NN_AVX512 static void transposed_rows(void *context, long first, long last) {
    const product_job *job = context;
    const long n = job->n, k = job->k, lda = job->lda, ldb = job->ldb, ldc = job->ldc;
    const double alpha = job->alpha, beta = job->beta, *a = job->a, *b = job->b;
    double *c = job->c;
    const long end = last * 8 < job->m ? last * 8 : job->m;
    // Row tiles outside, column strips inside: A's 8 adjacent columns are one cache line per
    // row of A, and all of B (k rows) is read from L2 once per row tile.
    long i = first * 8;
    for (; i + 8 <= end; i += 8)
        for (long j = 0; j < n; j += 16)
            tile(8, k, alpha, a + i, 1, lda, b + j, ldb, beta, c + i * ldc + j, ldc,
                 lanes(n - j), lanes(n - j - 8));
    for (; i + 4 <= end; i += 4)
        for (long j = 0; j < n; j += 16)
            tile(4, k, alpha, a + i, 1, lda, b + j, ldb, beta, c + i * ldc + j, ldc,
                 lanes(n - j), lanes(n - j - 8));
    for (; i < end; i++)
        for (long j = 0; j < n; j += 16)
            tile(1, k, alpha, a + i, 1, lda, b + j, ldb, beta, c + i * ldc + j, ldc,
                 lanes(n - j), lanes(n - j - 8));
}

void nn_kernel_product_transposed_a(long m, long n, long k, double alpha,
                                    const double *a, long lda, const double *b, long ldb,
                                    double beta, double *c, long ldc) {
    product_job job = {m, n, k, alpha, beta, a, b, lda, ldb, ldc, c};
    // Threads split the rows of C: each updates its own part of C from its own columns of A.
    run_job(&job, transposed_rows, (m + 7) / 8);
}

#else

// Without x86-64, nn_kernels_available() is 0 and nothing calls these; they are the plain
// definition, so the library stays whole and right on every architecture. op(A)'s element
// (i, p) is at a[i·rowStride + p·innerStride], as in the tiles above.

static void plain_product(long m, long n, long k, double alpha, const double *a, long rowStride,
                          long innerStride, const double *b, long ldb, double beta, double *c, long ldc) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) {
            double sum = 0;
            for (long p = 0; p < k; p++) sum += a[i * rowStride + p * innerStride] * b[p * ldb + j];
            c[i * ldc + j] = beta != 0 ? beta * c[i * ldc + j] + alpha * sum : alpha * sum;
        }
}

void nn_kernel_product(long m, long n, long k, double alpha,
                       const double *a, long lda, const double *b, long ldb,
                       double beta, double *c, long ldc) {
    plain_product(m, n, k, alpha, a, lda, 1, b, ldb, beta, c, ldc);
}

void nn_kernel_product_transposed_a(long m, long n, long k, double alpha,
                                    const double *a, long lda, const double *b, long ldb,
                                    double beta, double *c, long ldc) {
    plain_product(m, n, k, alpha, a, 1, lda, b, ldb, beta, c, ldc);
}

#endif
