/*
 * Node.js addon of the fused engine: the same gan.c as the WebAssembly module, compiled
 * for this machine by node-gyp (see binding.gyp and build.mjs), with AVX2 and FMA when the
 * processor has them.
 *
 * A trial lives in an ArrayBuffer that JavaScript allocates with requiredBytes() and owns:
 * a header, then the Gan state, then every buffer of the trial. JavaScript reads and writes
 * the buffers through Float32Array views at the offsets bufferOffset() returns, as it does
 * with the WebAssembly module's memory. Each call checks that the ArrayBuffer is one that
 * init() laid out at its current address, so a wrong or detached buffer throws instead of
 * corrupting memory.
 */
#include <node_api.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"

#define ALIGNMENT 64
/* Raised when the functions below change, so that kernels.ts rejects an addon built from
 * other sources (it then falls back to WebAssembly) instead of calling what is not there. */
#define ADDON_INTERFACE_VERSION 3
#define HEADER_MAGIC 0x67616e7377656570ULL /* "gansweep" */

typedef struct {
  uint64_t magic;
  uint64_t address; /* where the ArrayBuffer's data was when init() ran */
} Header;

static size_t align_up(size_t value) { return (value + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1); }

/* Offsets from the 64-byte-aligned start of the ArrayBuffer's data. */
static size_t gan_offset(void) { return align_up(sizeof(Header)); }
static size_t arena_offset(const GanKernels *kernels) { return gan_offset() + align_up(kernels->gan_size); }

static const GanKernels *select_kernels(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &gan_kernels_avx2;
#endif
  return &gan_kernels_baseline;
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, "GS_FUSED_NATIVE", message);
  return NULL;
}

/* Reads `count` arguments; numbers are checked by the callers that need them. */
static int arguments(napi_env env, napi_callback_info info, size_t count, napi_value *argv) {
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < count) {
    throw_error(env, "fused native addon: too few arguments");
    return -1;
  }
  return 0;
}

static int number_argument(napi_env env, napi_value value, double *out) {
  if (napi_get_value_double(env, value, out) != napi_ok) {
    throw_error(env, "fused native addon: expected a number argument");
    return -1;
  }
  return 0;
}

static int int_arguments(napi_env env, napi_value *argv, size_t count, int *out) {
  for (size_t i = 0; i < count; i++) {
    if (napi_get_value_int32(env, argv[i], &out[i]) != napi_ok) {
      throw_error(env, "fused native addon: expected an integer argument");
      return -1;
    }
  }
  return 0;
}

/* The aligned start of an ArrayBuffer's data, and its usable length from there. */
static unsigned char *buffer_start(napi_env env, napi_value value, size_t *usable) {
  void *data = NULL;
  size_t length = 0;
  if (napi_get_arraybuffer_info(env, value, &data, &length) != napi_ok) {
    throw_error(env, "fused native addon: expected an ArrayBuffer");
    return NULL;
  }
  uintptr_t address = (uintptr_t)data;
  size_t skip = align_up(address) - address;
  if (data == NULL || length < skip) {
    throw_error(env, "fused native addon: the ArrayBuffer is empty or detached");
    return NULL;
  }
  *usable = length - skip;
  return (unsigned char *)data + skip;
}

/* The Gan laid out in an ArrayBuffer by init(), or NULL with a JavaScript error. */
static struct Gan *gan_of(napi_env env, napi_value value, const GanKernels *kernels) {
  size_t usable = 0;
  unsigned char *start = buffer_start(env, value, &usable);
  if (start == NULL) return NULL;
  const Header *header = (const Header *)start;
  if (usable < arena_offset(kernels) || header->magic != HEADER_MAGIC || header->address != (uint64_t)(uintptr_t)start) {
    throw_error(env, "fused native addon: the ArrayBuffer does not hold a trial laid out by init()");
    return NULL;
  }
  return (struct Gan *)(start + gan_offset());
}

static const GanKernels *kernels_of(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return (const GanKernels *)data;
}

static napi_value make_number(napi_env env, double value) {
  napi_value result;
  napi_create_double(env, value, &result);
  return result;
}

/* requiredBytes(latent, gHidden, dHidden, batch, chunk): the ArrayBuffer size init() needs. */
static napi_value required_bytes(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[5];
  int sizes[5];
  if (arguments(env, info, 5, argv) || int_arguments(env, argv, 5, sizes)) return NULL;
  for (int i = 0; i < 5; i++) {
    if (sizes[i] < 1) return throw_error(env, "fused native addon: sizes must be positive integers");
  }
  unsigned char state[4096] __attribute__((aligned(ALIGNMENT)));
  if (kernels->gan_size > sizeof(state)) return throw_error(env, "fused native addon: Gan state larger than expected");
  size_t used = 0;
  if (kernels->layout((struct Gan *)state, NULL, 0, 1, &used, sizes[0], sizes[1], sizes[2], sizes[3], sizes[4])) {
    return throw_error(env, "fused native addon: the layout failed");
  }
  /* ALIGNMENT − 1 spare bytes let init() align the start of any ArrayBuffer. */
  return make_number(env, (double)(ALIGNMENT - 1 + arena_offset(kernels) + used));
}

