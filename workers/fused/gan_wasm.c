/*
 * WebAssembly entry points of the fused engine (build.sh compiles this file). The module
 * keeps one trial at a time in its linear memory, above the stack and static data. Each
 * gan_init lays out a new trial there and grows the memory as needed. Pointers returned
 * to JavaScript are byte offsets into the module's memory.
 */

#define GAN_VECTOR_WIDTH 4
#include "gan.c"

#define EXPORT(name) __attribute__((export_name(#name)))

extern unsigned char __heap_base;
static Gan gan;

EXPORT(gan_init)
int gan_init(int latent_dim, int generator_hidden, int discriminator_hidden, int batch_size, int chunk_rows) {
  size_t heap = (size_t)&__heap_base;
  Arena measure = { &__heap_base, 0, 0, 1 };
  if (gan_layout(&gan, &measure, latent_dim, generator_hidden, discriminator_hidden, batch_size, chunk_rows)) return -1;
  size_t have = __builtin_wasm_memory_size(0) * 65536;
  size_t need = heap + measure.used;
  if (need > have && __builtin_wasm_memory_grow(0, (need - have + 65535) / 65536) == (size_t)-1) return -1;

  Arena arena = { &__heap_base, 0, __builtin_wasm_memory_size(0) * 65536 - heap, 0 };
  return gan_layout(&gan, &arena, latent_dim, generator_hidden, discriminator_hidden, batch_size, chunk_rows);
}

EXPORT(gan_params) float *wasm_params(int which) { return network(&gan, which)->params; }
EXPORT(gan_grads) float *wasm_grads(int which) { return network(&gan, which)->grads; }
EXPORT(gan_param_count) int wasm_param_count(int which) { return network(&gan, which)->count; }
EXPORT(gan_real) float *wasm_real(void) { return gan.real; }
EXPORT(gan_noise) float *wasm_noise(void) { return gan.noise; }
EXPORT(gan_io_in) float *wasm_io_in(void) { return gan.io_in; }
EXPORT(gan_io_out) float *wasm_io_out(void) { return gan.io_out; }
EXPORT(gan_discriminator_loss_and_grads) float wasm_discriminator_loss_and_grads(void) { return gan_discriminator_loss_and_grads(&gan); }
EXPORT(gan_generator_loss_and_grads) float wasm_generator_loss_and_grads(void) { return gan_generator_loss_and_grads(&gan); }

EXPORT(gan_adam)
void wasm_adam(int which, float learning_rate, float beta1, float beta2, float epsilon) {
  gan_adam(&gan, which, learning_rate, beta1, beta2, epsilon);
}

EXPORT(gan_discriminator_step)
float wasm_discriminator_step(float learning_rate, float beta1, float beta2, float epsilon) {
  return gan_discriminator_step(&gan, learning_rate, beta1, beta2, epsilon);
}

EXPORT(gan_generator_step)
float wasm_generator_step(float learning_rate, float beta1, float beta2, float epsilon) {
  return gan_generator_step(&gan, learning_rate, beta1, beta2, epsilon);
}

EXPORT(gan_generate) void wasm_generate(int rows) { gan_generate(&gan, rows); }
EXPORT(gan_discriminate) void wasm_discriminate(int rows) { gan_discriminate(&gan, rows); }
