// The helper threads the product kernels split their work with (KernelThreads.c).
#ifndef NN_KERNEL_THREADS_H
#define NN_KERNEL_THREADS_H

/// Work on the items first..<last of a job.
typedef void (*nn_range_task)(void *context, long first, long last);

/// Runs task over 0..<count split into contiguous parts, one per thread (the caller's
/// included), and returns when every part is done. Runs it all on the calling thread when
/// one thread is asked for or another caller is using the helpers.
void nn_kernels_parallel(nn_range_task task, void *context, long count);

#endif
