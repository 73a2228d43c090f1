/*
 * The fused engine's entry points as a table, so that the addon can pick, once per
 * process, between copies of gan.c compiled for different instruction sets.
 */
#ifndef GANSWEEP_KERNELS_H
#define GANSWEEP_KERNELS_H

#include <stddef.h>

struct Gan;

/* Buffers the JavaScript side reads and writes, numbered as in kernels.ts. */
enum {
  BUFFER_GENERATOR_PARAMS,
  BUFFER_DISCRIMINATOR_PARAMS,
  BUFFER_GENERATOR_GRADS,
  BUFFER_DISCRIMINATOR_GRADS,
  BUFFER_REAL,
  BUFFER_NOISE,
  BUFFER_IO_IN,
  BUFFER_IO_OUT,
  BUFFER_COUNT
};

typedef struct {
  const char *name;
  size_t gan_size;
  /* Lays out a trial in [base, base + capacity); with `measure_only` it only sets *used. */
  int (*layout)(struct Gan *gan, unsigned char *base, size_t capacity, int measure_only, size_t *used,
                int latent, int g_hidden, int d_hidden, int batch, int chunk);
  float *(*buffer)(struct Gan *gan, int which);
  int (*param_count)(struct Gan *gan, int which);
  int (*chunk_rows)(struct Gan *gan);
  float (*discriminator_loss_and_grads)(struct Gan *gan);
  float (*generator_loss_and_grads)(struct Gan *gan);
  void (*adam)(struct Gan *gan, int which, float learning_rate, float beta1, float beta2, float epsilon);
  float (*discriminator_step)(struct Gan *gan, float learning_rate, float beta1, float beta2, float epsilon);
  float (*generator_step)(struct Gan *gan, float learning_rate, float beta1, float beta2, float epsilon);
  void (*generate)(struct Gan *gan, int rows);
  void (*discriminate)(struct Gan *gan, int rows);
  /* Makes the products poll `first` and `second` (either may be null) and stop when one is nonzero. */
  void (*watch_stop_flags)(struct Gan *gan, const volatile int *first, const volatile int *second);
  /* Returns 1 when a stop request cut a call of this trial short. */
  int (*interrupted)(struct Gan *gan);
} GanKernels;

extern const GanKernels gan_kernels_baseline;
#if defined(__x86_64__)
extern const GanKernels gan_kernels_avx2;
#endif

#endif
