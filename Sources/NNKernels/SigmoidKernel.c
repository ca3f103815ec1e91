// The logistic function on a whole buffer, eight values at a time.
//
// glibc's exp is fast but scalar, and a 784-128-10 sigmoid network calls it 8,192 times a
// batch. Here exp is evaluated in AVX-512: n = round(x / ln 2), r = x − n ln 2 (|r| ≤ ln 2 / 2,
// with ln 2 split in two so n ln 2 is exact), e^r by its Taylor series to r¹³ (the first term
// left out is below 5·10⁻¹⁸), and e^x = e^r · 2ⁿ by vscalefpd, which also rounds results in
// the subnormal range correctly.
#include "NNKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define NN_AVX512 __attribute__((target("avx512f")))

/// e^x for x ≤ 0 (and NaN, which stays NaN).
static inline __attribute__((always_inline, target("avx512f"))) __m512d negative_exp(__m512d x) {
    // Below −746, e^x rounds to 0; clamping keeps −∞ from becoming ∞ − ∞. max(lower, x)
    // returns x when x is NaN, so NaN passes through.
    x = _mm512_max_pd(_mm512_set1_pd(-746.0), x);
    const __m512d n = _mm512_roundscale_pd(_mm512_mul_pd(x, _mm512_set1_pd(1.4426950408889634)),
                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    // fdlibm's split of ln 2: the high part has 32 trailing zero bits, so n · high is exact.
    __m512d r = _mm512_fnmadd_pd(n, _mm512_set1_pd(6.93147180369123816490e-01), x);
    r = _mm512_fnmadd_pd(n, _mm512_set1_pd(1.90821492927058770002e-10), r);
    static const double inverseFactorials[] = {
        1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,
        1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0,
        1.0 / 6.0, 1.0 / 2.0, 1.0, 1.0,
    };  // 1/13!, 1/12!, …, 1/1!, 1/0!
    __m512d p = _mm512_set1_pd(inverseFactorials[0]);
    for (int i = 1; i < 14; i++) p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(inverseFactorials[i]));
    return _mm512_scalef_pd(p, n);
}

NN_AVX512 void nn_kernel_sigmoid(const double *z, double *a, long count) {
    const __m512d one = _mm512_set1_pd(1.0);
    const __m512d signBit = _mm512_set1_pd(-0.0);
    for (long i = 0; i < count; i += 8) {
        const __mmask8 lanes = count - i >= 8 ? 0xFF : (__mmask8)((1u << (count - i)) - 1);
        const __m512d value = _mm512_maskz_loadu_pd(lanes, z + i);
        // As the scalar version: with e = e^−|z|, σ(z) = 1 / (1 + e) for z ≥ 0 and e / (1 + e)
        // below, so exp never overflows.
        const __m512d magnitude = _mm512_castsi512_pd(
            _mm512_andnot_si512(_mm512_castpd_si512(signBit), _mm512_castpd_si512(value)));
        const __m512d e = negative_exp(_mm512_castsi512_pd(
            _mm512_xor_si512(_mm512_castpd_si512(magnitude), _mm512_castpd_si512(signBit))));
        const __m512d positive = _mm512_div_pd(one, _mm512_add_pd(one, e));
        const __m512d negative = _mm512_div_pd(e, _mm512_add_pd(one, e));
        const __mmask8 nonNegative = _mm512_cmp_pd_mask(value, _mm512_setzero_pd(), _CMP_GE_OQ);
        _mm512_mask_storeu_pd(a + i, lanes, _mm512_mask_blend_pd(nonNegative, negative, positive));
    }
}

#else
#include <math.h>

// Without x86-64 nothing calls this (see nn_kernels_available); it is the scalar formula.
void nn_kernel_sigmoid(const double *z, double *a, long count) {
    for (long i = 0; i < count; i++) {
        const double e = exp(-fabs(z[i]));
        a[i] = z[i] >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
}

#endif
