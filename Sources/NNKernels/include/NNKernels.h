// Hand-written AVX-512 kernels for the training loop's hottest work, where OpenBLAS's
// general-purpose GEMM loses time packing operands that are used once.
//
// Every function here needs AVX-512F; call nn_kernels_available() first and use OpenBLAS or
// a plain loop when it is 0. Matrices are row-major, sizes and row lengths in elements.
#ifndef NN_KERNELS_H
#define NN_KERNELS_H

#include <stddef.h>

/// 1 if this CPU runs the kernels below (it has AVX-512F), else 0.
int nn_kernels_available(void);

/// C = beta·C + alpha·A·B with A: [m, k], B: [k, n], C: [m, n].
/// With beta 0, C is only written, so it may hold anything beforehand.
void nn_kernel_product(long m, long n, long k, double alpha,
                       const double *a, long lda, const double *b, long ldb,
                       double beta, double *c, long ldc);

/// C = beta·C + alpha·Aᵀ·B with A stored as [k, m], B: [k, n], C: [m, n]; beta as above.
void nn_kernel_product_transposed_a(long m, long n, long k, double alpha,
                                    const double *a, long lda, const double *b, long ldb,
                                    double beta, double *c, long ldc);

/// The number of threads the product kernels split a large product between (the caller's
/// included), from 1 to 64; 1 at start. Small products always run on the caller's thread.
void nn_kernels_set_threads(int count);
int nn_kernels_threads(void);

/// a[i] = 1 / (1 + exp(−z[i])) for i < count, within 2 ulp of the correctly rounded value.
void nn_kernel_sigmoid(const double *z, double *a, long count);

/// y[i] = exp(x[i]) for i < count (y may be x), within 1 ulp of glibc's exp; ∞ above
/// 709.78…, 0 below −745.13…, NaN stays NaN. Returns 1 if any y[i] is NaN or ±∞, else 0.
int nn_kernel_exp(const double *x, double *y, long count);

/// out[i] = a[i] op b[i mod row_length] for i < count (row_length divides count; 1 for a
/// scalar b), or b[…] op a[i] when `swapped`; op is 0 +, 1 −, 2 ×, 3 ÷. out must not overlap
/// a or b. Returns 1 if any out[i] is NaN or ±∞, else 0. With use_avx512 (only where
/// nn_kernels_available() is 1) the loops run eight doubles at a time.
int nn_kernel_arithmetic(int operation, int swapped, const double *a, const double *b, long row_length,
                         double *out, long count, int use_avx512);

/// nn_kernel_arithmetic with the result written over a: a[i] = a[i] op b[i mod row_length] (or
/// b[…] op a[i] when `swapped`); b must not overlap a. Returns bit 0 set if any result is NaN or
/// ±∞, and bit 1 set if any element a held before was.
int nn_kernel_arithmetic_in_place(int operation, int swapped, double *a, const double *b, long row_length,
                                  long count, int use_avx512);

/// The sum of a[0] … a[n − 1] in NumPy's pairwise order (plain C: no AVX-512 needed).
double nn_pairwise_sum(const double *a, long n);

// float32, for `set dtype float32` training (ProductKernelsFloat.c, SigmoidKernelFloat.c): the
// same products and sigmoid, with the same contracts, sixteen floats to a register.
void nn_kernel_product_float(long m, long n, long k, float alpha,
                             const float *a, long lda, const float *b, long ldb,
                             float beta, float *c, long ldc);
void nn_kernel_product_transposed_a_float(long m, long n, long k, float alpha,
                                          const float *a, long lda, const float *b, long ldb,
                                          float beta, float *c, long ldc);
void nn_kernel_sigmoid_float(const float *z, float *a, long count);

#endif
