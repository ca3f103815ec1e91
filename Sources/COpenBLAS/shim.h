// OpenBLAS's CBLAS interface (cblas_dgemm, cblas_sgemm) and its thread-count controls.
#include <cblas.h>

/// The number of threads OpenBLAS's kernels use from now on; at least 1.
static inline void nn_blas_set_threads(int count) { openblas_set_num_threads(count); }

/// The number of threads OpenBLAS's kernels use.
static inline int nn_blas_threads(void) { return openblas_get_num_threads(); }