/* init(buffer, latent, gHidden, dHidden, batch, chunk): lays out a trial; returns 0, or −1
 * when the buffer is too small. */
static napi_value init(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[6];
  int sizes[5];
  if (arguments(env, info, 6, argv) || int_arguments(env, argv + 1, 5, sizes)) return NULL;
  size_t usable = 0;
  unsigned char *start = buffer_start(env, argv[0], &usable);
  if (start == NULL) return NULL;
  if (usable < arena_offset(kernels)) return make_number(env, -1);
  memset(start, 0, arena_offset(kernels));
  size_t used = 0;
  int status = kernels->layout((struct Gan *)(start + gan_offset()), start + arena_offset(kernels),
                               usable - arena_offset(kernels), 0, &used, sizes[0], sizes[1], sizes[2], sizes[3], sizes[4]);
  if (status == 0) {
    Header *header = (Header *)start;
    header->magic = HEADER_MAGIC;
    header->address = (uint64_t)(uintptr_t)start;
  }
  return make_number(env, status);
}

/* bufferOffset(buffer, which): byte offset of a trial buffer from the ArrayBuffer's start. */
static napi_value buffer_offset(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[2];
  int which;
  if (arguments(env, info, 2, argv) || int_arguments(env, argv + 1, 1, &which)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  if (gan == NULL) return NULL;
  if (which < 0 || which >= BUFFER_COUNT) return throw_error(env, "fused native addon: unknown buffer number");
  void *data = NULL;
  size_t length = 0;
  napi_get_arraybuffer_info(env, argv[0], &data, &length);
  return make_number(env, (double)((unsigned char *)kernels->buffer(gan, which) - (unsigned char *)data));
}

/* paramCount(buffer, which): parameters of the generator (0) or the discriminator (1). */
static napi_value param_count(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[2];
  int which;
  if (arguments(env, info, 2, argv) || int_arguments(env, argv + 1, 1, &which)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  if (gan == NULL) return NULL;
  return make_number(env, kernels->param_count(gan, which == 0 ? 0 : 1));
}

static napi_value discriminator_loss_and_grads(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[1];
  if (arguments(env, info, 1, argv)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  return gan == NULL ? NULL : make_number(env, kernels->discriminator_loss_and_grads(gan));
}

static napi_value generator_loss_and_grads(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[1];
  if (arguments(env, info, 1, argv)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  return gan == NULL ? NULL : make_number(env, kernels->generator_loss_and_grads(gan));
}

/* Reads the (learningRate, beta1, beta2, epsilon) arguments that start at argv[first]. */
static int adam_arguments(napi_env env, napi_value *argv, size_t first, float *out) {
  for (size_t i = 0; i < 4; i++) {
    double value;
    if (number_argument(env, argv[first + i], &value)) return -1;
    out[i] = (float)value;
  }
  return 0;
}

/* adam(buffer, which, learningRate, beta1, beta2, epsilon) */
static napi_value adam(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[6];
  int which;
  float hyper[4];
  if (arguments(env, info, 6, argv) || int_arguments(env, argv + 1, 1, &which) || adam_arguments(env, argv, 2, hyper)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  if (gan == NULL) return NULL;
  kernels->adam(gan, which == 0 ? 0 : 1, hyper[0], hyper[1], hyper[2], hyper[3]);
  return NULL;
}

/* discriminatorStep(buffer, learningRate, beta1, beta2, epsilon): the loss before the update. */
static napi_value discriminator_step(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[5];
  float hyper[4];
  if (arguments(env, info, 5, argv) || adam_arguments(env, argv, 1, hyper)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  return gan == NULL ? NULL : make_number(env, kernels->discriminator_step(gan, hyper[0], hyper[1], hyper[2], hyper[3]));
}

/* generatorStep(buffer, learningRate, beta1, beta2, epsilon): the loss before the update. */
static napi_value generator_step(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[5];
  float hyper[4];
  if (arguments(env, info, 5, argv) || adam_arguments(env, argv, 1, hyper)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  return gan == NULL ? NULL : make_number(env, kernels->generator_step(gan, hyper[0], hyper[1], hyper[2], hyper[3]));
}

/* Runs generate or discriminate on `rows` ≤ chunk rows of the io buffers. */
static napi_value evaluate(napi_env env, napi_callback_info info, void (*run)(struct Gan *, int)) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[2];
  int rows;
  if (arguments(env, info, 2, argv) || int_arguments(env, argv + 1, 1, &rows)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  if (gan == NULL) return NULL;
  if (rows < 0 || rows > kernels->chunk_rows(gan)) return throw_error(env, "fused native addon: rows outside 0..chunk");
  run(gan, rows);
  return NULL;
}

/* The address of an Int32Array's first element, or NULL for undefined or null. */
static int int32_flag(napi_env env, napi_value value, const volatile int **out) {
  napi_valuetype type;
  napi_typeof(env, value, &type);
  if (type == napi_undefined || type == napi_null) {
    *out = NULL;
    return 0;
  }
  napi_typedarray_type array_type;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, value, &array_type, &length, &data, NULL, NULL) != napi_ok ||
      array_type != napi_int32_array || length < 1 || data == NULL) {
    throw_error(env, "fused native addon: a stop flag must be an Int32Array of at least one element");
    return -1;
  }
  *out = (const volatile int *)data;
  return 0;
}

/* watchStopFlags(buffer, first, second): the products stop when either Int32Array's first
 * element becomes nonzero. The caller keeps both arrays alive while the trial runs. */
static napi_value watch_stop_flags(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[3];
  const volatile int *flags[2];
  if (arguments(env, info, 3, argv) || int32_flag(env, argv[1], &flags[0]) || int32_flag(env, argv[2], &flags[1])) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  if (gan == NULL) return NULL;
  kernels->watch_stop_flags(gan, flags[0], flags[1]);
  return NULL;
}

/* interrupted(buffer): whether a stop flag cut a call of this trial short. */
static napi_value interrupted(napi_env env, napi_callback_info info) {
  const GanKernels *kernels = kernels_of(env);
  napi_value argv[1];
  if (arguments(env, info, 1, argv)) return NULL;
  struct Gan *gan = gan_of(env, argv[0], kernels);
  if (gan == NULL) return NULL;
  napi_value result;
  napi_get_boolean(env, kernels->interrupted(gan) != 0, &result);
  return result;
}

static napi_value generate(napi_env env, napi_callback_info info) {
  return evaluate(env, info, kernels_of(env)->generate);
}

static napi_value discriminate(napi_env env, napi_callback_info info) {
  return evaluate(env, info, kernels_of(env)->discriminate);
}

/* useInstructionSet(name): makes later calls in this thread run the "baseline" copy or the
 * "best" one the processor supports, so that tests can check both. Returns the copy's name. */
static napi_value use_instruction_set(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (arguments(env, info, 1, argv)) return NULL;
  char name[16];
  size_t length = 0;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof(name), &length) != napi_ok) {
    return throw_error(env, "fused native addon: the instruction set must be \"baseline\" or \"best\"");
  }
  const GanKernels *kernels;
  if (strcmp(name, "baseline") == 0) {
    kernels = &gan_kernels_baseline;
  } else if (strcmp(name, "best") == 0) {
    kernels = select_kernels();
  } else {
    return throw_error(env, "fused native addon: the instruction set must be \"baseline\" or \"best\"");
  }
  napi_set_instance_data(env, (void *)kernels, NULL, NULL);
  napi_value result;
  napi_create_string_utf8(env, kernels->name, NAPI_AUTO_LENGTH, &result);
  return result;
}

NAPI_MODULE_INIT() {
  const GanKernels *kernels = select_kernels();
  /* The table is static data, so the instance data needs no finalizer. */
  napi_set_instance_data(env, (void *)kernels, NULL, NULL);

  napi_property_descriptor properties[] = {
    { "requiredBytes", NULL, required_bytes, NULL, NULL, NULL, napi_enumerable, NULL },
    { "init", NULL, init, NULL, NULL, NULL, napi_enumerable, NULL },
    { "bufferOffset", NULL, buffer_offset, NULL, NULL, NULL, napi_enumerable, NULL },
    { "paramCount", NULL, param_count, NULL, NULL, NULL, napi_enumerable, NULL },
    { "discriminatorLossAndGrads", NULL, discriminator_loss_and_grads, NULL, NULL, NULL, napi_enumerable, NULL },
    { "generatorLossAndGrads", NULL, generator_loss_and_grads, NULL, NULL, NULL, napi_enumerable, NULL },
    { "adam", NULL, adam, NULL, NULL, NULL, napi_enumerable, NULL },
    { "discriminatorStep", NULL, discriminator_step, NULL, NULL, NULL, napi_enumerable, NULL },
    { "generatorStep", NULL, generator_step, NULL, NULL, NULL, napi_enumerable, NULL },
    { "generate", NULL, generate, NULL, NULL, NULL, napi_enumerable, NULL },
    { "discriminate", NULL, discriminate, NULL, NULL, NULL, napi_enumerable, NULL },
    { "watchStopFlags", NULL, watch_stop_flags, NULL, NULL, NULL, napi_enumerable, NULL },
    { "interrupted", NULL, interrupted, NULL, NULL, NULL, napi_enumerable, NULL },
    { "useInstructionSet", NULL, use_instruction_set, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  napi_value name;
  napi_create_string_utf8(env, kernels->name, NAPI_AUTO_LENGTH, &name);
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  napi_set_named_property(env, exports, "kernels", name);
  napi_value version;
  napi_create_int32(env, ADDON_INTERFACE_VERSION, &version);
  napi_set_named_property(env, exports, "interfaceVersion", version);
  return exports;
}
