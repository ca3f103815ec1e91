// Whole-buffer loops for the expression language's element-wise functions and reductions on
// large values: exp in AVX-512 (checked for at run time, as the product kernels are), and the
// pairwise sum, which is plain C and runs everywhere.
#include "NNKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "ExponentialAVX512.h"

__attribute__((target("avx512f"))) void nn_kernel_exp(const double *x, double *y, long count) {
    for (long i = 0; i < count; i += 8) {
        const __mmask8 lanes = count - i >= 8 ? 0xFF : (__mmask8)((1u << (count - i)) - 1);
        _mm512_mask_storeu_pd(y + i, lanes, nn_exp_avx512(_mm512_maskz_loadu_pd(lanes, x + i)));
    }
}

#else
#include <math.h>

// Without x86-64 nothing calls this (see nn_kernels_available); it is the scalar function.
void nn_kernel_exp(const double *x, double *y, long count) {
    for (long i = 0; i < count; i++) y[i] = exp(x[i]);
}

#endif

// NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src), in the same order:
// fewer than 8 numbers one after another from 0; up to 128 in eight running sums, added as
// ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then the rest one by one; more than that
// split in two halves (the first a multiple of 8) summed the same way. The rounding error
// grows with log n rather than n, and the eight independent sums let the CPU overlap them.
double nn_pairwise_sum(const double *a, long n) {
    if (n < 8) {
        double sum = 0.0;
        for (long i = 0; i < n; i++) sum += a[i];
        return sum;
    }
    if (n <= 128) {
        double r[8];
        for (int j = 0; j < 8; j++) r[j] = a[j];
        long i = 8;
        for (; i < n - (n % 8); i += 8) {
            for (int j = 0; j < 8; j++) r[j] += a[i + j];
        }
        double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) sum += a[i];
        return sum;
    }
    long half = n / 2;
    half -= half % 8;
    return nn_pairwise_sum(a, half) + nn_pairwise_sum(a + half, n - half);
}
