/* gan.c compiled for the architecture's baseline instruction set (SSE2 on x86-64, NEON on
 * arm64): 4 floats per register. */
#define GAN_INTERRUPTIBLE
#define GAN_VECTOR_WIDTH 4

/* Rounding down by truncation, exact for the |x| < 2^31 that fexp's clamp ensures. */
static inline float truncating_floor(float x) {
  float t = (float)(int)x;
  return t > x ? t - 1.0f : t;
}
#define GAN_FLOOR truncating_floor

#include "../gan.c"
#define KERNEL_TABLE gan_kernels_baseline
#if defined(__x86_64__)
#define KERNEL_NAME "sse2"
#elif defined(__aarch64__)
#define KERNEL_NAME "neon"
#else
#define KERNEL_NAME "baseline"
#endif
#include "kernel_table.h"
