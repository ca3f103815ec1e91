// The two products of ProductKernels.c in float32, for `set dtype float32` training:
//
//   forward   Z = X Wᵀ (+ b)          nn_kernel_product_float               A: [m, k], B: [k, n]
//   update    Wᵀ ← Wᵀ − η Xᵀ δ        nn_kernel_product_transposed_a_float  A: [k, m], B: [k, n]
//
// The same design as the float64 kernels (see there): no packing, a tile of C of up to 8 rows
// held in 16 ZMM registers, streaming A and B from the caches. A ZMM register holds 16 floats,
// so a tile is 32 columns wide. Each element of C is computed by one thread, summing its k
// terms in ascending order with fused multiply-adds, then scaled by alpha and added to beta·C:
// the thread count never changes a result.
#include "NNKernels.h"
#include "KernelThreads.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define NN_AVX512 __attribute__((target("avx512f")))
#define NN_TILE static inline __attribute__((always_inline, target("avx512f")))

/// The lanes of a 32-column strip's lower (columns 0–15) or upper (16–31) half that hold
/// real columns, for a strip `width` columns wide.
static inline __mmask16 lanes16(long width) {
    if (width >= 16) return 0xFFFF;
    if (width <= 0) return 0;
    return (__mmask16)((1u << width) - 1);
}

/// C's tile rows (row r at c + r·ldc) = beta·C + alpha·sum, for the columns the masks keep.
NN_TILE void store_tile_float(const int rows, __m512 sum[8][2], float alpha, float beta,
                              float *c, long ldc, __mmask16 low, __mmask16 high) {
    const __m512 scale = _mm512_set1_ps(alpha), keep = _mm512_set1_ps(beta);
    for (int r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        __m512 lower = _mm512_mul_ps(scale, sum[r][0]);
        __m512 upper = _mm512_mul_ps(scale, sum[r][1]);
        if (beta != 0) {  // beta 0 never reads C, which may hold anything (NaN included)
            lower = _mm512_fmadd_ps(scale, sum[r][0], _mm512_mul_ps(keep, _mm512_maskz_loadu_ps(low, row)));
            upper = _mm512_fmadd_ps(scale, sum[r][1], _mm512_mul_ps(keep, _mm512_maskz_loadu_ps(high, row + 16)));
        }
        _mm512_mask_storeu_ps(row, low, lower);
        _mm512_mask_storeu_ps(row + 16, high, upper);
    }
}

/// A tile of op(A)·B: `rows` rows of op(A), whose element (r, p) is at a[r·rowStride + p·innerStride],
/// by the 32-column strip of B from b.
NN_TILE void tile_float(const int rows, long k, float alpha, const float *a, long rowStride, long innerStride,
                        const float *b, long ldb, float beta, float *c, long ldc, __mmask16 low, __mmask16 high) {
    __m512 sum[8][2];
    for (int r = 0; r < rows; r++) sum[r][0] = sum[r][1] = _mm512_setzero_ps();
    for (long p = 0; p < k; p++) {
        const __m512 lower = _mm512_maskz_loadu_ps(low, b + p * ldb);
        const __m512 upper = _mm512_maskz_loadu_ps(high, b + p * ldb + 16);
        const float *column = a + p * innerStride;
        for (int r = 0; r < rows; r++) {
            const __m512 x = _mm512_set1_ps(column[r * rowStride]);
            sum[r][0] = _mm512_fmadd_ps(x, lower, sum[r][0]);
            sum[r][1] = _mm512_fmadd_ps(x, upper, sum[r][1]);
        }
    }
    store_tile_float(rows, sum, alpha, beta, c, ldc, low, high);
}

typedef struct {
    long m, n, k;
    float alpha, beta;
    const float *a, *b;
    long lda, ldb, ldc;
    float *c;
} float_product_job;

/// As in ProductKernels.c: smaller products stay on one thread.
enum { parallelMultiplyAddsFloat = 1 << 18 };

static void run_float_job(float_product_job *job, nn_range_task part, long count) {
    if (job->m * job->n * job->k >= parallelMultiplyAddsFloat) nn_kernels_parallel(part, job, count);
    else part(job, 0, count);
}

