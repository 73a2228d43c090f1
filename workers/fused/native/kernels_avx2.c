/* gan.c compiled for x86-64 processors with AVX2 and FMA: 8 floats per register. The
 * addon uses this copy only after checking the processor supports both. */
#if defined(__x86_64__)
#pragma GCC target("avx2,fma")
#define GAN_INTERRUPTIBLE
#define GAN_VECTOR_WIDTH 8
#include "../gan.c"
#define KERNEL_TABLE gan_kernels_avx2
#define KERNEL_NAME "avx2+fma"
#include "kernel_table.h"
#endif
