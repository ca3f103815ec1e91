// e^x for eight doubles in AVX-512, shared by the sigmoid and exp kernels.
//
// n = round(x / ln 2), r = x − n ln 2 (|r| ≤ ln 2 / 2, with ln 2 split in two so n ln 2 is
// exact), e^r by its Taylor series to r¹³ (the first term left out is below 5·10⁻¹⁸), and
// e^x = e^r · 2ⁿ by vscalefpd, which also rounds results in the subnormal range correctly and
// gives ∞ past the largest double.
#ifndef NN_EXPONENTIAL_AVX512_H
#define NN_EXPONENTIAL_AVX512_H

#if defined(__x86_64__)
#include <immintrin.h>

/// e^x for every lane (NaN stays NaN).
static inline __attribute__((always_inline, target("avx512f"))) __m512d nn_exp_avx512(__m512d x) {
    // Below −746, e^x rounds to 0 and above 710 to ∞; clamping keeps −∞ from becoming ∞ − ∞
    // and n within vscalefpd's reach. max(bound, x) and min(bound, x) return x when x is NaN,
    // so NaN passes through.
    x = _mm512_max_pd(_mm512_set1_pd(-746.0), x);
    x = _mm512_min_pd(_mm512_set1_pd(710.0), x);
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

#endif
#endif
