// Whether this CPU and its operating system can run the AVX-512 kernels.
#include "NNKernels.h"

#if defined(__x86_64__)
#include <cpuid.h>

int nn_kernels_available(void) {
    unsigned eax, ebx, ecx, edx;
    // The OS must save the AVX-512 registers on a context switch: CPUID.1:ECX.OSXSAVE, then
    // XCR0 bits 1, 2 (SSE, AVX state) and 5, 6, 7 (opmask, upper ZMM halves, ZMM16-31).
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) return 0;
    unsigned xcr0Low, xcr0High;
    __asm__ volatile("xgetbv" : "=a"(xcr0Low), "=d"(xcr0High) : "c"(0));
    if ((xcr0Low & 0xE6u) != 0xE6u) return 0;
    // CPUID.7.0:EBX bit 16 is AVX-512 Foundation.
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 16)) != 0;
}

#else

/// The kernels are AVX-512 code: elsewhere (arm64, say) every product goes to OpenBLAS.
int nn_kernels_available(void) { return 0; }

#endif
