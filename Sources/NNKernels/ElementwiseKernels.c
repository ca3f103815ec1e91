// Whole-buffer loops for the expression language's element-wise functions and reductions on
// large values: exp in AVX-512 (checked for at run time, as the product kernels are), and the
// pairwise sum, which is plain C and runs everywhere.
#include "NNKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "ExponentialAVX512.h"

__attribute__((target("avx512f"))) int nn_kernel_exp(const double *x, double *y, long count) {
    const __m512d infinity = _mm512_set1_pd(__builtin_inf());
    __mmask8 nonFinite = 0;
    long i = 0;
    // Two independent groups of eight at a time, so that one's polynomial fills the other's
    // waits (each Horner step waits for the one before).
    for (; i + 16 <= count; i += 16) {
        const __m512d first = nn_exp_avx512(_mm512_loadu_pd(x + i));
        const __m512d second = nn_exp_avx512(_mm512_loadu_pd(x + i + 8));
        _mm512_storeu_pd(y + i, first);
        _mm512_storeu_pd(y + i + 8, second);
        // e^x ≥ 0, so a result is NaN or ∞ exactly when it is not below ∞ (unordered counts).
        nonFinite |= _mm512_cmp_pd_mask(first, infinity, _CMP_NLT_UQ) | _mm512_cmp_pd_mask(second, infinity, _CMP_NLT_UQ);
    }
    for (; i < count; i += 8) {
        const __mmask8 lanes = count - i >= 8 ? 0xFF : (__mmask8)((1u << (count - i)) - 1);
        const __m512d result = nn_exp_avx512(_mm512_maskz_loadu_pd(lanes, x + i));
        _mm512_mask_storeu_pd(y + i, lanes, result);
        nonFinite |= _mm512_mask_cmp_pd_mask(lanes, result, infinity, _CMP_NLT_UQ);
    }
    return nonFinite != 0;
}

#else
#include <math.h>

// Without x86-64 nothing calls this (see nn_kernels_available); it is the scalar function.
int nn_kernel_exp(const double *x, double *y, long count) {
    int nonFinite = 0;
    for (long i = 0; i < count; i++) {
        y[i] = exp(x[i]);
        nonFinite |= !isfinite(y[i]);
    }
    return nonFinite;
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
