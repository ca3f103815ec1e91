// + − × ÷ over whole buffers for the expression language, with numpy's broadcasting: a scalar
// with every element, or one row with every row. Each loop also notes whether any result is NaN
// or ±∞ (for the overflow check) in the same pass, as bits OR-ed together, which vectorizes.
//
// The loops are plain C, compiled twice: for AVX-512 (clang vectorizes them eight doubles at a
// time; chosen at run time by the caller, after nn_kernels_available) and for any x86-64 or
// arm64 CPU.
#include "NNKernels.h"

#include <stdint.h>
#include <string.h>

/// Bit 63 set when x is NaN or ±∞: its exponent bits are all ones, and one more carries out.
static inline uint64_t non_finite_bit(double x) {
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return (bits & 0x7FF0000000000000ull) + (1ull << 52);
}

// out[i] = EXPRESSION for i < count, with x = a[i] and y the scalar or b[column].
#define SCALAR_LOOP(EXPRESSION)                                                    \
    for (long i = 0; i < count; i++) {                                             \
        const double x = a[i], result = (EXPRESSION);                              \
        out[i] = result;                                                           \
        flags |= non_finite_bit(result);                                           \
    }
#define ROW_LOOP(EXPRESSION)                                                       \
    for (long start = 0; start < count; start += row_length) {                     \
        const double *restrict row = a + start;                                    \
        double *restrict row_out = out + start;                                    \
        for (long column = 0; column < row_length; column++) {                     \
            const double x = row[column], y = b[column], result = (EXPRESSION);    \
            row_out[column] = result;                                              \
            flags |= non_finite_bit(result);                                       \
        }                                                                          \
    }
// Each operation in both orders: a op b, and b op a (a vector on the left of a matrix).
#define ALL_OPERATIONS(LOOP, Y)                                                    \
    switch (operation * 2 + swapped) {                                             \
    case 0: LOOP(x + Y) break;                                                     \
    case 1: LOOP(Y + x) break;                                                     \
    case 2: LOOP(x - Y) break;                                                     \
    case 3: LOOP(Y - x) break;                                                     \
    case 4: LOOP(x * Y) break;                                                     \
    case 5: LOOP(Y * x) break;                                                     \
    case 6: LOOP(x / Y) break;                                                     \
    case 7: LOOP(Y / x) break;                                                     \
    }

#define DEFINE_ARITHMETIC(NAME, ATTRIBUTES)                                        \
    ATTRIBUTES static int NAME(int operation, int swapped, const double *restrict a, \
                               const double *restrict b, long row_length,           \
                               double *restrict out, long count) {                  \
        uint64_t flags = 0;                                                        \
        if (row_length == 1) {                                                     \
            const double scalar = b[0];                                            \
            ALL_OPERATIONS(SCALAR_LOOP, scalar)                                    \
        } else {                                                                   \
            ALL_OPERATIONS(ROW_LOOP, y)                                            \
        }                                                                          \
        return (flags >> 63) != 0;                                                 \
    }

DEFINE_ARITHMETIC(arithmetic_plain, )
#if defined(__x86_64__)
DEFINE_ARITHMETIC(arithmetic_avx512, __attribute__((target("avx512f"))))
#endif

// The same loops writing back into a: x = a[i] is read before a[i] is written, and the flags
// of the operands a held are kept too (they are gone once the loop has passed).
#define SCALAR_LOOP_IN_PLACE(EXPRESSION)                                           \
    for (long i = 0; i < count; i++) {                                             \
        const double x = a[i], result = (EXPRESSION);                              \
        a[i] = result;                                                             \
        flags |= non_finite_bit(result);                                           \
        input_flags |= non_finite_bit(x);                                          \
    }
#define ROW_LOOP_IN_PLACE(EXPRESSION)                                              \
    for (long start = 0; start < count; start += row_length) {                     \
        double *restrict row = a + start;                                          \
        for (long column = 0; column < row_length; column++) {                     \
            const double x = row[column], y = b[column], result = (EXPRESSION);    \
            row[column] = result;                                                  \
            flags |= non_finite_bit(result);                                       \
            input_flags |= non_finite_bit(x);                                      \
        }                                                                          \
    }

#define DEFINE_ARITHMETIC_IN_PLACE(NAME, ATTRIBUTES)                               \
    ATTRIBUTES static int NAME(int operation, int swapped, double *restrict a,     \
                               const double *restrict b, long row_length, long count) { \
        uint64_t flags = 0, input_flags = 0;                                       \
        if (row_length == 1) {                                                     \
            const double scalar = b[0];                                            \
            ALL_OPERATIONS(SCALAR_LOOP_IN_PLACE, scalar)                           \
        } else {                                                                   \
            ALL_OPERATIONS(ROW_LOOP_IN_PLACE, y)                                   \
        }                                                                          \
        return (int)(flags >> 63) | (int)((input_flags >> 63) << 1);               \
    }

DEFINE_ARITHMETIC_IN_PLACE(arithmetic_in_place_plain, )
#if defined(__x86_64__)
DEFINE_ARITHMETIC_IN_PLACE(arithmetic_in_place_avx512, __attribute__((target("avx512f"))))
#endif

int nn_kernel_arithmetic_in_place(int operation, int swapped, double *a, const double *b, long row_length,
                                  long count, int use_avx512) {
    if (row_length <= 0 || count <= 0) return 0;
#if defined(__x86_64__)
    if (use_avx512) return arithmetic_in_place_avx512(operation, swapped, a, b, row_length, count);
#endif
    (void)use_avx512;
    return arithmetic_in_place_plain(operation, swapped, a, b, row_length, count);
}

int nn_kernel_arithmetic(int operation, int swapped, const double *a, const double *b, long row_length,
                         double *out, long count, int use_avx512) {
    if (row_length <= 0 || count <= 0) return 0;
#if defined(__x86_64__)
    if (use_avx512) return arithmetic_avx512(operation, swapped, a, b, row_length, out, count);
#endif
    (void)use_avx512;
    return arithmetic_plain(operation, swapped, a, b, row_length, out, count);
}