/// The 32-column strips first..<last of C = αA·B + βC.
NN_AVX512 static void float_product_strips(void *context, long first, long last) {
    const float_product_job *job = context;
    const long m = job->m, n = job->n, k = job->k, lda = job->lda, ldb = job->ldb, ldc = job->ldc;
    const float alpha = job->alpha, beta = job->beta, *a = job->a, *b = job->b;
    float *c = job->c;
    for (long j = first * 32; j < n && j < last * 32; j += 32) {
        const __mmask16 low = lanes16(n - j), high = lanes16(n - j - 16);
        long i = 0;
        for (; i + 8 <= m; i += 8)
            tile_float(8, k, alpha, a + i * lda, lda, 1, b + j, ldb, beta, c + i * ldc + j, ldc, low, high);
        for (; i + 4 <= m; i += 4)
            tile_float(4, k, alpha, a + i * lda, lda, 1, b + j, ldb, beta, c + i * ldc + j, ldc, low, high);
        for (; i < m; i++)
            tile_float(1, k, alpha, a + i * lda, lda, 1, b + j, ldb, beta, c + i * ldc + j, ldc, low, high);
    }
}

void nn_kernel_product_float(long m, long n, long k, float alpha,
                             const float *a, long lda, const float *b, long ldb,
                             float beta, float *c, long ldc) {
    float_product_job job = {m, n, k, alpha, beta, a, b, lda, ldb, ldc, c};
    run_float_job(&job, float_product_strips, (n + 31) / 32);
}

/// The rows first·8..<last·8 (at most m) of C = αAᵀ·B + βC.
NN_AVX512 static void float_transposed_rows(void *context, long first, long last) {
    const float_product_job *job = context;
    const long n = job->n, k = job->k, lda = job->lda, ldb = job->ldb, ldc = job->ldc;
    const float alpha = job->alpha, beta = job->beta, *a = job->a, *b = job->b;
    float *c = job->c;
    const long end = last * 8 < job->m ? last * 8 : job->m;
    long i = first * 8;
    for (; i + 8 <= end; i += 8)
        for (long j = 0; j < n; j += 32)
            tile_float(8, k, alpha, a + i, 1, lda, b + j, ldb, beta, c + i * ldc + j, ldc,
                       lanes16(n - j), lanes16(n - j - 16));
    for (; i + 4 <= end; i += 4)
        for (long j = 0; j < n; j += 32)
            tile_float(4, k, alpha, a + i, 1, lda, b + j, ldb, beta, c + i * ldc + j, ldc,
                       lanes16(n - j), lanes16(n - j - 16));
    for (; i < end; i++)
        for (long j = 0; j < n; j += 32)
            tile_float(1, k, alpha, a + i, 1, lda, b + j, ldb, beta, c + i * ldc + j, ldc,
                       lanes16(n - j), lanes16(n - j - 16));
}

void nn_kernel_product_transposed_a_float(long m, long n, long k, float alpha,
                                          const float *a, long lda, const float *b, long ldb,
                                          float beta, float *c, long ldc) {
    float_product_job job = {m, n, k, alpha, beta, a, b, lda, ldb, ldc, c};
    run_float_job(&job, float_transposed_rows, (m + 7) / 8);
}

#else

static void plain_product_float(long m, long n, long k, float alpha, const float *a, long rowStride,
                                long innerStride, const float *b, long ldb, float beta, float *c, long ldc) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) {
            float sum = 0;
            for (long p = 0; p < k; p++) sum += a[i * rowStride + p * innerStride] * b[p * ldb + j];
            c[i * ldc + j] = beta != 0 ? beta * c[i * ldc + j] + alpha * sum : alpha * sum;
        }
}

void nn_kernel_product_float(long m, long n, long k, float alpha,
                             const float *a, long lda, const float *b, long ldb,
                             float beta, float *c, long ldc) {
    plain_product_float(m, n, k, alpha, a, lda, 1, b, ldb, beta, c, ldc);
}

void nn_kernel_product_transposed_a_float(long m, long n, long k, float alpha,
                                          const float *a, long lda, const float *b, long ldb,
                                          float beta, float *c, long ldc) {
    plain_product_float(m, n, k, alpha, a, 1, lda, b, ldb, beta, c, ldc);
}

#endif
