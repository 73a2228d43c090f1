/*
 * Builds a GanKernels table named KERNEL_TABLE from the gan.c included before this file.
 */
#include "kernels.h"

static int table_layout(Gan *gan, unsigned char *base, size_t capacity, int measure_only, size_t *used,
                        int latent, int g_hidden, int d_hidden, int batch, int chunk) {
  Arena arena = { base, 0, capacity, measure_only };
  int status = gan_layout(gan, &arena, latent, g_hidden, d_hidden, batch, chunk);
  *used = arena.used;
  return status;
}

static float *table_buffer(Gan *gan, int which) {
  switch (which) {
    case BUFFER_GENERATOR_PARAMS: return gan->generator.params;
    case BUFFER_DISCRIMINATOR_PARAMS: return gan->discriminator.params;
    case BUFFER_GENERATOR_GRADS: return gan->generator.grads;
    case BUFFER_DISCRIMINATOR_GRADS: return gan->discriminator.grads;
    case BUFFER_REAL: return gan->real;
    case BUFFER_NOISE: return gan->noise;
    case BUFFER_IO_IN: return gan->io_in;
    case BUFFER_IO_OUT: return gan->io_out;
    default: return 0;
  }
}

static int table_param_count(Gan *gan, int which) { return network(gan, which)->count; }
static int table_chunk_rows(Gan *gan) { return gan->chunk; }

static void table_watch_stop_flags(Gan *gan, const volatile int *first, const volatile int *second) {
  gan->stop_flags[0] = first;
  gan->stop_flags[1] = second;
}

static int table_interrupted(Gan *gan) { return gan->interrupted; }

const GanKernels KERNEL_TABLE = {
  KERNEL_NAME,
  sizeof(Gan),
  table_layout,
  table_buffer,
  table_param_count,
  table_chunk_rows,
  gan_discriminator_loss_and_grads,
  gan_generator_loss_and_grads,
  gan_adam,
  gan_discriminator_step,
  gan_generator_step,
  gan_generate,
  gan_discriminate,
  table_watch_stop_flags,
  table_interrupted,
};
