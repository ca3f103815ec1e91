// The logistic function on a whole buffer, eight values at a time.
//
// glibc's exp is fast but scalar, and a 784-128-10 sigmoid network calls it 8,192 times a
// batch. Here exp is evaluated in AVX-512 (ExponentialAVX512.h), only ever at −|z| ≤ 0.
#include "NNKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "ExponentialAVX512.h"

#define NN_AVX512 __attribute__((target("avx512f")))

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
        const __m512d e = nn_exp_avx512(_mm512_castsi512_pd(
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
