// The logistic function on a whole float32 buffer, sixteen values at a time: SigmoidKernel.c's
// method in single precision. n = round(x / ln 2), r = x − n ln 2 (|r| ≤ ln 2 / 2, with ln 2
// split in two so n ln 2 is exact), e^r by its Taylor series to r⁸ (the first term left out is
// below 3·10⁻¹⁰, far under float's 6·10⁻⁸), and e^x = e^r · 2ⁿ by vscalefps.
#include "NNKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// e^x for x ≤ 0 (and NaN, which stays NaN).
static inline __attribute__((always_inline, target("avx512f"))) __m512 negative_exp_float(__m512 x) {
    // Below −104, e^x rounds to 0 in float; max(lower, x) returns x when x is NaN.
    x = _mm512_max_ps(_mm512_set1_ps(-104.0f), x);
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    // Cephes's split of ln 2: the high part has few enough bits that n · high is exact.
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    static const float inverseFactorials[] = {
        1.0f / 40320.0f, 1.0f / 5040.0f, 1.0f / 720.0f, 1.0f / 120.0f, 1.0f / 24.0f,
        1.0f / 6.0f, 1.0f / 2.0f, 1.0f, 1.0f,
    };  // 1/8!, 1/7!, …, 1/1!, 1/0!
    __m512 p = _mm512_set1_ps(inverseFactorials[0]);
    for (int i = 1; i < 9; i++) p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(inverseFactorials[i]));
    return _mm512_scalef_ps(p, n);
}

__attribute__((target("avx512f"))) void nn_kernel_sigmoid_float(const float *z, float *a, long count) {
    const __m512 one = _mm512_set1_ps(1.0f);
    const __m512i signBit = _mm512_set1_epi32((int)0x80000000u);
    for (long i = 0; i < count; i += 16) {
        const __mmask16 lanes = count - i >= 16 ? 0xFFFF : (__mmask16)((1u << (count - i)) - 1);
        const __m512 value = _mm512_maskz_loadu_ps(lanes, z + i);
        // As the scalar version: with e = e^−|z|, σ(z) = 1 / (1 + e) for z ≥ 0 and e / (1 + e) below.
        const __m512 negativeMagnitude = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(value), signBit));
        const __m512 e = negative_exp_float(negativeMagnitude);
        const __m512 positive = _mm512_div_ps(one, _mm512_add_ps(one, e));
        const __m512 negative = _mm512_div_ps(e, _mm512_add_ps(one, e));
        const __mmask16 nonNegative = _mm512_cmp_ps_mask(value, _mm512_setzero_ps(), _CMP_GE_OQ);
        _mm512_mask_storeu_ps(a + i, lanes, _mm512_mask_blend_ps(nonNegative, negative, positive));
    }
}

#else
#include <math.h>

void nn_kernel_sigmoid_float(const float *z, float *a, long count) {
    for (long i = 0; i < count; i++) {
        const float e = expf(-fabsf(z[i]));
        a[i] = z[i] >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
}

#endif
