// Splitting a kernel's work between threads.
//
// A product of one training batch takes a few hundred microseconds, so handing half of it to
// another thread must cost far less: the helpers are made once and spin on a counter between
// products (`spinLimit` pauses, well under a millisecond), then sleep on a condition variable
// until the next one. One caller at a time uses the helpers; a second caller meanwhile (two
// threads training at once) runs its product on its own thread.
#define _GNU_SOURCE  // sched_getaffinity, CPU_COUNT
#include "KernelThreads.h"
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

enum { maximumThreads = 64, spinLimit = 20000 };

/// Tells the CPU this thread is spinning, so it lets the other hardware thread run.
static inline void spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_ulong generation;  // bumped once per job
    atomic_int sleepers;      // helpers waiting on `wake`
    atomic_int unfinished;    // helpers still working on the current job
    atomic_flag busy;         // held by the thread running a job
    atomic_int requested;     // the thread count asked for, helpers included
    int started;              // helpers made so far; changed only by the job's owner
    unsigned long generationAtStart;  // `generation` when the newest helper was made
    // The current job, written before `generation` is bumped.
    nn_range_task task;
    void *context;
    long count;
    int threads;
} pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .busy = ATOMIC_FLAG_INIT,
    .requested = 1,
};

/// Part `index` of `parts` of 0..<count: contiguous, in order, sizes differing by at most 1.
static void run_part(int index) {
    const long first = pool.count * index / pool.threads;
    const long last = pool.count * (index + 1) / pool.threads;
    if (first < last) pool.task(pool.context, first, last);
}

static void *helper_main(void *argument) {
    const int index = (int)(long)argument;
    // The generation before the job the helper was made for: that job's bump may come
    // before this thread first runs, and it must not be missed.
    unsigned long seen = pool.generationAtStart;
    for (;;) {
        int spins = 0;
        while (atomic_load(&pool.generation) == seen && spins < spinLimit) {
            spin_pause();
            spins++;
        }
        if (atomic_load(&pool.generation) == seen) {
            pthread_mutex_lock(&pool.lock);
            atomic_fetch_add(&pool.sleepers, 1);
            while (atomic_load(&pool.generation) == seen) pthread_cond_wait(&pool.wake, &pool.lock);
            atomic_fetch_sub(&pool.sleepers, 1);
            pthread_mutex_unlock(&pool.lock);
        }
        seen = atomic_load(&pool.generation);
        // A helper beyond this job's thread count sits it out.
        if (index < pool.threads) run_part(index);
        atomic_fetch_sub(&pool.unfinished, 1);
    }
    return 0;
}

void nn_kernels_set_threads(int count) {
    atomic_store(&pool.requested, count < 1 ? 1 : (count > maximumThreads ? maximumThreads : count));
}

int nn_kernels_threads(void) { return atomic_load(&pool.requested); }

/// The CPUs this process may run on. More threads than that would only wait for each other:
/// a helper spinning for its next part holds a CPU another helper needs.
static int usable_cpus(void) {
    static atomic_int known;  // 0 until first asked
    int count = atomic_load(&known);
    if (count == 0) {
#if defined(__linux__)
        cpu_set_t set;
        count = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : (int)sysconf(_SC_NPROCESSORS_ONLN);
#else
        count = (int)sysconf(_SC_NPROCESSORS_ONLN);
#endif
        if (count < 1) count = 1;
        atomic_store(&known, count);
    }
    return count;
}

void nn_kernels_parallel(nn_range_task task, void *context, long count) {
    int threads = atomic_load(&pool.requested);
    if (threads > usable_cpus()) threads = usable_cpus();
    if (threads > count) threads = (int)count;
    if (threads <= 1 || atomic_flag_test_and_set(&pool.busy)) {
        task(context, 0, count);
        return;
    }
    while (pool.started < threads - 1) {
        // Helpers block every signal (they inherit the mask), so Ctrl-C reaches the thread
        // that reads the prompt.
        sigset_t all, previous;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &previous);
        pthread_t thread;
        pool.generationAtStart = atomic_load(&pool.generation);  // pthread_create publishes it
        const int failed = pthread_create(&thread, 0, helper_main, (void *)(long)(pool.started + 1));
        pthread_sigmask(SIG_SETMASK, &previous, 0);
        if (failed) break;
        pthread_detach(thread);
        pool.started++;
    }
    if (threads > pool.started + 1) threads = pool.started + 1;  // fewer helpers could be made
    if (threads <= 1) {
        atomic_flag_clear(&pool.busy);
        task(context, 0, count);
        return;
    }
    pool.task = task;
    pool.context = context;
    pool.count = count;
    pool.threads = threads;
    // Every helper made so far wakes for the job, and each one counts itself off.
    atomic_store(&pool.unfinished, pool.started);
    atomic_fetch_add(&pool.generation, 1);
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.lock);
    }
    run_part(0);
    while (atomic_load(&pool.unfinished) > 0) spin_pause();
    atomic_flag_clear(&pool.busy);
}
